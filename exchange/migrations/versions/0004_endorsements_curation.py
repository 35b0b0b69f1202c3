"""endorsements and featured practices

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:20:00.000000
"""
import sqlalchemy as sa
from alembic import op

import exchange.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('trend_weight', sa.Float(), nullable=False),
    sa.Column('created_at', exchange.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', exchange.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_endorsements_agency_id_agencies')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_endorsements_article_id_articles'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_endorsements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('article_id', 'user_id', name=op.f('uq_endorsements_article_id'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index('ix_endorsements_article_id_created_at', ['article_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_user_id'), ['user_id'], unique=False)

    op.create_table('features',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('featured_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', exchange.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', exchange.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_features_article_id_articles'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['featured_by_id'], ['users.id'], name=op.f('fk_features_featured_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_features')),
    sa.UniqueConstraint('article_id', name=op.f('uq_features_article_id'))
    )
    with op.batch_alter_table('features', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_features_position'), ['position'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('features', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_features_position'))

    op.drop_table('features')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_user_id'))
        batch_op.drop_index(batch_op.f('ix_endorsements_created_at'))
        batch_op.drop_index('ix_endorsements_article_id_created_at')
        batch_op.drop_index(batch_op.f('ix_endorsements_agency_id'))

    op.drop_table('endorsements')
