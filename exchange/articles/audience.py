"""Who sees a page the same way: members' renderings kept by audience (``exchange.pagecache``).

A published practice's page shows a member what it shows every member of their agency with the same
standing (verified or not, admin or not), unless they are tied to it: its author, or someone whose
endorsement, comment or follow the page shows to them alone (the domains that own those name them with
``add_relation``). A tied reader, a draft and a withdrawn practice are rendered for each request.

The lists of case studies and playbooks show every member the same published practices. A topic's
page does too, but for whether they follow it; a topic no visitor can see (only drafts carry it) is
rendered for each request.
"""
import sqlalchemy as sa

from exchange.articles.models import Article
from exchange.articles.queries import find_tag
from exchange.db import db
from exchange.pagecache import related, versioned
from exchange.permissions import is_admin, is_verified


def article_audience(user, view_args: dict):
    """The audience of a member reading ``/articles/<slug>``, or None to render it for them alone."""
    slug = view_args.get("slug")
    if not isinstance(slug, str):
        return None
    facts = versioned("article page facts", slug, lambda: _facts(slug))
    if facts is None:
        return None
    article_id, agency_id, author_id = facts
    if author_id == user.id or related("article", user.id, article_id):
        return None
    return ("agency", user.agency_id, "verified", is_verified(user), "admin", is_admin(user))


def _facts(slug: str) -> tuple | None:
    """A published practice's id, agency and author; None for any other address (a draft, an old slug)."""
    row = db.session.execute(sa.select(Article.id, Article.agency_id, Article.author_id)
                             .where(Article.slug == slug, Article.status == "published")).first()
    return tuple(row) if row else None


def list_audience(_user, _view_args):
    """The lists of published practices: the same for every member."""
    return ("member",)


def tag_audience(user, view_args: dict):
    """A topic's page: the same for every member who does not follow it (and has no page of their own)."""
    slug = view_args.get("slug")
    if not isinstance(slug, str):
        return None
    tag_id = versioned("topic page facts", slug, lambda: _public_topic(slug))
    if tag_id is None or related("tag", user.id, tag_id):
        return None
    return ("member",)


def _public_topic(slug: str) -> int | None:
    """The id of the topic at this address if a visitor can see it (a published practice carries it)."""
    tag = find_tag(None, slug)
    return tag.id if tag is not None else None
