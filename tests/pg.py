"""A PostgreSQL for the tests: the server on 127.0.0.1:5432 when one is there, otherwise a
throwaway cluster started from the PostgreSQL binaries, otherwise a skip with the reason."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager

import psycopg


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@contextmanager
def _throwaway_cluster():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("no PostgreSQL server on 127.0.0.1:5432 and no initdb/pg_ctl binaries")
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        run_as = ["runuser", "-u", "postgres", "--"]
    workdir = tempfile.mkdtemp(prefix="beacon-pg-")
    os.chmod(workdir, 0o777)
    data = os.path.join(workdir, "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run([*run_as, initdb, "-D", data, "-U", "postgres", "-A", "trust"], check=True,
                   capture_output=True)
    subprocess.run([*run_as, pg_ctl, "-D", data, "-w", "-l", os.path.join(workdir, "log"), "-o",
                    f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def server():
    """Yield a libpq URL for a PostgreSQL server (without database name)."""
    host, port = os.environ.get("BEACON_TEST_PGHOST", "127.0.0.1"), int(os.environ.get("BEACON_TEST_PGPORT", 5432))
    if _listening(host, port):
        yield f"postgresql://postgres@{host}:{port}"
        return
    with _throwaway_cluster() as url:
        yield url


@contextmanager
def scratch_database(base_url: str):
    name = f"beacon_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base_url + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base_url}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        deadline = time.time() + 10
        while True:
            try:
                with psycopg.connect(base_url + "/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.Error:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)


@contextmanager
def migrated_database(backend: str, folder):
    """Yield the URL of an empty, migrated database of its own on ``backend`` ("sqlite": a file in
    ``folder``; "postgresql": a scratch database), for tests that build a whole demo once per
    module. Raises if PostgreSQL is wanted and cannot be reached (callers skip with the reason)."""
    from beacon import migrate

    if backend == "postgresql":
        with server() as base, scratch_database(base) as url:
            migrate.upgrade(url)
            yield url
        return
    url = f"sqlite:///{folder}/demo.db"
    migrate.upgrade(url)
    yield url
