"""Nothing is committed without its access-log entry, and a crash leaves nothing half-written: an
import killed with SIGKILL at every point of its unit of work (``beacon.faults``) leaves either
nothing or everything, with its entry; the log still verifies; and running it again duplicates
nothing. (The finding: an import killed just after its commit left 450,000 incidents and 45,000
work items with no log entry at all, because the entry was written after the commit.)"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from beacon.access import log
from beacon.cases.incidents.models import Incident, WorkItem
from tests.factories import PASSWORD
from tests.incidents.conftest import as_csv, closed
from tests.incidents.conftest import log as a_log
from tests.logs import entries

ROWS = 6_000   # two write batches of 5,000
POINTS = ["import.validated", "import.batch:1", "commit.before", "commit.after", "anchor.after"]


def _import(database_url: str, path, crash_at: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "BEACON_DATABASE_URL": database_url, "BEACON_PASSWORD": PASSWORD}
    env.pop("BEACON_CRASH_AT", None)
    if crash_at:
        env["BEACON_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "beacon.cli", "incidents", "import", str(path), "--as",
                           "supervisor.a"], env=env, capture_output=True, text=True, timeout=600)


def _counts(sessions) -> tuple[int, int]:
    with sessions() as s:
        return (s.scalar(select(func.count()).select_from(Incident)),
                s.scalar(select(func.count()).select_from(WorkItem)))


@pytest.fixture
def logs_file(tmp_path):
    rows = [closed(i) if i % 10 == 0 else a_log(i) for i in range(1, ROWS + 1)]
    path = tmp_path / "logs.csv"
    path.write_bytes(as_csv(rows))
    return path


@pytest.mark.parametrize("point", POINTS)
def test_an_import_killed_at_any_point_leaves_all_or_nothing_with_its_entry(world, sessions, database_url,
                                                                            logs_file, point):
    crashed = _import(database_url, logs_file, point)
    assert crashed.returncode == -signal.SIGKILL, crashed.stdout + crashed.stderr
    incidents, work = _counts(sessions)
    imported = entries(sessions, action="create", record_type="incident", outcome="ok")
    if point in ("import.validated", "import.batch:1", "commit.before"):
        assert (incidents, work, imported) == (0, 0, [])
    else:
        assert (incidents, work) == (ROWS, ROWS // 10)
        assert len(imported) == 1 and imported[0].record_id.startswith("import/")
        assert entries(sessions, action="create", record_type="ppu_work", outcome="ok")
    with sessions() as s:
        result = log.verify(s)
    assert result.ok, result.problem
    again = _import(database_url, logs_file, None)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _counts(sessions) == (ROWS, ROWS // 10)     # nothing duplicated
    with sessions() as s:
        assert log.verify(s).ok
