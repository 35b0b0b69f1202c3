"""PostgreSQL full-text search tables (PostgreSQL only; nothing on SQLite)

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("""
        CREATE TABLE search_documents (
            article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
            slug text NOT NULL,
            title text NOT NULL,
            kind text NOT NULL,
            summary text NOT NULL,
            body text NOT NULL,
            tag_slugs text[] NOT NULL,
            tag_list text NOT NULL,
            agency_slug text NOT NULL,
            agency_name text NOT NULL,
            evidence_level integer,
            stage text,
            published_at timestamptz,
            score double precision NOT NULL,
            version text NOT NULL,
            document tsvector NOT NULL
        )""")
    op.execute("CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)")
    op.execute("CREATE INDEX ix_search_documents_tag_slugs ON search_documents USING gin (tag_slugs)")
    op.execute("CREATE INDEX ix_search_documents_published_at ON search_documents (published_at)")
    op.execute("CREATE INDEX ix_search_documents_score ON search_documents (score)")
    op.execute("CREATE TABLE search_words (word text PRIMARY KEY)")
    op.execute("CREATE INDEX ix_search_words_trigram ON search_words USING gin (word gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_words")
    op.execute("DROP TABLE IF EXISTS search_documents")
