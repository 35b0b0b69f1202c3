"""the notices version: a second row of data_version, moved by every change to notifications

Notifications are no visitor's business (they leave the data version alone), yet each member's header
counts theirs: this number lets a worker keep that count until one changes.

Revision ID: 0030
Revises: 0029
"""
import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = sa.table("data_version", sa.column("id", sa.Integer()), sa.column("version", sa.BigInteger()))
    op.bulk_insert(table, [{"id": 2, "version": 0}])


def downgrade() -> None:
    op.execute("DELETE FROM data_version WHERE id = 2")
