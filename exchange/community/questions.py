""""Ask the team about this practice": a verified member's question, emailed to the people behind it.

The question goes to the practice's author and its agency's contact address, each in an email of
its own whose Reply-To is the sender: the sender never sees their addresses, and learns one only
when someone answers. Email (exchange/mail) hears ``asked`` and queues the messages in the same
transaction. Every question is kept for admins and written to the audit log.
"""
import sqlalchemy as sa
from blinker import Namespace

from exchange import audit
from exchange.articles.models import Article
from exchange.community.models import TeamQuestion
from exchange.db import db
from exchange.errors import Forbidden, Invalid, NotFound
from exchange.pagination import Page
from exchange.permissions import Actor, can_view, require_admin, require_verified

MAX_LENGTH = 2000
PER_PAGE = 50
# (session, question, addresses): a question was written; email queues one message per address.
asked = Namespace().signal("asked")
WITHDRAWN = "This practice was withdrawn, so its team no longer takes questions about it here."
NO_ONE = ("No one on this practice's team can receive questions by email just now. "
          "Its agency page may say how to reach them.")


def askable_article(viewer: Actor, slug: str) -> Article:
    """The published practice one may ask about; a draft does not exist (404), a withdrawn one is refused."""
    article = db.session.scalar(sa.select(Article).where(Article.slug == slug))
    if article is None or article.status == "draft" or not can_view(viewer, article):
        raise NotFound("There is no article at this address.")
    if article.status != "published":
        raise Forbidden(WITHDRAWN)
    return article


def recipients(article: Article, sender: Actor) -> list[str]:
    """Who gets the question: the author (active, verified) and the agency's contact address, never the sender."""
    addresses = []
    author = article.author
    if author is not None and author.active and author.verified_at is not None:
        addresses.append(author.email)
    if article.agency.contact_email:
        addresses.append(article.agency.contact_email)
    own = getattr(sender, "email", "").lower()
    unique = {address.lower(): address for address in addresses if address.lower() != own}
    return list(unique.values())


def clean_question(body) -> str:
    """The question as typed, or a clear refusal: empty, or longer than MAX_LENGTH characters."""
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    if not text:
        raise Invalid("Enter your question.", {"body": "Enter your question."})
    if len(text) > MAX_LENGTH:
        message = f"Your question has {len(text):,} characters; shorten it to {MAX_LENGTH:,} or fewer."
        raise Invalid(message, {"body": message})
    return text


def ask_team(actor: Actor, article: Article, body) -> TeamQuestion:
    """Send a verified member's question to the practice's team by email; refused, nothing changes."""
    require_verified(actor)
    if article.status != "published":
        raise Forbidden(WITHDRAWN) if article.status == "archived" else NotFound("There is no article at this address.")
    text = clean_question(body)
    addresses = recipients(article, actor)
    if not addresses:
        raise Invalid(NO_ONE, {"body": NO_ONE})
    question = TeamQuestion(article_id=article.id, sender_id=actor.id, body=text, recipients=len(addresses))
    db.session.add(question)
    db.session.flush()
    audit.record(actor, "article.ask_team", "article", article.slug,
                 f"asked {len(addresses)} {'person' if len(addresses) == 1 else 'people'} on its team")
    asked.send(db.session, question=question, addresses=addresses)
    db.session.commit()
    return question


def list_questions(actor: Actor, page: int = 1) -> Page:
    """Every question asked, newest first (admins)."""
    require_admin(actor, "Only admins see the questions members asked.")
    total = db.session.scalar(sa.select(sa.func.count(TeamQuestion.id))) or 0
    items = db.session.scalars(sa.select(TeamQuestion).order_by(TeamQuestion.created_at.desc(), TeamQuestion.id.desc())
                               .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
    return Page(list(items), total, page, PER_PAGE)
