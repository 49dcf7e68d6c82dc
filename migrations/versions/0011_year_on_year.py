"""year_on_year

An inspection may start from a previous published one: it records which, its carried evidence
records the evidence it copies, and a carried assessment keeps the previous result.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

RESULTS = ('met', 'partly_met', 'not_met', 'not_evidenced', 'not_applicable')


def upgrade() -> None:
    op.add_column('inspection', sa.Column('starts_from_id', sa.Integer(), nullable=True))
    op.add_column('evidence', sa.Column('carried_from_id', sa.Integer(), nullable=True))
    op.add_column('criterion_assessment', sa.Column('previous_result', sa.Enum(*RESULTS, name='result',
                                                    native_enum=False, length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('criterion_assessment', schema=None) as batch_op:
        batch_op.drop_column('previous_result')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_column('carried_from_id')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_column('starts_from_id')
