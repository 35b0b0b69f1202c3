"""working_copies (autosave of a published article's edit, private to its writer); tag_redirects

Revision ID: 0018
Revises: 0017

Autosaving an edit of a published article keeps one private working copy per (article, person)
instead of a public revision every few seconds. A topic renamed or merged by an admin keeps its old
address as a redirect.
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "working_copies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.String(400), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(400), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("article_id", "user_id", name="uq_working_copies_article_id_user_id"),
    )
    op.create_index("ix_working_copies_user_id", "working_copies", ["user_id"])
    op.create_table(
        "tag_redirects",
        sa.Column("old_slug", sa.String(40), primary_key=True),
        sa.Column("tag_id", sa.Integer(), sa.ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_tag_redirects_tag_id", "tag_redirects", ["tag_id"])


def downgrade() -> None:
    op.drop_index("ix_tag_redirects_tag_id", "tag_redirects")
    op.drop_table("tag_redirects")
    op.drop_index("ix_working_copies_user_id", "working_copies")
    op.drop_table("working_copies")
