"""Incidents benchmark: bulk import of command-and-control logs (rows per second, peak memory) on
SQLite and PostgreSQL, and the time from a log's closure to the PPU's work item appearing.

    python bench/incidents_import.py [--rows 1000000] [--databases sqlite,postgresql]
                                     [--runs 3] [--sample-rows 30000] [--latency 300]

1. Generates ``--rows`` synthetic logs to CSV, one file per division (every narrative, name and address is
   visibly synthetic; about 3% closed ``domestic``, 1% ``child_protection``, 4% still open; 150,000
   addresses and 300,000 people reused across logs, as real logs revisit people and places).
2. For each database: ``--runs`` imports of ``--sample-rows`` rows (the first third from each
   division's file), each into a fresh
   database (migrated, with a three-division force and its users), each in its own process so
   ``resource.getrusage`` gives that import's peak memory; the median rows/s is reported. Then one
   full import of all ``--rows`` rows into a fresh database. The access matrix lets a control-room
   user (role officer) record incidents in their own division only, so the logs are written as one
   file per division and each is imported by that division's user: three calls of
   ``beacon.cases.incidents.importer.import_file`` (about 333,000 rows each), one after another,
   each with the file's path and in its own transaction. The importer streams a file twice
   (validate, then write), so the rows are never all in memory; nothing is chunked further.
   The figure timed is the calls plus their commits: both passes.
3. On the fully loaded database, the real app is served by uvicorn (``bench/serve.py``, one worker,
   127.0.0.1) and ``--latency`` times a control-room user POSTs a new log closed as domestic to
   ``/api/v1/incidents`` while a PPU user polls ``GET /api/v1/ppu/work-items?log_ref=…`` until the
   item is there: the time from sending the closure to the specialist seeing the item; median and
   95th percentile. The PPU's unfiltered queue page (100 oldest of the division's open items) is
   timed too.

Scratch databases (SQLite files in a temp dir; PostgreSQL ``beacon_bench_incidents_*`` on
127.0.0.1:5432) are dropped at the end. Writes bench/results/incidents.json and .md. Not a test.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
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
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

RESULTS = ROOT / "bench" / "results"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432"
PASSWORD = "benchmark-only-password"
DIVISIONS = ("A", "B", "C")
USERS = (("control.a", "officer", "A"), ("control.b", "officer", "B"), ("control.c", "officer", "C"),
         ("ppu.a", "ppu", "A"), ("supervisor.a", "supervisor", "A"))
ADDRESSES = 150_000
PEOPLE = 300_000
START = datetime(2025, 1, 1, tzinfo=timezone.utc)

FORENAMES = ("Alex", "Bailey", "Casey", "Dana", "Eden", "Frankie", "Gale", "Harper", "Indy", "Jules", "Kit", "Lee",
             "Morgan", "Nico", "Oakley", "Parker", "Quinn", "Robin", "Sam", "Taylor", "Umber", "Val", "Wren", "Yael")
SURNAMES = tuple(f"Synthname{n:03d}" for n in range(400))
STREETS = ("Synthetic Street", "Example Road", "Sample Close", "Fictional Way", "Placeholder Lane", "Testbed Avenue")
TOWNS = ("Testtown", "Mockford", "Dummyville", "Stubbury")
OPENING = ("DISTURBANCE", "CONCERN FOR WELFARE", "ASB", "SUSPICIOUS CIRCUMSTANCES", "THEFT", "ASSAULT", "NOISE")
OTHER_CLOSINGS = ("Advice given", "No trace", "Crime recorded", "ASB - words of advice", "Resolved by phone",
                  "Referred to partner agency", "Duplicate log")
NARRATIVES = ("SYNTHETIC LOG {n}: caller reports raised voices at the address; officers attended.",
              "SYNTHETIC LOG {n}: neighbour reports noise late at night; advice given.",
              "SYNTHETIC LOG {n}: report of a suspicious vehicle; no trace on arrival.",
              "SYNTHETIC LOG {n}: concern for welfare of an occupant; found safe and well.",
              "SYNTHETIC LOG {n}: shoplifting reported; suspect left before arrival.")
DOMESTIC_NARRATIVE = "SYNTHETIC LOG {n}: caller reports her partner shouting and throwing items; officers attended."
CHILD_NARRATIVE = "SYNTHETIC LOG {n}: young child left alone at the address; social services informed."
ROLES = ("victim", "suspect", "witness", "other")


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


# --- the synthetic logs ---------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _address(k: int) -> tuple[str, str, str]:
    """(address, postcode, division) of synthetic address k: the same k always gives the same place."""
    street, town = STREETS[k % len(STREETS)], TOWNS[(k // len(STREETS)) % len(TOWNS)]
    house = k // (len(STREETS) * len(TOWNS)) + 1
    district = k % 90 + 10
    postcode = f"ZZ{district} {k % 10}{chr(65 + (k // 10) % 26)}{chr(65 + (k // 260) % 26)}"
    return f"{house} {street}, {town}", postcode, DIVISIONS[k % len(DIVISIONS)]


@lru_cache(maxsize=None)
def _person(k: int) -> tuple[str, str, str]:
    dob = "" if k % 7 == 0 else (datetime(1950, 1, 1) + timedelta(days=(k * 7919) % 20_000)).date().isoformat()
    return FORENAMES[k % len(FORENAMES)], SURNAMES[(k // len(FORENAMES)) % len(SURNAMES)], dob


COLUMNS = ("log_ref", "received_at", "closed_at", "opening_code", "closing_code", "narrative", "address", "postcode",
           "division", "people")


def generate(workdir: Path, rows: int, seed: int = 2007) -> tuple[dict, dict[str, Path]]:
    """Write the logs as one CSV file per division (``logs_A.csv``…): the access matrix lets a
    control-room user (role officer) record incidents in their own division only, so each
    division's file is imported by that division's user."""
    rng = random.Random(seed)
    counts = {"domestic": 0, "child_protection": 0, "open": 0, "other": 0}
    paths = {d: workdir / f"logs_{d}.csv" for d in DIVISIONS}
    files = {d: open(p, "w", newline="", encoding="utf-8") for d, p in paths.items()}
    writers = {d: csv.writer(f) for d, f in files.items()}
    try:
        for w in writers.values():
            w.writerow(COLUMNS)
        span = 365 * 24 * 3600
        for n in range(1, rows + 1):
            received = START + timedelta(seconds=int(n * span / rows))
            u = rng.random()
            if u < 0.03:
                kind, narrative = "domestic", DOMESTIC_NARRATIVE
            elif u < 0.04:
                kind, narrative = "child_protection", CHILD_NARRATIVE
            elif u < 0.08:
                kind, narrative = "open", rng.choice(NARRATIVES)
            else:
                kind, narrative = "other", rng.choice(NARRATIVES)
            counts[kind] += 1
            closed = "" if kind == "open" else (received + timedelta(minutes=rng.randint(20, 600))).isoformat()
            closing = {"open": "", "other": rng.choice(OTHER_CLOSINGS)}.get(kind, kind)
            address, postcode, division = _address(int(rng.paretovariate(1.2) * 997) % ADDRESSES)
            people, seen = [], set()
            for m, k in enumerate(rng.sample(range(PEOPLE), rng.choice((0, 1, 1, 2, 2, 3)))):
                fn, sn, dob = _person(k)
                if (fn, sn, dob) in seen:
                    continue          # one person once per log (the importer refuses a repeat)
                seen.add((fn, sn, dob))
                role = "child" if kind == "child_protection" and m == 0 else ROLES[m % len(ROLES)]
                people.append(f"{role}|{fn}|{sn}|{dob}")
            writers[division].writerow((f"SYN{n:08d}", received.isoformat(), closed, rng.choice(OPENING), closing,
                                        narrative.format(n=n), address, postcode, division, ";".join(people)))
    finally:
        for f in files.values():
            f.close()
    return counts, paths


def head(src: Path, dst: Path, rows: int) -> None:
    """The header and the first ``rows`` rows (the synthetic narratives have no line breaks)."""
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i > rows:
                break
            fout.write(line)


# --- databases --------------------------------------------------------------------------------------------

def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def database(kind: str, workdir: Path, pg_base: str):
    if kind == "sqlite":
        path = workdir / f"incidents_{uuid.uuid4().hex[:8]}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = f"beacon_bench_incidents_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(pg_base) + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{pg_base}/{name}"
    finally:
        deadline = time.time() + 30
        while True:
            try:
                with psycopg.connect(_libpq(pg_base) + "/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.Error:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)


def prepare(url: str) -> None:
    """Migrate, then a force with three divisions and the benchmark's users."""
    from beacon import migrate
    from beacon.access.passwords import hash_password
    from beacon.access.unit_of_work import transaction
    from beacon.db import make_engine, session_factory
    from beacon.org.models import Division, Force, User
    from beacon.org.roles import Role, Vetting

    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        force = Force(code="bench", name="Benchmarkshire Constabulary (synthetic)", population=550_000)
        s.add(force)
        s.flush()
        ids = {}
        for code in DIVISIONS:
            d = Division(force_id=force.id, code=code, name=f"Synthetic division {code}", population=180_000)
            s.add(d)
            s.flush()
            ids[code] = d.id
        digest = hash_password(PASSWORD)
        for username, role, div in USERS:
            s.add(User(username=username, password_hash=digest, role=Role(role), vetting=Vetting.SC,
                       division_id=ids[div], display_name=f"Bench {username}"))
    engine.dispose()


def size_of(url: str) -> int:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
    import psycopg

    with psycopg.connect(_libpq(url)) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def table_counts(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from beacon.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
               for t in ("incident", "incident_person", "person", "location", "ppu_work_item", "address_warning",
                         "record_history")}
    engine.dispose()
    return out


def after_load(url: str) -> None:
    """PostgreSQL: VACUUM ANALYZE, as autovacuum would soon after a bulk load. SQLite: nothing
    (Beacon never runs ANALYZE)."""
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(_libpq(url), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")


# --- one import, in its own process ----------------------------------------------------------------------

def worker(url: str, jobs: list[str]) -> None:
    """Import each ``username=path`` in turn, each one call of ``import_file`` in its own transaction;
    print the total timings and this process's peak memory as JSON."""
    from sqlalchemy import select

    from beacon.access.login import principal
    from beacon.access.unit_of_work import transaction
    from beacon.cases.incidents import importer
    from beacon.db import make_engine, session_factory, utcnow
    from beacon.org.models import User

    engine = make_engine(url)
    totals = {"rows": 0, "created": 0, "unchanged": 0, "work_items": 0, "warnings": 0, "seconds": 0.0,
              "validate_seconds": 0.0, "write_seconds": 0.0, "commit_seconds": 0.0}
    status, errors = "imported", []
    for job in jobs:
        username, path = job.split("=", 1)
        marks: dict[str, float] = {}
        t0 = time.perf_counter()

        def progress(stage: str, n: int) -> None:
            marks.setdefault(stage, time.perf_counter() - t0)

        with transaction(session_factory(engine)) as session:
            user = principal(session.scalars(select(User).where(User.username == username)).one())
            session.info["user"] = user
            t0 = time.perf_counter()
            report = importer.import_file(session, user, path, "csv", Path(path).name, utcnow(), progress=progress)
            t_written = time.perf_counter() - t0
        seconds = time.perf_counter() - t0
        if report.status != "imported":
            status, errors = report.status, report.errors[:5]
        for key, value in (("rows", report.rows), ("created", report.created), ("unchanged", report.unchanged),
                           ("work_items", report.work_items_created), ("warnings", report.warnings_created),
                           ("seconds", seconds), ("validate_seconds", marks.get("validated", 0.0)),
                           ("write_seconds", t_written - marks.get("validated", 0.0)),
                           ("commit_seconds", seconds - t_written)):
            totals[key] += value
    engine.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out = {k: round(v, 2) if isinstance(v, float) else v for k, v in totals.items()}
    print(json.dumps({"status": status, "errors": errors, "calls": len(jobs), **out,
                      "rows_per_second": round(totals["rows"] / totals["seconds"], 1),
                      "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
                      "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1)}))


def run_import(url: str, files: dict[str, Path]) -> dict:
    jobs = [f"control.{d.lower()}={path}" for d, path in files.items()]
    out = subprocess.run([sys.executable, __file__, "--worker", url, *jobs], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    if out.returncode != 0:
        raise RuntimeError(f"import worker failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["status"] != "imported":
        raise RuntimeError(f"import rejected: {result['errors']}")
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return result


# --- closure to work item, over HTTP ------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(url: str):
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "serve.py"), url, str(port)],
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.time() + 60
    while True:
        try:
            httpx.get(base + "/login", timeout=2)
            break
        except httpx.HTTPError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("the server did not start: " + (proc.stderr.read() or b"").decode()[-2000:])
            time.sleep(0.3)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(q * len(ordered) + 0.5)) - 1))]


def closure_latency(url: str, reps: int) -> dict:
    import httpx

    with server(url) as base, httpx.Client(base_url=base, timeout=30) as http:
        def token(username: str) -> dict:
            r = http.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
            r.raise_for_status()
            return {"Authorization": f"Bearer {r.json()['token']}"}

        control, ppu = token("control.a"), token("ppu.a")
        rng = random.Random(99)
        now = datetime.now(timezone.utc)

        def body(ref: str) -> dict:
            k = rng.randrange(ADDRESSES // 3) * 3          # division A's addresses
            address, postcode, _ = _address(k)
            fn, sn, dob = _person(rng.randrange(PEOPLE))
            return {"log_ref": ref, "received_at": (now - timedelta(minutes=30)).isoformat(),
                    "closed_at": (now - timedelta(minutes=1)).isoformat(), "opening_code": "DISTURBANCE",
                    "closing_code": "domestic", "narrative": f"SYNTHETIC LATENCY LOG {ref}: partner shouting.",
                    "address": address, "postcode": postcode, "division": "A",
                    "people": [{"forename": fn, "surname": sn, "date_of_birth": dob or None, "role": "victim"}]}

        for i in range(10):   # warm up
            http.post("/api/v1/incidents", json=body(f"WARM{uuid.uuid4().hex[:8]}{i}"), headers=control)
            http.get("/api/v1/ppu/work-items", headers=ppu)
        total, post, polls = [], [], []
        tag = uuid.uuid4().hex[:6].upper()
        for i in range(reps):
            ref = f"LAT{tag}{i:05d}"
            payload = body(ref)
            t0 = time.perf_counter()
            r = http.post("/api/v1/incidents", json=payload, headers=control)
            t1 = time.perf_counter()
            if r.status_code != 201:
                raise RuntimeError(f"live feed refused the log: {r.status_code} {r.text[:300]}")
            n = 0
            while True:
                n += 1
                q = http.get("/api/v1/ppu/work-items", params={"log_ref": ref}, headers=ppu)
                if q.status_code == 200 and q.json()["total"] >= 1:
                    break
                if time.perf_counter() - t0 > 10:
                    raise RuntimeError(f"work item for {ref} did not appear within 10 s")
            t2 = time.perf_counter()
            total.append((t2 - t0) * 1000)
            post.append((t1 - t0) * 1000)
            polls.append(n)
        queue = []
        for _ in range(max(50, reps // 3)):
            t0 = time.perf_counter()
            r = http.get("/api/v1/ppu/work-items", headers=ppu)
            queue.append((time.perf_counter() - t0) * 1000)
        open_items = r.json()["total"]
    fig = lambda xs: {"median_ms": round(statistics.median(xs), 1), "p95_ms": round(pct(xs, 0.95), 1),  # noqa: E731
                      "max_ms": round(max(xs), 1)}
    return {"repetitions": reps, "closure_to_visible": fig(total), "post_closing_log": fig(post),
            "polls_needed": {"max": max(polls), "mean": round(statistics.mean(polls), 2)},
            "queue_first_page": {**fig(queue), "requests": len(queue), "open_items_in_division": open_items}}


# --- the run --------------------------------------------------------------------------------------------

def versions(pg_base: str, kinds: list[str]) -> dict:
    out = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(),
           "machine": platform.machine()}
    if "postgresql" in kinds:
        import psycopg

        with psycopg.connect(_libpq(pg_base) + "/postgres") as conn:
            out["postgresql"] = conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000, help="logs in the full import (default 1,000,000)")
    p.add_argument("--sample-rows", type=int, default=30_000, help="logs in each repeated import for the median")
    p.add_argument("--runs", type=int, default=3, help="repeated sample imports per database (median reported)")
    p.add_argument("--latency", type=int, default=300, help="closure-to-work-item repetitions per database")
    p.add_argument("--databases", default="sqlite,postgresql")
    p.add_argument("--pg", default=os.environ.get("BENCH_PG", PG_DEFAULT), help="PostgreSQL server URL (no database)")
    p.add_argument("--worker", nargs="+", metavar="URL USER=CSV", help=argparse.SUPPRESS)
    p.add_argument("--out", default=str(RESULTS / "incidents"), help="results path without extension")
    args = p.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1:])
        return
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    sample_rows = min(args.sample_rows, args.rows)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="beacon-bench-incidents-"))
    results: dict = {"command": "PYTHONPATH=src .venv/bin/python bench/incidents_import.py " + " ".join(sys.argv[1:]),
                     "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
                     "versions": versions(args.pg, kinds), "rows": args.rows, "sample_rows": sample_rows,
                     "runs": args.runs, "databases": {}}
    try:
        log(f"generating {args.rows:,} synthetic logs")
        t = time.perf_counter()
        results["generated"], full = generate(workdir, args.rows)
        results["generate_seconds"] = round(time.perf_counter() - t, 1)
        results["csv_bytes"] = sum(p.stat().st_size for p in full.values())
        sample = {}
        for d, path in full.items():
            sample[d] = workdir / f"sample_{d}.csv"
            head(path, sample[d], sample_rows // len(full))
        for kind in kinds:
            entry: dict = {"sample_runs": []}
            for run in range(args.runs):
                with database(kind, workdir, args.pg) as url:
                    prepare(url)
                    r = run_import(url, sample)
                    entry["sample_runs"].append(r)
                    log(f"{kind}: sample run {run + 1}: {r['rows']:,} rows in {r['seconds']} s = "
                        f"{r['rows_per_second']:,.0f} rows/s, peak {r['peak_rss_mib']} MiB")
            rates = [r["rows_per_second"] for r in entry["sample_runs"]]
            entry["sample_median_rows_per_second"] = round(statistics.median(rates), 1) if rates else None
            with database(kind, workdir, args.pg) as url:
                prepare(url)
                log(f"{kind}: full import of {args.rows:,} rows (one import_file call per division)")
                r = run_import(url, full)
                entry["full"] = r
                log(f"{kind}: {r['rows']:,} rows in {r['seconds']} s = {r['rows_per_second']:,.0f} rows/s "
                    f"(validate {r['validate_seconds']} s, write {r['write_seconds']} s, commit "
                    f"{r['commit_seconds']} s), peak {r['peak_rss_mib']} MiB")
                entry["counts"] = table_counts(url)
                entry["size_bytes"] = size_of(url)
                # the same file again: every row unchanged (idempotency at scale)
                if args.rows <= 200_000:
                    entry["reimport_unchanged"] = run_import(url, full)
                after_load(url)
                if args.latency:
                    log(f"{kind}: closure to work item, {args.latency} repetitions over HTTP")
                    entry["latency"] = closure_latency(url, args.latency)
                    lat = entry["latency"]["closure_to_visible"]
                    log(f"{kind}: closure to visible: median {lat['median_ms']} ms, p95 {lat['p95_ms']} ms")
            results["databases"][kind] = entry
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(results))
    log(f"wrote {out.with_suffix('.json')} and {out.with_suffix('.md')} in {results['total_seconds']} s")


def markdown(r: dict) -> str:
    v = r["versions"]
    lines = [f"# Incidents benchmark: import of {r['rows']:,} command-and-control logs", "",
             f"Command: `{r['command']}`", "",
             f"{r['started_at']}; {v['cpus']} CPUs, Python {v['python']}, SQLite {v['sqlite']}"
             + (f", {v['postgresql']}" if "postgresql" in v else "")
             + f". Load average when it started: {r['load_average_at_start']} (the machine is shared; each run's "
               "load average is in the JSON).", "",
             f"Synthetic logs: {r['generated']['domestic']:,} closed domestic, {r['generated']['child_protection']:,} "
             f"child protection, {r['generated']['open']:,} open, {r['generated']['other']:,} closed otherwise; "
             f"CSV {r['csv_bytes'] / 2**20:,.0f} MiB, generated in {r['generate_seconds']} s.", "",
             "## Import", "",
             "Each import is one call of `importer.import_file` per division (validate every row, then write in "
             "batches of 5,000 in one transaction, with the closure rule and record history): the access matrix "
             "lets a control-room user (role officer) record incidents in their own division only, so each "
             "division's file is imported by its own user, the three calls one after another in one process; "
             "peak memory is that process's `ru_maxrss`. No further chunking: the full import is three calls "
             "of about a third of the rows each.", "",
             "| Database | Import | Rows/s | Time | Validate / write / commit (s) | Peak memory | Work items | Warnings |",
             "|---|---|---:|---:|---|---:|---:|---:|"]
    for kind, e in r["databases"].items():
        if e["sample_runs"]:
            rates = ", ".join(f"{x['rows_per_second']:,.0f}" for x in e["sample_runs"])
            s0 = e["sample_runs"][0]
            lines.append(f"| {kind} | {e['sample_runs'][0]['rows']:,} rows, median of {len(e['sample_runs'])} "
                         f"({rates}) | **{e['sample_median_rows_per_second']:,.0f}** | "
                         f"{statistics.median(x['seconds'] for x in e['sample_runs']):.1f} s | "
                         f"{s0['validate_seconds']} / {s0['write_seconds']} / {s0['commit_seconds']} | "
                         f"{max(x['peak_rss_mib'] for x in e['sample_runs']):,.0f} MiB | {s0['work_items']:,} | "
                         f"{s0['warnings']:,} |")
        f = e["full"]
        lines.append(f"| {kind} | **{f['rows']:,} rows ({f['calls']} calls)** | **{f['rows_per_second']:,.0f}** | "
                     f"{f['seconds'] / 60:.1f} min | {f['validate_seconds']} / {f['write_seconds']} / "
                     f"{f['commit_seconds']} | {f['peak_rss_mib']:,.0f} MiB | {f['work_items']:,} | {f['warnings']:,} |")
    lines += ["", "| Database | Incidents | People | Addresses | Links | Work items | Warnings | History rows | Size |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, e in r["databases"].items():
        c = e["counts"]
        lines.append(f"| {kind} | {c['incident']:,} | {c['person']:,} | {c['location']:,} | {c['incident_person']:,} | "
                     f"{c['ppu_work_item']:,} | {c['address_warning']:,} | {c['record_history']:,} | "
                     f"{e['size_bytes'] / 2**20:,.0f} MiB |")
    if any("latency" in e for e in r["databases"].values()):
        lines += ["", "## Closure to work item", "",
                  "On the fully loaded database, served by uvicorn (one worker, 127.0.0.1). Each repetition: "
                  "`control.a` POSTs a new log closed as domestic to `/api/v1/incidents`; `ppu.a` then polls "
                  "`GET /api/v1/ppu/work-items?log_ref=…` until the item is listed. The time is from sending the "
                  "closure to the specialist's response listing the item. The work item is written in the same "
                  "transaction as the closure, so the first poll always finds it.", "",
                  "| Database | Repetitions | Closure → visible, median | p95 | POST alone, median | p95 | "
                  "Polls needed (max) | PPU queue page, median | p95 | Open items in division |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for kind, e in r["databases"].items():
            if "latency" not in e:
                continue
            L = e["latency"]
            lines.append(f"| {kind} | {L['repetitions']} | **{L['closure_to_visible']['median_ms']} ms** | "
                         f"**{L['closure_to_visible']['p95_ms']} ms** | {L['post_closing_log']['median_ms']} ms | "
                         f"{L['post_closing_log']['p95_ms']} ms | {L['polls_needed']['max']} | "
                         f"{L['queue_first_page']['median_ms']} ms | {L['queue_first_page']['p95_ms']} ms | "
                         f"{L['queue_first_page']['open_items_in_division']:,} |")
    lines += ["", f"Total benchmark time: {r['total_seconds'] / 60:.1f} min.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
