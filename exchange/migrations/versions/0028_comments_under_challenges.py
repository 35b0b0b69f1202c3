"""Plain comments under challenges: a comment is on an article or on a challenge; a flag on a challenge's
comment names no article

Revision ID: 0028
Revises: 0027
"""
import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

ONE_SUBJECT = ("(CASE WHEN article_id IS NOT NULL THEN 1 ELSE 0 END)"
               " + (CASE WHEN challenge_id IS NOT NULL THEN 1 ELSE 0 END) = 1")
FLAG_TARGET = "article_id IS NOT NULL OR comment_id IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("comments", schema=None, reflect_kwargs={"resolve_fks": False}) as batch_op:
        batch_op.alter_column("article_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("challenge_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_comments_challenge_id_challenges"), "challenges",
                                    ["challenge_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index("ix_comments_challenge_id_created_at", ["challenge_id", "created_at"])
        batch_op.create_check_constraint("one_subject", ONE_SUBJECT)
    with op.batch_alter_table("flags", schema=None, reflect_kwargs={"resolve_fks": False}) as batch_op:
        batch_op.alter_column("article_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint("has_target", FLAG_TARGET)


def downgrade() -> None:
    op.execute("DELETE FROM flags WHERE article_id IS NULL")
    op.execute("DELETE FROM comments WHERE article_id IS NULL")
    with op.batch_alter_table("flags", schema=None, reflect_kwargs={"resolve_fks": False}) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_flags_has_target"), type_="check")
        batch_op.alter_column("article_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("comments", schema=None, reflect_kwargs={"resolve_fks": False}) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_comments_one_subject"), type_="check")
        batch_op.drop_index("ix_comments_challenge_id_created_at")
        batch_op.drop_constraint(batch_op.f("fk_comments_challenge_id_challenges"), type_="foreignkey")
        batch_op.drop_column("challenge_id")
        batch_op.alter_column("article_id", existing_type=sa.Integer(), nullable=False)
