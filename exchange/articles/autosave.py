"""Autosave of a published article's edit: one private working copy per (article, person).

A draft autosaves with an ordinary edit (PATCH with ``base_revision``): its history is private. A
published article's every revision is public, so its autosaves go here instead, seen by nobody but
the person writing, until they save the edit (``update_article`` clears it) or discard it. A copy
started from an older revision than the article's is kept all the same (it overwrites nothing) and
answered with ``conflict``: saving it shows the conflict page.
"""
import sqlalchemy as sa

from exchange.articles import rules
from exchange.articles.models import Article, WorkingCopy
from exchange.db import MAX_INT, db, utcnow
from exchange.errors import Conflict, Invalid
from exchange.permissions import Actor, require_edit
from exchange.text import clean_line, clean_text

MAX_TAGS_TEXT = 400


def save_working_copy(actor: Actor, article: Article, fields: dict) -> WorkingCopy:
    """Keep ``actor``'s unsaved edit of a published article (title, summary, body, tags as typed)."""
    require_edit(actor, article)
    if article.status == "draft":
        raise Conflict("This article is a draft: it autosaves as an edit (PATCH with base_revision), "
                       "its history being private.", {"status": "draft"})
    base = _base(fields.get("base_revision"), article)
    copy = working_copy(actor, article) or WorkingCopy(article_id=article.id, user_id=actor.id)
    copy.base_revision = base
    copy.title = clean_line(_text(fields, "title"), "title", max_len=200)
    copy.summary = clean_line(_text(fields, "summary"), "summary", max_len=400)
    copy.body = clean_text(_text(fields, "body"), "body", max_len=rules.MAX_BODY_BYTES, unit="bytes")
    copy.tags = clean_line(_text(fields, "tags"), "tags", max_len=MAX_TAGS_TEXT)
    copy.saved_at = utcnow()
    db.session.add(copy)
    db.session.commit()
    return copy


def working_copy(actor: Actor, article: Article) -> WorkingCopy | None:
    """``actor``'s own working copy of ``article``, if they have one (nobody sees another's)."""
    if getattr(actor, "id", None) is None:
        return None
    return db.session.scalar(sa.select(WorkingCopy).where(
        WorkingCopy.article_id == article.id, WorkingCopy.user_id == actor.id))


def discard_working_copy(actor: Actor, article: Article) -> None:
    """Forget ``actor``'s working copy of ``article`` (none: nothing to do)."""
    clear_working_copy(actor, article)
    db.session.commit()


def clear_working_copy(actor: Actor, article: Article) -> None:
    """Delete the copy in the current transaction: the edit it was for is being saved."""
    if getattr(actor, "id", None) is not None:
        db.session.execute(sa.delete(WorkingCopy).where(
            WorkingCopy.article_id == article.id, WorkingCopy.user_id == actor.id))


def _text(fields: dict, name: str):
    """A field as sent: absent or null is empty; anything but text is refused by the cleaning."""
    value = fields.get(name)
    return "" if value is None else value


def _base(value, article: Article) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= min(article.revision, MAX_INT):
        raise Invalid(f"base_revision must be the revision your edit started from (1 to {article.revision}).",
                      {"base_revision": "the revision your edit started from"})
    return value
