"""proposed_results_and_live_grades

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import beacon.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

RESULTS = ('met', 'partly_met', 'not_met', 'not_evidenced', 'not_applicable')
GRADES = ('excellent', 'good', 'fair', 'poor')


def upgrade() -> None:
    # A bound criterion's assessment keeps what the records proposed and, where the inspector set
    # another result, the reason. Added in place; an assessment from before has no proposal.
    op.add_column('criterion_assessment', sa.Column('proposed_result', sa.Enum(*RESULTS, name='result',
                                                    native_enum=False, length=40), nullable=True))
    op.add_column('criterion_assessment', sa.Column('proposal', sa.Text(), nullable=True))
    op.add_column('criterion_assessment', sa.Column('override_reason', sa.Text(), server_default='', nullable=False))
    op.create_table('live_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('force_id', sa.Integer(), nullable=False),
    sa.Column('library_id', sa.String(length=60), nullable=False),
    sa.Column('framework_id', sa.String(length=60), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('grade', sa.Enum(*GRADES, name='grade', native_enum=False, length=40), nullable=True),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('computed_at', beacon.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['force_id'], ['force.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('force_id', 'library_id', 'framework_id', 'month')
    )
    with op.batch_alter_table('live_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_grade_force_id'), ['force_id'], unique=False)
    # A framework whose significant criteria are not evidenced has no engine grade (NULL), and a
    # moderation more than one step from the engine's waits for a second moderator.
    with op.batch_alter_table('framework_grade', schema=None) as batch_op:
        batch_op.alter_column('engine_grade', existing_type=sa.Enum(*GRADES, name='grade', native_enum=False,
                                                                     length=40), nullable=True)
        batch_op.add_column(sa.Column('confirmed_by', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('confirmation_rationale', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('framework_grade', schema=None) as batch_op:
        batch_op.drop_column('confirmation_rationale')
        batch_op.drop_column('confirmed_by')
        batch_op.alter_column('engine_grade', existing_type=sa.Enum(*GRADES, name='grade', native_enum=False,
                                                                     length=40), nullable=False)
    with op.batch_alter_table('live_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_grade_force_id'))
    op.drop_table('live_grade')
    with op.batch_alter_table('criterion_assessment', schema=None) as batch_op:
        batch_op.drop_column('override_reason')
        batch_op.drop_column('proposal')
        batch_op.drop_column('proposed_result')
