"""an index on lower(title), for [[Title]] wiki links

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_title_lower", "articles", [sa.text("lower(title)")])


def downgrade() -> None:
    op.drop_index("ix_articles_title_lower", table_name="articles")
