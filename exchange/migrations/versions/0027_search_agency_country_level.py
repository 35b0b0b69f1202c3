"""PostgreSQL search knows each article's agency's country and level of government

Revision ID: 0027
Revises: 0026

Search filters and counts by where a practice comes from (``country=``, ``level=``), so
``search_documents`` gains the agency's country and level, filled here from the agencies for the
rows already indexed (no reindex needed). PostgreSQL only; nothing on SQLite.
"""
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_documents ADD COLUMN agency_country text NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE search_documents ADD COLUMN agency_level text NOT NULL DEFAULT ''")
    op.execute("""
        UPDATE search_documents SET agency_country = coalesce(agencies.country, ''),
                                    agency_level = coalesce(agencies.level, '')
        FROM articles JOIN agencies ON agencies.id = articles.agency_id
        WHERE articles.id = search_documents.article_id""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS agency_level")
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS agency_country")
