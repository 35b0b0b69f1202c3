""""Get updates" about a topic, an agency or a practice: by email (follow it) or by feed, explained in words.

A practice's own feed carries its public revisions (those made while it was published, or the one
it was published at), each linked to what changed since the one before; a draft has none (404).
"""
from dataclasses import dataclass

import sqlalchemy as sa

from exchange.articles.models import Article, Revision
from exchange.db import db

SIZE = 50


@dataclass(frozen=True)
class Change:
    """A public revision, and the public one before it (None for the first)."""

    revision: Revision
    previous: int | None


def public_changes(article: Article) -> list[Change]:
    """A practice's newest public revisions, at most 50, newest first."""
    numbers = db.session.scalars(sa.select(Revision).where(Revision.article_id == article.id, Revision.public)
                                 .order_by(Revision.number.desc()).limit(SIZE + 1)).all()
    return [Change(revision, numbers[i + 1].number if i + 1 < len(numbers) else None)
            for i, revision in enumerate(numbers[:SIZE])]
