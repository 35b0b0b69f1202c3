"""wrong second-factor codes counted per account, to lock it for a while after too many

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("mfa_failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("mfa_failures_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("mfa_failures_since")
        batch.drop_column("mfa_failures")
