"""An agency's contact address, and questions members ask a practice's team

Revision ID: 0024
Revises: 0023

"Ask the team about this practice" emails the author and the agency's contact address; each
question is kept (who asked, about what, how many it went to) for admins. No address is copied.
"""
import sqlalchemy as sa
from alembic import op

import exchange.db

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

WHEN = exchange.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.add_column("agencies", sa.Column("contact_email", sa.String(length=254), nullable=False, server_default=""))
    op.create_table(
        "team_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_team_questions_article_id_articles"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sender_id"], ["users.id"], name=op.f("fk_team_questions_sender_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_questions")),
    )
    op.create_index(op.f("ix_team_questions_article_id"), "team_questions", ["article_id"])
    op.create_index(op.f("ix_team_questions_sender_id_created_at"), "team_questions", ["sender_id", "created_at"])
    op.create_index(op.f("ix_team_questions_created_at"), "team_questions", ["created_at"])


def downgrade() -> None:
    op.drop_table("team_questions")
    op.execute("ALTER TABLE agencies DROP COLUMN contact_email")
