"""articles.archived_at, archived_by_id, archive_reason: who withdrew a practice, when and why

Revision ID: 0015
Revises: 0014

A withdrawn (archived) practice stays readable at its address with a banner that says who withdrew
it, when and why. Articles archived before this have no reason and no one named.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column, not a batch: a batch would rebuild the table on SQLite and lose its expression index.
    op.add_column("articles", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a column's reference only inline
        op.execute("ALTER TABLE articles ADD COLUMN archived_by_id INTEGER "
                   "REFERENCES users (id)")
    else:
        op.add_column("articles", sa.Column(
            "archived_by_id", sa.Integer(),
            sa.ForeignKey("users.id", name="fk_articles_archived_by_id_users"), nullable=True))
    op.add_column("articles", sa.Column("archive_reason", sa.String(300), nullable=False, server_default=""))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_articles_archived_by_id_users", "articles", type_="foreignkey")
    for column in ("archive_reason", "archived_by_id", "archived_at"):
        op.drop_column("articles", column)
