from alembic import context
from sqlalchemy import pool

from beacon import config as beacon_config
from beacon.db import make_engine
from beacon.models import Base

target_metadata = Base.metadata


def run() -> None:
    url = context.config.attributes.get("url") or beacon_config.database_url()
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(conn) -> None:
    context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()
