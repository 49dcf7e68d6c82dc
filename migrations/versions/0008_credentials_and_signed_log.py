"""credentials_and_signed_log

The access log becomes two signed, anchored chains (ADR 0011): ``access_log`` (work, written in
the work's transaction) gains a ``mac``; ``access_event`` (reads, refusals, sign-ins) and the
chains' head rows are new. Credentials move to tables of their own (sessions, sign-in attempts,
account locks, revocable tokens), which on SQLite the access store keeps in a file of its own.
Entries written before this migration are signed as it runs: their signature vouches for them
from that day.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import beacon.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
EVENT_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER access_event_no_update BEFORE UPDATE ON access_event "
        "BEGIN SELECT RAISE(ABORT, 'access_event is append-only'); END",
        "CREATE TRIGGER access_event_no_delete BEFORE DELETE ON access_event "
        "BEGIN SELECT RAISE(ABORT, 'access_event is append-only'); END",
    ],
    "postgresql": [
        "CREATE TRIGGER access_event_no_change BEFORE UPDATE OR DELETE ON access_event "
        "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()",
    ],
}

def upgrade() -> None:
    op.create_table('access_chain_head',
    sa.Column('chain', sa.String(length=20), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_access_chain_head'))
    )
    op.create_table('access_event',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', beacon.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_access_event'))
    )
    op.create_table('account_lock',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', beacon.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_account_lock'))
    )
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', beacon.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempt_address', ['address', 'at'], unique=False)
        batch_op.create_index('ix_login_attempt_user', ['user_id', 'at'], unique=False)

    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', beacon.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', beacon.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', beacon.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', beacon.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_reason', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    op.add_column('access_log', sa.Column('mac', sa.String(length=64), nullable=False, server_default=''))

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', beacon.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('label', sa.String(length=80), nullable=False, server_default=''))
        batch_op.drop_constraint(batch_op.f('fk_api_token_user_id_app_user'), type_='foreignkey')

    # lock-out and sessions now live in account_lock and user_session; dropped in place (SQLite 3.35
    # drops a plain column without rebuilding app_user and the foreign keys that point at it)
    for name in ('session_epoch', 'locked_until', 'failed_logins'):
        op.execute(f"ALTER TABLE app_user DROP COLUMN {name}")
    bind = op.get_bind()
    for statement in EVENT_TRIGGERS[bind.dialect.name]:
        op.execute(statement)
    _sign_existing_entries(bind)


def _sign_existing_entries(bind) -> None:
    from beacon import config
    from beacon.access.log import entry_mac

    rows = bind.execute(sa.text("SELECT seq, hash FROM access_log ORDER BY seq")).all()
    last = rows[-1] if rows else (0, GENESIS)
    heads = sa.table('access_chain_head', sa.column('chain'), sa.column('seq'), sa.column('hash'))
    op.bulk_insert(heads, [{"chain": "work", "seq": last[0], "hash": last[1]},
                           {"chain": "events", "seq": 0, "hash": GENESIS}])
    if not rows:
        return
    key = config.log_key()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER access_log_no_update")
    else:
        op.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_no_change")
    for seq, hash_ in rows:
        bind.execute(sa.text("UPDATE access_log SET mac = :mac WHERE seq = :seq"), {"mac": entry_mac(key, hash_), "seq": seq})
    if sqlite:
        op.execute("CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
                   "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END")
    else:
        op.execute("ALTER TABLE access_log ENABLE TRIGGER access_log_no_change")


def downgrade() -> None:
    op.add_column('app_user', sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('app_user', sa.Column('locked_until', beacon.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('app_user', sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_api_token_user_id_app_user'), 'app_user', ['user_id'], ['id'])
        batch_op.drop_column('label')
        batch_op.drop_column('revoked_reason')
        batch_op.drop_column('revoked_at')

    op.execute("ALTER TABLE access_log DROP COLUMN mac")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS access_event_no_change ON access_event")

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))

    op.drop_table('user_session')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_user')
        batch_op.drop_index('ix_login_attempt_address')

    op.drop_table('login_attempt')
    op.drop_table('account_lock')
    op.drop_table('access_event')
    op.drop_table('access_chain_head')
