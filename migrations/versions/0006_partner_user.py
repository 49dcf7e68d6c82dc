"""partner_user

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A partner agency's user belongs to one agency, not just a division: Gwent's Torfaen and
    # Monmouthshire share division B, and each council's children's social care may see only the
    # referrals sent to it. Added in place (no table rebuild) so SQLite keeps app_user's rows and
    # the foreign keys that point at it.
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot add a constraint later, but takes a column that references another table.
        op.execute("ALTER TABLE app_user ADD COLUMN partner_id INTEGER "
                   "CONSTRAINT fk_app_user_partner_id REFERENCES partner_body (id)")
    else:
        op.add_column('app_user', sa.Column('partner_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_app_user_partner_id', 'app_user', 'partner_body', ['partner_id'], ['id'])


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite rebuilds the table to drop the column. Dropping the old table would otherwise
        # fail on the rows of other tables that point at app_user (the rebuilt one has them all).
        op.execute("PRAGMA foreign_keys = OFF")
    else:
        op.drop_constraint('fk_app_user_partner_id', 'app_user', type_='foreignkey')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('partner_id')
    if sqlite:
        op.execute("PRAGMA foreign_keys = ON")
