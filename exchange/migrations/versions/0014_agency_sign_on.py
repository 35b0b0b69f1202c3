"""Sign-in with an agency's own OpenID Connect provider: its settings and the identities it vouched for

Revision ID: 0014
Revises: 0013

``agency_sign_on`` keeps where to read the client secret (``file:/path`` or ``env:NAME``), never
the secret itself.
"""
import sqlalchemy as sa
from alembic import op

import exchange.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_sign_on",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("client_secret_source", sa.String(length=600), nullable=False),
        sa.Column("domains", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("updated_at", exchange.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id"),
    )
    op.create_table(
        "sign_on_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", exchange.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", exchange.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "subject"),
    )
    op.create_index("ix_sign_on_identities_user_id", "sign_on_identities", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_sign_on_identities_user_id", table_name="sign_on_identities")
    op.drop_table("sign_on_identities")
    op.drop_table("agency_sign_on")
