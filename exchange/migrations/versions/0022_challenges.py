"""challenges, challenge_tags, challenge_answers, challenge_same_problems (issue #18)

Revision ID: 0022
Revises: 0021

An agency asks "has anyone solved this?"; others answer with practices; the asker marks what
helped; other agencies say "we have this problem too".
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("same_problem_count", sa.Integer(), nullable=False),
        _when("created_at"), _when("updated_at"), _when("published_at", True), _when("closed_at", True),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name="fk_challenges_agency_id_agencies"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name="fk_challenges_author_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_challenges"),
        sa.UniqueConstraint("slug", name="uq_challenges_slug"),
    )
    op.create_index("ix_challenges_agency_id", "challenges", ["agency_id"])
    op.create_index("ix_challenges_author_id", "challenges", ["author_id"])
    op.create_index("ix_challenges_status_same_problem_count", "challenges", ["status", "same_problem_count"])
    op.create_table(
        "challenge_tags",
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"], ondelete="CASCADE",
                                name="fk_challenge_tags_challenge_id_challenges"),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], ondelete="CASCADE", name="fk_challenge_tags_tag_id_tags"),
        sa.PrimaryKeyConstraint("challenge_id", "tag_id", name="pk_challenge_tags"),
    )
    op.create_index("ix_challenge_tags_tag_id", "challenge_tags", ["tag_id"])
    op.create_table(
        "challenge_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _when("created_at"), _when("helped_at", True),
        sa.Column("helped_by_id", sa.Integer(), nullable=True),
        sa.Column("helped_why", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"], ondelete="CASCADE",
                                name="fk_challenge_answers_challenge_id_challenges"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name="fk_challenge_answers_article_id_articles"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_challenge_answers_author_id_users"),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name="fk_challenge_answers_agency_id_agencies"),
        sa.ForeignKeyConstraint(["helped_by_id"], ["users.id"], ondelete="SET NULL",
                                name="fk_challenge_answers_helped_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_challenge_answers"),
        sa.UniqueConstraint("challenge_id", "article_id", name="uq_challenge_answers_challenge_id"),
    )
    for column in ("challenge_id", "article_id", "author_id", "agency_id"):
        op.create_index(f"ix_challenge_answers_{column}", "challenge_answers", [column])
    op.create_table(
        "challenge_same_problems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"], ondelete="CASCADE",
                                name="fk_challenge_same_problems_challenge_id_challenges"),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="CASCADE",
                                name="fk_challenge_same_problems_agency_id_agencies"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_challenge_same_problems_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_challenge_same_problems"),
        sa.UniqueConstraint("challenge_id", "agency_id", name="uq_challenge_same_problems_challenge_id"),
    )
    for column in ("challenge_id", "agency_id", "user_id"):
        op.create_index(f"ix_challenge_same_problems_{column}", "challenge_same_problems", [column])


def downgrade() -> None:
    for table in ("challenge_same_problems", "challenge_answers", "challenge_tags", "challenges"):
        op.drop_table(table)
