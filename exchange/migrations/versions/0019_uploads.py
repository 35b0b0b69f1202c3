"""Uploads: the bytes of files once per content hash, and each upload with its article

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

import exchange.db

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

WHEN = exchange.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "file_blobs",
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_file_blobs")),
    )
    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["hash"], ["file_blobs.hash"], name=op.f("fk_files_hash_file_blobs")),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_files_agency_id_agencies")),
        sa.ForeignKeyConstraint(["uploader_id"], ["users.id"], name=op.f("fk_files_uploader_id_users")),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_files_article_id_articles"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
    )
    op.create_index("ix_files_hash_name", "files", ["hash", "name"])
    op.create_index(op.f("ix_files_agency_id"), "files", ["agency_id"])
    op.create_index(op.f("ix_files_uploader_id"), "files", ["uploader_id"])
    op.create_index(op.f("ix_files_article_id"), "files", ["article_id"])


def downgrade() -> None:
    op.drop_table("files")
    op.drop_table("file_blobs")
