"""Missing-person benchmark: demo build time, and the supervisor's queue and the case search
through the HTTP API at N times the demo's volume, on SQLite and on PostgreSQL.

    python bench/missing_persons.py [--scale 100] [--requests 300] [--databases sqlite,postgresql] [--runs 3]

For each database: build the demo ``--build-runs`` (default ``--runs``) times into a fresh
database (timing ``beacon.demo.build.build`` after the migrations, then doing to the database what
``beacon demo`` does after it), scale the last build up to ``--scale`` times the demo's
missing-person volume (``bench/scale_load.py``), then ``--runs`` times: start the real app with
``beacon serve`` (``bench/serve.py``: one uvicorn worker, 127.0.0.1, a free port), get bearer tokens for
``supervisor.a`` (division-scoped) and ``analyst`` (force-wide), warm up, and send
``--requests`` sequential requests to each measured endpoint, interleaved, timing each one at
the client. Each run gives a median and a 95th percentile per endpoint; the figures reported
are the median over the runs of each. Scratch databases and servers are removed at the end.

Writes bench/results/missing_persons.json and bench/results/missing_persons.md (``--out`` to
change). Not a test: nothing here fails when a target is missed; the markdown says which
targets are met. Findings and how to experiment: bench/results/missing_persons_findings.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shlex
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import psycopg  # noqa: E402
import scale_load  # noqa: E402
from sqlalchemy import text  # noqa: E402

from beacon import migrate  # noqa: E402
from beacon.cases.missing_persons.models import reference_for  # noqa: E402
from beacon.db import make_engine  # noqa: E402
from beacon.demo import build as demo  # noqa: E402
from beacon.demo import names  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_MS = 150.0
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432"

# (series, user, path, uses q rotation, target applies)
SERIES = (
    ("queue", "supervisor.a", "/api/v1/supervisor/queue", False, True),
    ("search_q", "supervisor.a", "/api/v1/missing-persons", True, True),
    ("search_q_forcewide", "analyst", "/api/v1/missing-persons", True, True),
    ("list_newest", "supervisor.a", "/api/v1/missing-persons", False, True),
    ("list_newest_forcewide", "analyst", "/api/v1/missing-persons", False, True),
)
LABELS = {
    "queue": "GET /api/v1/supervisor/queue (supervisor.a)",
    "search_q": "GET /api/v1/missing-persons?q=… (supervisor.a)",
    "search_q_forcewide": "GET /api/v1/missing-persons?q=… (analyst, force-wide)",
    "list_newest": "GET /api/v1/missing-persons, newest first (supervisor.a)",
    "list_newest_forcewide": "GET /api/v1/missing-persons, newest first (analyst, force-wide)",
}


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


# --- databases ----------------------------------------------------------------------------------

@contextmanager
def sqlite_database(workdir: Path, name: str, keep: bool = False):
    path = workdir / f"{name}.db"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in () if keep else ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def pg_database(base: str, keep: bool = False):
    name = f"beacon_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(base) + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        deadline = time.time() + 20
        while not keep:
            try:
                with psycopg.connect(_libpq(base) + "/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.Error:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)


def database_size(url: str) -> int:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
    with psycopg.connect(_libpq(url)) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def after_load(url: str, sqlite_analyze: bool, extra_sql: list[str], vacuum: bool = True) -> dict:
    """Any experiment's SQL (e.g. CREATE INDEX); then PostgreSQL: VACUUM ANALYZE, as autovacuum
    would after a bulk load; SQLite: nothing unless asked (Beacon never runs ANALYZE)."""
    t = time.perf_counter()
    done = []
    if extra_sql:
        engine = make_engine(url)
        with engine.begin() as conn:
            for stmt in extra_sql:
                conn.execute(text(stmt))
                done.append(stmt)
        engine.dispose()
    if url.startswith("postgresql") and (vacuum or extra_sql):
        with psycopg.connect(_libpq(url), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
        done.append("VACUUM (ANALYZE)")
    elif url.startswith("sqlite") and sqlite_analyze:
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        con.execute("ANALYZE")
        con.commit()
        con.close()
        done.append("ANALYZE")
    return {"statements": done, "seconds": round(time.perf_counter() - t, 2)}


# --- the server -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(url: str, patch: str | None):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))
    if patch:
        env["BENCH_PATCH"] = patch
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "serve.py"), url, str(port)], env=env,
                            stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}")
            try:
                if httpx.get(base + "/api/v1/supervisor/queue", timeout=2).status_code == 401:
                    break
            except httpx.TransportError:
                pass
            if time.time() > deadline:
                raise RuntimeError("the server did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- what is asked ----------------------------------------------------------------------------------

def search_terms(url: str, seed: int) -> list[tuple[str, str]]:
    """(kind, q): 24 surname prefixes of 2-4 letters, 8 forename + surname prefixes, 6 MP
    references of division A reports from different years, and 1 name that matches nobody."""
    rng = random.Random(seed)
    terms: list[tuple[str, str]] = []
    for i, pre in enumerate(names._PREFIXES):
        n = 2 + i % 3
        word = (pre + rng.choice(names._SUFFIXES)).lower()[:n]
        terms.append((f"surname_{n}", word))
    forenames = ("ja", "sarah", "m", "rhys", "em", "d", "meg", "jo")
    for f, pre in zip(forenames, rng.sample(names._PREFIXES, len(forenames))):
        terms.append(("forename_surname", f"{f} {pre.lower()[:rng.choice((2, 3, 4))]}"))
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT r.id, r.reported_at FROM missing_report r JOIN division d ON d.id = r.division_id "
            "WHERE d.code = 'A' ORDER BY r.id")).all()
    engine.dispose()
    for rid, at in rng.sample(rows, 6):
        at = at if isinstance(at, datetime) else datetime.fromisoformat(at)
        terms.append(("reference", reference_for(rid, at)))
    terms.append(("no_match", "smith"))
    order = terms[:]
    rng.shuffle(order)
    return order


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def stats(ms: list[float]) -> dict:
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 2), "p95_ms": round(percentile(ms, 95), 2),
            "mean_ms": round(statistics.fmean(ms), 2), "max_ms": round(max(ms), 2), "min_ms": round(min(ms), 2)}


def measure(base: str, terms: list[tuple[str, str]], requests: int, warmup: int) -> dict:
    out: dict = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        tokens = {}
        for user in sorted({s[1] for s in SERIES}):
            r = client.post("/api/v1/tokens", json={"username": user, "password": demo.DEMO_PASSWORD})
            r.raise_for_status()
            tokens[user] = {"Authorization": f"Bearer {r.json()['token']}"}
            # Before 7098c3f Beacon committed after the response was sent, so a new token could be
            # refused for a moment after the 200; waiting until it works costs nothing now.
            deadline = time.time() + 10
            while client.get("/api/v1/missing-persons", params={"limit": 1},
                             headers=tokens[user]).status_code == 401:
                if time.time() > deadline:
                    raise RuntimeError(f"the token for {user} is still refused after 10 s")
                time.sleep(0.05)
        latencies: dict[str, list[float]] = {s[0]: [] for s in SERIES}
        by_kind: dict[str, dict[str, list[float]]] = {s[0]: {} for s in SERIES if s[3]}
        sizes: dict[str, list[int]] = {s[0]: [] for s in SERIES}
        items: dict[str, list[int]] = {s[0]: [] for s in SERIES}
        for i in range(warmup + requests):
            for name, user, path, rotates, _ in SERIES:
                params = {}
                kind = None
                if rotates:
                    kind, q = terms[i % len(terms)]
                    params["q"] = q
                t = time.perf_counter()
                r = client.get(path, params=params, headers=tokens[user])
                elapsed = (time.perf_counter() - t) * 1000
                if r.status_code != 200:
                    raise RuntimeError(f"{name}: {r.status_code} {r.text[:300]}")
                if i < warmup:
                    continue
                latencies[name].append(elapsed)
                sizes[name].append(len(r.content))
                body = r.json()
                items[name].append(len(body["results"]) if "results" in body else
                                   sum(len(body[k]) for k in ("new_high_risk", "overdue", "due_soon")))
                if kind:
                    by_kind[name].setdefault(kind, []).append(elapsed)
    for name in latencies:
        out[name] = stats(latencies[name])
        out[name]["mean_bytes"] = int(statistics.fmean(sizes[name]))
        out[name]["mean_items"] = round(statistics.fmean(items[name]), 1)
        out[name]["latencies_ms"] = [round(x, 1) for x in latencies[name]]
        if name in by_kind:
            out[name]["by_kind"] = {k: stats(v) for k, v in sorted(by_kind[name].items())}
    return out


# --- one database ---------------------------------------------------------------------------------------

def bench_database(kind: str, args, workdir: Path) -> dict:
    res: dict = {"database": kind}
    if kind in args.reuse:
        url = args.reuse[kind]
        res["reused"] = True
        log(f"{kind}: measuring the existing database {url} (no build, no load)")
        if args.sql or args.sqlite_analyze:
            res["after_load"] = after_load(url, args.sqlite_analyze, args.sql, vacuum=False)
        _measure_all(kind, url, args, res)
        return res
    builds, migrations, inspection_times, post_build_times = [], [], [], []
    keep = args.keep
    def scratch(i: int):
        kept = bool(keep) and i == args.build_runs - 1
        if kind == "sqlite":
            return sqlite_database(Path(keep) if kept else workdir, f"bench{i}", keep=kept)
        return pg_database(args.pg_url, keep=kept)
    # demo build time: every run but the last drops its database; the last is scaled up
    for i in range(args.build_runs):
        with scratch(i) as url:
            t = time.perf_counter()
            migrate.upgrade(url)
            migrations.append(time.perf_counter() - t)
            engine = make_engine(url)
            t = time.perf_counter()
            with _timing(demo, "build_inspections") as inspections:
                summary = demo.build(engine)
            builds.append(time.perf_counter() - t)
            inspection_times.extend(inspections)
            engine.dispose()
            t = time.perf_counter()
            post_build = _after_demo_build(url)
            post_build_times.append(time.perf_counter() - t)
            log(f"{kind}: demo build {i + 1}/{args.build_runs}: {builds[-1]:.2f} s (migrate {migrations[-1]:.2f} s"
                + (f"; of the build, the 2007 inspections {inspections[0]:.2f} s" if inspections else "") + ")")
            if i < args.build_runs - 1:
                continue
            res["demo_build"] = {"runs_s": [round(b, 3) for b in builds],
                                 "median_s": round(statistics.median(builds), 3),
                                 "migrate_runs_s": [round(m, 3) for m in migrations],
                                 "migrate_median_s": round(statistics.median(migrations), 3),
                                 "after_build": post_build,
                                 "after_build_runs_s": [round(x, 3) for x in post_build_times],
                                 "of_which_inspections_runs_s": [round(x, 3) for x in inspection_times],
                                 "of_which_inspections_median_s": (round(statistics.median(inspection_times), 3)
                                                                   if inspection_times else None),
                                 "demo_rows": {"persons": summary.persons, "locations": summary.locations,
                                               "reports_2006_07": summary.reports_2006_07,
                                               "open_reports": summary.open_reports,
                                               "risk_assessments": summary.risk_assessments,
                                               "reviews": summary.reviews, "actions": summary.actions}}
            # scale up
            now = datetime.now(timezone.utc)
            engine = make_engine(url)
            t = time.perf_counter()
            load = scale_load.scale_up(engine, args.scale, now, progress=lambda m: log(f"{kind}: {m}"))
            load["load_seconds"] = round(time.perf_counter() - t, 2)
            engine.dispose()
            load["after_load"] = after_load(url, args.sqlite_analyze, args.sql)
            engine = make_engine(url)
            load["counts"] = scale_load.counts(engine, now)
            engine.dispose()
            load["database_bytes"] = database_size(url)
            load["schema"] = schema_facts(url)
            res["load"] = load
            log(f"{kind}: scaled to {args.scale}x in {load['load_seconds']} s "
                f"(+{load['after_load']['seconds']} s after-load); {load['counts']['missing_report']} reports, "
                f"{load['counts']['open_reports']} open, {load['database_bytes'] / 2**20:.0f} MiB")
            if keep:
                log(f"{kind}: keeping {url} (--keep): drop it yourself")
                res["kept_url"] = url
            _measure_all(kind, url, args, res)
    return res


def _measure_all(kind: str, url: str, args, res: dict) -> None:
    terms = search_terms(url, seed=args.scale)
    res["search_terms"] = terms
    runs = []
    for run in range(args.runs):
        with server(url, args.patch) as base:
            t = time.perf_counter()
            runs.append(measure(base, terms, args.requests, args.warmup))
            runs[-1]["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
            log(f"{kind}: run {run + 1}/{args.runs} in {time.perf_counter() - t:.0f} s: " + ", ".join(
                f"{n} {v['median_ms']:.0f}/{v['p95_ms']:.0f} ms" for n, v in runs[-1].items() if isinstance(v, dict))
                + f" (median/p95); load average {os.getloadavg()[0]:.1f}")
    res["runs"] = runs
    res["summary"] = {name: {"median_ms": round(statistics.median(r[name]["median_ms"] for r in runs), 1),
                             "p95_ms": round(statistics.median(r[name]["p95_ms"] for r in runs), 1),
                             "target_ms": TARGET_MS if target else None,
                             "target_met": (statistics.median(r[name]["p95_ms"] for r in runs) < TARGET_MS)
                             if target else None}
                      for name, _, _, _, target in SERIES}
    res["access_log_entries_after"] = _count(url, "access_log")


def _after_demo_build(url: str) -> str:
    """What ``beacon demo`` does to the database after ``build()`` (today: ANALYZE on SQLite,
    ``beacon.cli._analyze``), so the benchmark's database is what a deployment would have."""
    from beacon import cli
    step = getattr(cli, "_analyze", None)
    if step is None:
        return "nothing (beacon.cli has no _analyze)"
    step(url)
    return "beacon.cli._analyze (ANALYZE on SQLite, nothing on PostgreSQL)"


def schema_facts(url: str) -> dict:
    """The migration the database is at and the indexes the two queries can use."""
    engine = make_engine(url)
    out: dict = {}
    with engine.connect() as conn:
        out["alembic_version"] = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        for table in ("missing_report", "person"):
            if engine.dialect.name == "sqlite":
                rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                         "AND tbl_name = :t AND sql IS NOT NULL ORDER BY name"), {"t": table}).all()
            else:
                rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t "
                                         "ORDER BY indexname"), {"t": table}).all()
            out[f"indexes_{table}"] = {name: sql for name, sql in rows}
        if engine.dialect.name == "sqlite":
            has_stats = conn.execute(text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar()
            out["sqlite_stat1"] = (conn.execute(text("SELECT tbl || ' ' || idx || ': ' || stat FROM sqlite_stat1 "
                                                     "WHERE tbl IN ('missing_report', 'person')")).scalars().all()
                                   if has_stats else None)
    engine.dispose()
    return out


@contextmanager
def _timing(module, name: str):
    """Time each call of ``module.name`` (if the module has it) while the block runs."""
    times: list[float] = []
    original = getattr(module, name, None)
    if original is None:
        yield times
        return

    def timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            times.append(time.perf_counter() - t)

    setattr(module, name, timed)
    try:
        yield times
    finally:
        setattr(module, name, original)


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
    engine.dispose()
    return n


# --- the report ---------------------------------------------------------------------------------------

def machine(pg_url: str, databases: list[str]) -> dict:
    info = {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version
    info["packages"] = {p: version(p) for p in ("sqlalchemy", "fastapi", "uvicorn", "psycopg", "httpx", "pydantic")}
    if "postgresql" in databases:
        with psycopg.connect(_libpq(pg_url) + "/postgres") as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
            info["postgresql_settings"] = {k: conn.execute(f"SHOW {k}").fetchone()[0]
                                           for k in ("shared_buffers", "work_mem", "effective_cache_size",
                                                     "random_page_cost", "jit")}
    try:  # read-only git commands: the commit, and a digest of uncommitted changes to src/ and migrations/
        git = ["git", "-c", "core.fsmonitor=false", "--no-optional-locks"]
        info["git_commit"] = subprocess.run([*git, "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                                            text=True, timeout=10).stdout.strip()
        diff = subprocess.run([*git, "diff", "HEAD", "--", "src", "migrations"], cwd=ROOT, capture_output=True,
                              timeout=30).stdout
        untracked = subprocess.run([*git, "ls-files", "--others", "--exclude-standard", "--", "src", "migrations"],
                                   cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.split()
        info["src_uncommitted"] = {"diff_sha256": hashlib.sha256(diff).hexdigest() if diff else None,
                                   "diff_lines": diff.count(b"\n"), "untracked_files": untracked}
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def markdown(report: dict) -> str:
    p = report["parameters"]
    lines = [f"# Missing-person benchmark ({p['scale']}x the demo's volume)", "",
             f"Command: `{report['command']}`", "",
             f"{report['machine']['date']}; {report['machine']['nproc']} CPUs ({report['machine'].get('cpu', '?')}), "
             f"Python {report['machine']['python']}, SQLite {report['machine']['sqlite']}"
             + (f", PostgreSQL {report['machine']['postgresql']}" if "postgresql" in report["machine"] else "")
             + f". {p['requests']} requests per endpoint per run after {p['warmup']} warm-up rounds, "
             f"{p['runs']} runs; each figure is the median over the runs. Target: p95 < {TARGET_MS:.0f} ms. "
             f"Load average when it started: {report['machine'].get('loadavg_at_start')} "
             "(the machine is shared; per-run load averages are in the JSON).", ""]
    m = report["machine"]
    if m.get("git_commit"):
        dirty = m.get("src_uncommitted") or {}
        extra = (f" plus uncommitted changes to src/ and migrations/ ({dirty.get('diff_lines', 0)} diff lines, "
                 f"{len(dirty.get('untracked_files', []))} new files; digest in the JSON)"
                 if dirty.get("diff_sha256") or dirty.get("untracked_files") else "")
        lines += [f"Code measured: commit {m['git_commit'][:10]}{extra}.", ""]
    for db in report["databases"]:
        sch = db.get("load", {}).get("schema")
        if sch:
            after = db["demo_build"].get("after_build", "")
            lines.append(f"- {db['database']}: schema at migration {sch.get('alembic_version')}; after the build: "
                         f"{after}; missing_report indexes: {', '.join(sch.get('indexes_missing_report', {}))}.")
    lines.append("")
    if p.get("patch") or p.get("sql") or p.get("sqlite_analyze"):
        lines += [f"**Experiment**: patch={p.get('patch')}, sql={p.get('sql')}, "
                  f"sqlite_analyze={p.get('sqlite_analyze')}", ""]
    lines += ["| Database | Endpoint | Median (ms) | p95 (ms) | Target met? |", "|---|---|---:|---:|---|"]
    for db in report["databases"]:
        for name, s in db.get("summary", {}).items():
            met = "—" if s["target_met"] is None else ("yes" if s["target_met"] else "**no**")
            lines.append(f"| {db['database']} | {LABELS[name]} | {s['median_ms']:.1f} | {s['p95_ms']:.1f} | {met} |")
    lines += ["", "| Database | Demo build (median of runs) | Migrations | Scale-up load | Reports | People | "
                  "Assessments | Reviews | Enquiries | Open (overdue / new high) | Size |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for db in report["databases"]:
        if "load" not in db:
            continue
        b, ld = db["demo_build"], db["load"]
        c = ld["counts"]
        insp = (f"; of which 2007 inspections {b['of_which_inspections_median_s']:.1f} s"
                if b.get("of_which_inspections_median_s") is not None else "")
        runs = ", ".join(f"{x:.2f}" for x in b["runs_s"])
        lines.append(f"| {db['database']} | {b['median_s']:.2f} s ({runs}{insp}) | "
                     f"{b['migrate_median_s']:.2f} s | {ld['load_seconds']:.0f} s "
                     f"(+{ld['after_load']['seconds']:.0f} s "
                     f"{'; '.join(ld['after_load']['statements']) or 'nothing'}) | {c['missing_report']:,} | "
                     f"{c['person']:,} | {c['missing_risk_assessment']:,} | {c['missing_review']:,} | "
                     f"{c['missing_action']:,} | {c['open_reports']:,} ({c['open_overdue']} / "
                     f"{c['open_new_high_unreviewed']}) | {ld['database_bytes'] / 2**20:,.0f} MiB |")
    lines += ["", "Search terms rotate over surname prefixes of 2–4 letters, \"forename surname\" prefixes, "
              "MP references and one name that matches nobody; per-kind figures are in the JSON."]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=100, help="times the demo's missing-person volume (default 100)")
    ap.add_argument("--requests", type=int, default=300, help="measured requests per endpoint per run (default 300)")
    ap.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    ap.add_argument("--runs", type=int, default=3, help="measurement runs (and demo builds) per database (default 3)")
    ap.add_argument("--build-runs", type=int, default=None, help="demo builds per database (default: --runs)")
    ap.add_argument("--warmup", type=int, default=10, help="unmeasured rounds before each run (default 10)")
    ap.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT),
                    help=f"PostgreSQL server, without database name (default {PG_DEFAULT})")
    ap.add_argument("--out", default=str(RESULTS / "missing_persons"), help="results path without extension")
    ap.add_argument("--sql", action="append", default=[], help="experiment: SQL run after the load (e.g. CREATE INDEX)")
    ap.add_argument("--patch", default=None, help="experiment: module:function the server calls before create_app")
    ap.add_argument("--keep", default=None, metavar="DIR",
                    help="experiments: keep the scaled databases (SQLite file in DIR; PostgreSQL database kept)")
    ap.add_argument("--reuse", action="append", default=[], metavar="DB=URL",
                    help="experiments: measure an existing scaled database (sqlite=URL or postgresql=URL)")
    ap.add_argument("--sqlite-analyze", action="store_true", help="experiment: run ANALYZE on SQLite after the load")
    args = ap.parse_args()
    args.build_runs = args.build_runs or args.runs
    args.reuse = dict(item.split("=", 1) for item in args.reuse)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    for d in databases:
        if d not in ("sqlite", "postgresql"):
            ap.error(f"unknown database {d}")
    python = Path(sys.executable)
    try:
        python = python.relative_to(ROOT)
    except ValueError:
        pass
    command = f"PYTHONPATH=src {python} bench/missing_persons.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    report = {"command": command.strip(), "parameters": {
        "scale": args.scale, "requests": args.requests, "runs": args.runs, "build_runs": args.build_runs,
        "warmup": args.warmup, "databases": databases, "sql": args.sql, "patch": args.patch,
        "sqlite_analyze": args.sqlite_analyze, "target_p95_ms": TARGET_MS,
        "series": {s[0]: LABELS[s[0]] for s in SERIES}},
        "machine": machine(args.pg_url, databases), "databases": []}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="beacon-bench-"))
    started = time.perf_counter()
    try:
        for d in databases:
            report["databases"].append(bench_database(d, args, workdir))
            report["total_seconds"] = round(time.perf_counter() - started, 1)
            out.with_suffix(".json").write_text(json.dumps(report, indent=2, default=str) + "\n")
            out.with_suffix(".md").write_text(markdown(report))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(markdown(report))
    log(f"done in {time.perf_counter() - started:.0f} s; wrote {out}.json and {out}.md")


if __name__ == "__main__":
    main()
