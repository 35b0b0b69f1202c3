"""Index writes in order: each PostgreSQL search row carries the data version it was read at

Revision ID: 0013
Revises: 0012

``search_documents.seq`` is the data version (exchange/pagecache.py) read just before the
article it was built from, and ``search_versions`` holds, per article, the newest version written
to the index, whether it was indexed or removed. A write whose version is older than the one
there is refused, so a server that read an article before another server's change and wrote
after it can no longer put back the older state (PostgreSQL only; nothing on SQLite).
"""
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_documents ADD COLUMN seq bigint NOT NULL DEFAULT 0")
    op.execute("CREATE TABLE search_versions (article_id integer PRIMARY KEY, seq bigint NOT NULL)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_versions")
    op.execute("ALTER TABLE search_documents DROP COLUMN IF EXISTS seq")
