"""revisions.public: whether everyone may see a revision (made while published, or the one published)

Revision ID: 0011
Revises: 0010

Backfill: a published-once article's revisions from its first publication on are public, and so is
the revision it was published at (the newest one written before); every earlier one stays with its
agency and admins.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("revisions", sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("""
        UPDATE revisions SET public = TRUE WHERE EXISTS (
            SELECT 1 FROM articles a WHERE a.id = revisions.article_id AND a.published_at IS NOT NULL AND (
                revisions.created_at >= a.published_at OR revisions.number = (
                    SELECT MAX(earlier.number) FROM revisions earlier
                    WHERE earlier.article_id = a.id AND earlier.created_at <= a.published_at)))
    """)


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("public")
