"""Admins feature a challenge like a practice: a feature is of an article or of a challenge

Revision ID: 0026
Revises: 0025
"""
import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("features", schema=None, reflect_kwargs={"resolve_fks": False}) as batch_op:
        batch_op.alter_column("article_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("challenge_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_features_challenge_id_challenges"), "challenges",
                                    ["challenge_id"], ["id"], ondelete="CASCADE")
        batch_op.create_unique_constraint(batch_op.f("uq_features_challenge_id"), ["challenge_id"])


def downgrade() -> None:
    op.execute("DELETE FROM features WHERE article_id IS NULL")
    with op.batch_alter_table("features", schema=None, reflect_kwargs={"resolve_fks": False}) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_features_challenge_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_features_challenge_id_challenges"), type_="foreignkey")
        batch_op.drop_column("challenge_id")
        batch_op.alter_column("article_id", existing_type=sa.Integer(), nullable=False)
