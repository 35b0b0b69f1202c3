"""Never-published drafts get private addresses: their clean slug, "--" and a random part

Revision ID: 0012
Revises: 0011

A draft's address used to be its clean slug, so an outsider whose article of the same title got
``-2`` learnt that another agency's draft existed. A draft that was never published (status draft,
no published_at) now has the address ``<clean>--<random>`` and takes a public one when it is first
published or archived (exchange/articles/services.py). Canonical slugs never hold "--". A clean
part longer than 92 characters is cut to fit the column's 100.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _rename(connection, renames: dict[int, str]) -> None:
    for article_id, slug in renames.items():
        connection.execute(sa.text("UPDATE articles SET slug = :slug WHERE id = :id"), {"slug": slug, "id": article_id})


def upgrade() -> None:
    connection = op.get_bind()
    slugs = set(connection.scalars(sa.text("SELECT slug FROM articles")))
    drafts = connection.execute(sa.text(
        "SELECT id, slug FROM articles WHERE status = 'draft' AND published_at IS NULL AND slug NOT LIKE '%--%'"))
    renames = {}
    for article_id, slug in drafts:
        clean = slug[:92].strip("-")
        private = slug
        while private in slugs:
            private = f"{clean}--{''.join(secrets.choice(ALPHABET) for _ in range(6))}"
        slugs.add(private)
        renames[article_id] = private
    _rename(connection, renames)


def downgrade() -> None:
    """Back to clean slugs: the clean part where it is free, else its first free ``-N``."""
    connection = op.get_bind()
    slugs = set(connection.scalars(sa.text("SELECT slug FROM articles")))
    renames = {}
    for article_id, slug in connection.execute(sa.text("SELECT id, slug FROM articles WHERE slug LIKE '%--%'")):
        clean = slug.split("--", 1)[0]
        public, n = clean, 2
        while public in slugs:
            public, n = f"{clean}-{n}", n + 1
        slugs.add(public)
        renames[article_id] = public
    _rename(connection, renames)
