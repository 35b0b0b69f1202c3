"""API tokens expire and record whether they were made after signing in with a second factor

Revision ID: 0009
Revises: 0008
"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TOKEN_DAYS = 90  # tokens made before this migration expire as new ones would by default


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("second_factor", sa.Boolean(), nullable=False, server_default=sa.false()))
    tokens = sa.table("api_tokens", sa.column("id", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)),
                      sa.column("expires_at", sa.DateTime(timezone=True)))
    connection = op.get_bind()
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        created_at = created_at or datetime.now(UTC)
        if isinstance(created_at, str):
            created_at = datetime.fromisoformat(created_at)
        connection.execute(tokens.update().where(tokens.c.id == token_id)
                           .values(expires_at=created_at + timedelta(days=TOKEN_DAYS)))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("second_factor")
        batch.drop_column("expires_at")
