"""Site pages as admins edit them, and "Is this page useful?" answers

Revision ID: 0023
Revises: 0022

A site page without a row shows the text shipped in ``exchange/pages/defaults.py``, so nothing is
copied into the database here: an upgrade changes no page's text.
"""
import sqlalchemy as sa
from alembic import op

import exchange.db

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

WHEN = exchange.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "site_pages",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_site_pages_updated_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_site_pages")),
    )
    op.create_table(
        "page_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_page_feedback_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_feedback")),
    )
    op.create_index(op.f("ix_page_feedback_path"), "page_feedback", ["path"])
    op.create_index(op.f("ix_page_feedback_article_id"), "page_feedback", ["article_id"])
    op.create_index(op.f("ix_page_feedback_created_at"), "page_feedback", ["created_at"])


def downgrade() -> None:
    op.drop_table("page_feedback")
    op.drop_table("site_pages")
