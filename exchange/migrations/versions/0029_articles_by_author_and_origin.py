"""A person's and a practice's derived practices are found by index, newest first

Revision ID: 0029
Revises: 0028

"My practices" (the signed-in home, /me, a person's page) filter by author and order by
publication; "adapted from this" on a practice page filters by the practice it was based on. With
only the single-column indexes, SQLite walks every published article in date order to find them
(20 ms at 10,000 articles, growing with the library). Each gets an index that filters and orders.
"""
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_author_status_published_at", "articles", ["author_id", "status", "published_at"])
    op.create_index("ix_articles_based_on_status_published_at", "articles",
                    ["based_on_id", "status", "published_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_based_on_status_published_at", table_name="articles")
    op.drop_index("ix_articles_author_status_published_at", table_name="articles")
