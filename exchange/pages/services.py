"""Site pages (shipped defaults, admins' versions) and "Is this page useful?" feedback."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from exchange import audit
from exchange.accounts.models import Agency
from exchange.articles.models import Article
from exchange.articles.services import get_article
from exchange.db import db, utcnow
from exchange.errors import Forbidden, Invalid, NotFound
from exchange.markdown import render
from exchange.pages import defaults
from exchange.pages.models import PageFeedback, SitePage
from exchange.permissions import Actor, of_agency, require_admin
from exchange.text import clean_line, clean_text

SLUGS = tuple(defaults.PAGES)
BODY_MAX = 100_000
COMMENT_MAX = 2000
HELP_PAGES = {"/search/help": "Search help"}  # pages besides the site pages that ask "Is this page useful?"


@dataclass(frozen=True)
class Page:
    """A site page as shown: the admin's version, or the shipped default (``edited_at`` None)."""

    slug: str
    title: str
    summary: str
    body: str
    html: str
    edited_at: datetime | None = None

    @property
    def path(self) -> str:
        return page_path(self.slug)


def page_path(slug: str) -> str:
    """The address of a site page: /about for About, /about/<slug> for the others."""
    return "/about" if slug == "about" else f"/about/{slug}"


def get_page(slug: str) -> Page:
    """The page as visitors see it now."""
    if slug not in defaults.PAGES:
        raise NotFound("There is no page at this address.")
    row = db.session.get(SitePage, slug)
    summary = defaults.PAGES[slug].summary
    if row is not None:
        return Page(slug, row.title, summary, row.body, row.html, row.updated_at)
    return default_page(slug)


def default_page(slug: str) -> Page:
    """The page as shipped."""
    shipped = defaults.PAGES[slug]
    body = defaults.body(slug)
    return Page(slug, shipped.title, shipped.summary, body, render(body).html)


def all_pages() -> list[Page]:
    """Every site page, in the footer's order (for the admin area)."""
    rows = {row.slug: row for row in db.session.scalars(sa.select(SitePage))}
    return [Page(slug, rows[slug].title, defaults.PAGES[slug].summary, rows[slug].body, rows[slug].html,
                 rows[slug].updated_at) if slug in rows else default_page(slug) for slug in SLUGS]


def edit_page(actor: Actor, slug: str, title, body) -> Page:
    """An admin rewrites a site page; the audit log keeps who and when."""
    require_admin(actor, "Only admins may edit the site's pages.")
    get_page(slug)
    title = clean_line(title, "title", min_len=3, max_len=200)
    body = clean_text(body, "body", min_len=1, max_len=BODY_MAX, unit="bytes")
    row = db.session.get(SitePage, slug) or SitePage(slug=slug)
    row.title, row.body, row.html = title, body, render(body).html
    row.updated_at, row.updated_by_id = utcnow(), getattr(actor, "id", None)
    db.session.add(row)
    audit.record(actor, "page.edit", "page", slug)
    db.session.commit()
    return get_page(slug)


def reset_page(actor: Actor, slug: str) -> Page:
    """An admin puts a site page back to the shipped text."""
    require_admin(actor, "Only admins may edit the site's pages.")
    get_page(slug)
    db.session.execute(sa.delete(SitePage).where(SitePage.slug == slug))
    audit.record(actor, "page.reset", "page", slug)
    db.session.commit()
    return get_page(slug)


# Is this page useful? ---------------------------------------------------------------------------

ANSWERS = {"yes": True, "no": False}


def record_feedback(actor: Actor, path, useful, comment="") -> PageFeedback:
    """Store one answer to "Is this page useful?" for a page the actor can see; never who gave it."""
    target = _feedback_target(actor, path)
    answer = ANSWERS.get(str(useful or "").strip().lower())
    if answer is None:
        message = "Choose Yes or No."
        raise Invalid(message, {"useful": message})
    comment = clean_text(comment or "", "comment", max_len=COMMENT_MAX).strip()
    feedback = PageFeedback(path=target[0], article_id=target[1].id if target[1] else None, useful=answer,
                            comment=comment)
    db.session.add(feedback)
    db.session.commit()
    return feedback


def feedback_path(path) -> str:
    """The page a feedback form was sent from, without query or fragment: where to go back to."""
    return str(path or "").split("?", 1)[0].split("#", 1)[0]


def _feedback_target(actor: Actor, path) -> tuple[str, Article | None]:
    path = feedback_path(path)
    if path in HELP_PAGES or path in {page_path(slug) for slug in SLUGS}:
        return path, None
    if path.startswith("/articles/") and path.count("/") == 2:
        article = get_article(actor, path.removeprefix("/articles/"))
        return f"/articles/{article.slug}", article
    raise Invalid("That page does not ask for feedback.", {"path": "not a page that asks for feedback"})


@dataclass
class FeedbackSummary:
    """The answers about one page: counts and the comments, newest first."""

    path: str
    title: str
    article: Article | None
    yes: int = 0
    no: int = 0
    comments: list = None  # (useful, comment, created_at)


def feedback_summaries(actor: Actor, agency: Agency | None = None) -> list[FeedbackSummary]:
    """Every page's answers (admins), or those about one agency's practices (its staff and admins)."""
    if agency is None:
        require_admin(actor, "Only admins see the feedback on every page.")
    elif not of_agency(actor, agency.id):
        raise Forbidden(f"Only staff of {agency.name} and admins see the feedback on its practices.")
    query = sa.select(PageFeedback).options(joinedload(PageFeedback.article)).order_by(PageFeedback.created_at.desc())
    if agency is not None:
        query = query.join(PageFeedback.article).where(Article.agency_id == agency.id)
    summaries: dict[str, FeedbackSummary] = {}
    for row in db.session.scalars(query):
        # An article keeps its answers when its address changes (a draft's private address on publication).
        key = f"article:{row.article_id}" if row.article_id else row.path
        summary = summaries.get(key)
        if summary is None:
            path = f"/articles/{row.article.slug}" if row.article else row.path
            summary = summaries[key] = FeedbackSummary(path, _title(row), row.article, comments=[])
        summary.yes += row.useful
        summary.no += not row.useful
        if row.comment:
            summary.comments.append((row.useful, row.comment, row.created_at))
    return sorted(summaries.values(), key=lambda s: (-(s.yes + s.no), s.path))


def _title(row: PageFeedback) -> str:
    if row.article is not None:
        return row.article.title
    if row.path in HELP_PAGES:
        return HELP_PAGES[row.path]
    slug = "about" if row.path == "/about" else row.path.removeprefix("/about/")
    return defaults.PAGES[slug].title if slug in defaults.PAGES else row.path
