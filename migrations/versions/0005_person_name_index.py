"""person_name_index

Revision ID: 0005
Revises: 0004
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A name search ("sarah jov") reads surname and forename from the index alone: 37 ms to 2 ms
    # at 100x the demo on SQLite (bench/results/missing_persons_findings.md). The surname-only
    # index it replaces is its leading column.
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_surname_norm'))
        batch_op.create_index('ix_person_name', ['surname_norm', 'forename_norm'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_name')
        batch_op.create_index(batch_op.f('ix_person_surname_norm'), ['surname_norm'], unique=False)
