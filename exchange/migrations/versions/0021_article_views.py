"""Reach: views per article per day (#17), counted without cookies or identities

Revision ID: 0021
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_views",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_article_views_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "day", name=op.f("pk_article_views")),
    )


def downgrade() -> None:
    op.drop_table("article_views")
