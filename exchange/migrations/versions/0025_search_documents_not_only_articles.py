"""Search documents are not only articles: challenges are indexed too (PostgreSQL only)

Revision ID: 0025
Revises: 0024

A public challenge is a search document at 1,000,000,000 + its id (``exchange.search.sources``), so
``search_documents.article_id`` can no longer point at ``articles``. Nothing is lost with the
foreign key: a deleted article's id stays in ``search_pending`` until its entry is removed, as the
Whoosh backend has always done. Downgrading first removes the challenges' documents.
"""
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_documents DROP CONSTRAINT IF EXISTS search_documents_article_id_fkey")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DELETE FROM search_documents WHERE article_id NOT IN (SELECT id FROM articles)")
    op.execute("ALTER TABLE search_documents ADD CONSTRAINT search_documents_article_id_fkey "
               "FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE")
