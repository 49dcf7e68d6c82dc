"""Reads during a bulk import: the supervisor's list while a command-and-control import runs.

    python bench/read_during_import.py [--rows 400000] [--repeat 3] [--database sqlite|postgresql]
                                       [--source /other/checkout/src] [--baseline 200] [--scale 20]

Issue 7 (security review): on SQLite every read wrote its access-log entry to the main file, so a
bulk import holding SQLite's one write lock stalled every reader until it committed (the
supervisor list's p95: 13 ms -> 16.6 s during a 200k-row import). The access store (ADR 0013,
``beacon.access.store``) moves reads, sign-ins and sessions to a file of their own. Target: during a
400,000-row import on SQLite, the supervisor list's p95 stays under 150 ms.

Each repetition (``--repeat``, default 3):

1. A fresh database (SQLite file in a temp dir, or a scratch PostgreSQL database
   ``beacon_bench_read_*`` on 127.0.0.1:5432): ``beacon.migrate.upgrade``, the demo force
   (``beacon.demo.build``: divisions, users with the demo password, 15 open missing-person reports),
   then ``bench/scale_load.py`` up to ``--scale`` times its missing-person volume (``--scale 20``:
   about 89,000 reports, 300 of them open), then what ``beacon demo`` does after the build.
2. The real app served by uvicorn (``bench/serve.py``, one worker, 127.0.0.1, its own process).
3. From this process (the client): a bearer token for ``supervisor.a`` (``POST /api/v1/tokens``) and a signed-in page session
   (``/login`` with its CSRF token); warm-up; a baseline of ``--baseline`` requests to each of
   ``GET /api/v1/supervisor/queue`` (the JSON the list is made from) and ``GET /supervisor`` (the
   page), alternating, with nothing else running. Requests go out on a fixed schedule, ``--rate``
   a second (default 4, as 20 supervisors' pages polling every 5 s), each from a thread of its own
   whether or not the earlier ones have been answered, and each latency runs from the scheduled
   time: a client that waited for each answer would send one request per stall and hide the stall.
4. The import, in its own process: ``beacon incidents import FILE --as officer.a`` (the CLI, with
   BEACON_PASSWORD set; the code before the access store takes ``--as`` alone and ignores it) of
   one CSV of ``--rows`` logs in division A (generated once, by ``bench/incidents_import.py``'s
   generator). The client keeps sending the same requests, recording every latency and status
   (anything but 200, a time-out or a refused connection counts), until the import exits. The
   import's progress lines are timestamped, so each request is also put in the validating pass
   (reads only) or the writing pass (the write lock held until the commit).

Figures per repetition: p50/p95/max/count of each endpoint at baseline and during the import (and
during the writing pass alone), the non-200s, the import's duration and rows/s, the load average.
Across repetitions: the median of each figure. ``--source DIR`` puts another source tree first on
``sys.path`` here and in the server and the import (the same script and data against older code).

Results are merged into bench/results/read_during_import.json and .md (``--out``), one entry per
database and code measured (keyed by the last commit that changed the source tree), so before and
after sit side by side; ``--report-only`` writes the .md again from the .json. ``--spy N`` saves N
``py-spy dump``s of the server, once a second from the start of the writing pass, beside the
results (they pause the server briefly: use it for a diagnosis, not for the figures). Also recorded
per run: the CPU the server and the import used and how long they waited for a free CPU (Linux
schedstat), the server log's "database is locked" count, and where the access log's rows ended up.
Not a test: nothing fails when the target is missed. Findings:
bench/results/read_during_import_findings.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
TARGET_MS = 150.0
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432"
SUPERVISOR, IMPORTER = "supervisor.a", "officer.a"      # demo users, division A
ENDPOINTS = (("api", "/api/v1/supervisor/queue"), ("page", "/supervisor"))
IN_FLIGHT = 400        # requests the client may have waiting at once (a stall of 30 s at 4/s is 120)


def _source_from_argv() -> Path:
    """``--source`` is read before anything from beacon is imported, so it comes first on sys.path."""
    for i, arg in enumerate(sys.argv):
        if arg == "--source" and i + 1 < len(sys.argv):
            return Path(sys.argv[i + 1]).resolve()
        if arg.startswith("--source="):
            return Path(arg.split("=", 1)[1]).resolve()
    return ROOT / "src"


SRC = _source_from_argv()
sys.path.insert(0, str(BENCH))
import incidents_import  # noqa: E402  (puts this checkout's src/ first: undone just below)

sys.path[:] = [p for p in sys.path if Path(p).resolve() != (ROOT / "src").resolve()]
sys.path.insert(0, str(SRC))

import httpx  # noqa: E402


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


# --- the code measured --------------------------------------------------------------------------

def git(cwd: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", "-c", "core.fsmonitor=false", "--no-optional-locks", *args], cwd=cwd,
                              capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def code_facts() -> dict:
    """The commit of the source tree measured (and whether src/ differs from it), which design of
    the access log it has (tried, not assumed), and this script's commit."""
    import importlib.util

    import beacon

    where = Path(beacon.__file__).resolve().parent
    if not str(where).startswith(str(SRC)):
        raise RuntimeError(f"beacon was imported from {where}, not from --source {SRC}")
    has_store = importlib.util.find_spec("beacon.access.store") is not None
    return {"source": str(SRC), "commit": git(SRC, "rev-parse", "HEAD"),
            "src_commit": git(SRC, "log", "-1", "--format=%H", "--", "."),    # the last commit that changed it
            "src_dirty": bool(git(SRC, "status", "--porcelain", "--", ".")),
            "design": ("access store (reads, sign-ins, sessions in their own store; on SQLite x.access.db)"
                       if has_store else "one access log in the main database (every read appends to it)"),
            "access_store": has_store, "script_commit": git(ROOT, "rev-parse", "HEAD")}


# --- the database ---------------------------------------------------------------------------------

def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def scratch_database(kind: str, workdir: Path, pg_base: str):
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'beacon.db'}"   # the whole workdir is removed afterwards
        return
    import psycopg

    name = f"beacon_bench_read_{uuid.uuid4().hex[:10]}"
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


def build(url: str, scale: int) -> dict:
    """Migrate, the demo force, scaled to ``scale`` x its missing-person volume, then what ``beacon
    demo`` does after the build (ANALYZE on SQLite where the code has it)."""
    import scale_load

    from beacon import cli, migrate
    from beacon.db import make_engine
    from beacon.demo import build as demo

    out: dict = {}
    t = time.perf_counter()
    migrate.upgrade(url)
    engine = make_engine(url)
    demo.build(engine)
    engine.dispose()
    out["demo_seconds"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    now = datetime.now(timezone.utc)
    if scale > 1:
        engine = make_engine(url)
        scale_load.scale_up(engine, scale, now)
        engine.dispose()
    if hasattr(cli, "_analyze"):
        cli._analyze(url)
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(_libpq(url), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    out["scale_seconds"] = round(time.perf_counter() - t, 1)
    engine = make_engine(url)
    out["counts"] = scale_load.counts(engine, now)
    engine.dispose()
    out["password"] = demo.DEMO_PASSWORD
    return out


def row_counts(url: str) -> dict:
    """Rows after the run: incidents, and the access log's entries wherever this code keeps them."""
    from sqlalchemy import create_engine, text

    out: dict = {}
    urls = {"main": url}
    try:
        from beacon import config

        if hasattr(config, "access_store_url") and config.access_store_url(url) != url:
            urls["access_store"] = config.access_store_url(url)
    except ImportError:
        pass
    for where, u in urls.items():
        engine = create_engine(u)
        for table in ("incident", "access_log", "access_event", "user_session", "api_token"):
            try:
                with engine.connect() as conn:
                    out[f"{where}.{table}"] = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            except Exception:  # noqa: BLE001  (the table is not in this design, or not in this file)
                pass
        engine.dispose()
    return out


def database_files(url: str) -> dict:
    if not url.startswith("sqlite:///"):
        return {}
    base = Path(url.removeprefix("sqlite:///"))
    return {p.name: p.stat().st_size for p in sorted(base.parent.glob(base.stem + "*")) if p.is_file()}


# --- the logs ----------------------------------------------------------------------------------------

def generate_csv(workdir: Path, rows: int) -> tuple[Path, dict]:
    """One CSV of ``rows`` logs, all in division A (the importing control-room user may record
    incidents in their own division only): ``incidents_import.generate`` with one division."""
    saved = incidents_import.DIVISIONS
    incidents_import.DIVISIONS = ("A",)
    incidents_import._address.cache_clear()
    try:
        counts, paths = incidents_import.generate(workdir, rows)
    finally:
        incidents_import.DIVISIONS = saved
        incidents_import._address.cache_clear()
    return paths["A"], counts


# --- the server ----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env(url: str, instance: Path) -> dict:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
                BENCH_SRC=str(SRC), BEACON_DATABASE_URL=url, BEACON_INSTANCE=str(instance),
                BEACON_SECRET_KEY="benchmark-only-not-a-secret", PYTHONUNBUFFERED="1")


@contextmanager
def server(url: str, instance: Path, logfile: Path):
    port = free_port()
    with open(logfile, "wb") as err:
        proc = subprocess.Popen([sys.executable, str(BENCH / "serve.py"), url, str(port)],
                                env=child_env(url, instance), stdout=subprocess.DEVNULL, stderr=err)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}: {logfile.read_text()[-2000:]}")
            try:
                if httpx.get(base + "/api/v1/supervisor/queue", timeout=2).status_code == 401:
                    break
            except httpx.TransportError:
                pass
            if time.time() > deadline:
                raise RuntimeError("the server did not start within 90 s")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- the client ------------------------------------------------------------------------------------------

class Client:
    """The supervisor: a bearer token for the API and a signed-in session for the page."""

    def __init__(self, base: str, password: str, timeout: float):
        limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=64)
        self.api = httpx.Client(base_url=base, timeout=timeout, limits=limits)
        self.page = httpx.Client(base_url=base, timeout=timeout, follow_redirects=False, limits=limits)
        r = self.api.post("/api/v1/tokens", json={"username": SUPERVISOR, "password": password})
        r.raise_for_status()
        self.api.headers["Authorization"] = f"Bearer {r.json()['token']}"
        form = self.page.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        data = {"username": SUPERVISOR, "password": password, "next": "/supervisor"}
        if csrf:
            data["csrf_token"] = csrf.group(1)
        r = self.page.post("/login", data=data)
        if r.status_code != 303:
            raise RuntimeError(f"signing in to the page: {r.status_code} {r.text[:300]}")
        deadline = time.time() + 10       # older code committed after responding: wait until both work
        while any(s != 200 for s in (self.get("api")[1], self.get("page")[1])):  # noqa: C419
            if time.time() > deadline:
                raise RuntimeError(f"the supervisor's token or session is refused: {self.get('api')} "
                                   f"{self.get('page')}")
            time.sleep(0.1)
        first = self.api.get(ENDPOINTS[0][1]).json()
        self.list_items = {k: len(v) for k, v in first.items() if isinstance(v, list)}

    def get(self, name: str) -> tuple[float, int | str, str]:
        """One request: (when its response was complete, perf_counter; status; body if not 200)."""
        client = self.api if name == "api" else self.page
        try:
            r = client.get(dict(ENDPOINTS)[name])
            status: int | str = r.status_code
            body = r.text[:300] if r.status_code != 200 else ""
        except httpx.TimeoutException:
            status, body = "timeout", ""
        except httpx.TransportError as exc:
            status, body = f"error:{type(exc).__name__}", str(exc)[:300]
        return time.perf_counter(), status, body

    def close(self) -> None:
        self.api.close()
        self.page.close()


def sample(client: Client, stop: threading.Event | None, count: int | None, rate: float, t0: float) -> list[dict]:
    """Open loop: one request every 1/``rate`` s on a fixed schedule, alternating the endpoints, each
    sent by a thread of its own whatever the earlier ones are doing (as many supervisors' pages
    polling would), until ``stop`` is set or ``count`` requests per endpoint. Latency is from the
    scheduled time to the complete response, so a stalled request does not hide the ones that
    would have been sent while it waited (no coordinated omission)."""
    interval = 1 / rate
    out: list[dict] = []
    lock = threading.Lock()

    def one(name: str, due: float) -> None:
        done, status, body = client.get(name)
        with lock:
            out.append({"endpoint": name, "t": round(due - t0, 3), "ms": round((done - due) * 1000, 2),
                        "status": status, **({"body": body} if body else {})})

    start = time.perf_counter()
    i = 0
    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        while (stop is None or not stop.is_set()) and (count is None or i < count * len(ENDPOINTS)):
            due = start + i * interval
            wait = due - time.perf_counter()
            if wait > 0:
                if stop is not None and stop.wait(wait):
                    break
                elif stop is None:
                    time.sleep(wait)
            pool.submit(one, ENDPOINTS[i % len(ENDPOINTS)][0], due)
            i += 1
    out.sort(key=lambda x: x["t"])
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def stats(samples: list[dict]) -> dict | None:
    if not samples:
        return None
    ms = [s["ms"] for s in samples]
    bad: dict[str, int] = {}
    for s in samples:
        if s["status"] != 200:
            bad[str(s["status"])] = bad.get(str(s["status"]), 0) + 1
    return {"count": len(ms), "p50_ms": round(pct(ms, 50), 1), "p95_ms": round(pct(ms, 95), 1),
            "max_ms": round(max(ms), 1), "over_target": sum(x >= TARGET_MS for x in ms),
            "non_200": sum(bad.values()), "statuses": bad}


# --- the import --------------------------------------------------------------------------------------------

def start_import(url: str, instance: Path, csv_path: Path, password: str) -> subprocess.Popen:
    """``beacon incidents import FILE --as officer.a``, from the source measured. BEACON_PASSWORD is
    the new CLI's credential; the code before the access store has no credentials and ignores it."""
    env = child_env(url, instance)
    env["BEACON_PASSWORD"] = password
    env.pop("BEACON_TOKEN", None)
    env.pop("BEACON_OPERATOR_OVERRIDE", None)
    env["COLUMNS"] = "200"
    return subprocess.Popen([sys.executable, "-m", "beacon.cli", "incidents", "import", str(csv_path),
                             "--as", IMPORTER], env=env, cwd=instance, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)


def import_command(csv_path: Path) -> str:
    return f"beacon incidents import {csv_path.name} --as {IMPORTER}"


# --- one repetition -----------------------------------------------------------------------------------------

def one_run(n: int, args, csv_path: Path, rows: int, workroot: Path) -> dict:
    workdir = workroot / f"run{n}"
    instance = workdir / "instance"
    instance.mkdir(parents=True)
    os.environ["BEACON_INSTANCE"] = str(instance)      # the log key and anchors of this run's database
    res: dict = {"run": n}
    with scratch_database(args.database, workdir, args.pg) as url:
        log(f"run {n}: building the database ({args.database}, demo x{args.scale})")
        b = build(url, args.scale)
        password = b.pop("password")
        res["build"] = b
        log(f"run {n}: built in {b['demo_seconds'] + b['scale_seconds']:.0f} s: "
            f"{b['counts'].get('missing_report', '?'):,} reports, {b['counts'].get('open_reports', '?')} open")
        with server(url, instance, workdir / "server.log") as (base, server_pid):
            client = Client(base, password, args.timeout)
            res["list_items"] = client.list_items
            for _ in range(args.warmup):
                for name, _ in ENDPOINTS:
                    client.get(name)
            res["loadavg_baseline"] = [round(x, 2) for x in os.getloadavg()]
            base_samples = sample(client, None, args.baseline, args.rate, time.perf_counter())
            res["baseline"] = {name: stats([s for s in base_samples if s["endpoint"] == name]) for name, _ in ENDPOINTS}
            log(f"run {n}: baseline " + ", ".join(f"{k} p50 {v['p50_ms']} / p95 {v['p95_ms']} ms"
                                                   for k, v in res["baseline"].items()))

            stop = threading.Event()
            during: list[dict] = []
            t0 = time.perf_counter()
            server_sched0 = sched(server_pid)
            proc = start_import(url, instance, csv_path, password)
            import_sched0 = import_sched = sched(proc.pid)
            thread = threading.Thread(target=lambda: during.extend(sample(client, stop, None, args.rate, t0)),
                                      daemon=True)
            thread.start()
            res["loadavg_import_start"] = [round(x, 2) for x in os.getloadavg()]
            lines: list[tuple[float, str]] = []
            loads: list[list[float]] = []
            next_load = 0.0
            assert proc.stdout is not None
            for line in proc.stdout:
                t = time.perf_counter() - t0
                lines.append((round(t, 2), line.rstrip()))
                import_sched = sched(proc.pid) or import_sched
                if t >= next_load:
                    loads.append([round(t, 1), *(round(x, 2) for x in os.getloadavg())])
                    next_load = t + 10
                if args.spy and "validated" in line and not res.get("py_spy"):
                    res["py_spy"] = spy(server_pid, Path(f"{args.out}_py-spy_run{n}.txt"), args.spy)
            rc = proc.wait()
            seconds = time.perf_counter() - t0
            stop.set()
            thread.join(args.timeout + 5)
            res["loadavg_import_end"] = [round(x, 2) for x in os.getloadavg()]
            res["cpu_during_import"] = {"server": sched_delta(server_sched0, sched(server_pid)),
                                        "import_to_its_last_line": sched_delta(import_sched0, import_sched)}
            res["loadavg_during"] = loads
            client.close()
            server_log = (workdir / "server.log").read_text(errors="replace")

        validated = next((t for t, s in lines if "validated" in s), None)
        committed = next((t for t, s in lines if s.startswith("Import ")), None)
        res["import"] = {"command": import_command(csv_path), "exit_code": rc, "rows": rows,
                         "seconds": round(seconds, 1), "rows_per_second": round(rows / seconds, 1),
                         "validated_at_s": validated, "committed_at_s": committed,
                         "output_tail": [s for _, s in lines[-3:]], "report": next((s for _, s in lines if
                                                                                     s.startswith("Import ")), None)}
        if rc != 0:
            res["import"]["output"] = lines[-40:]
        during_stats = {name: stats([s for s in during if s["endpoint"] == name]) for name, _ in ENDPOINTS}
        end_write = committed if committed is not None else seconds
        writing = [s for s in during if validated is not None and validated <= s["t"] < end_write]
        res["during"] = during_stats
        res["during_writing"] = {name: stats([s for s in writing if s["endpoint"] == name]) for name, _ in ENDPOINTS}
        res["non_200_examples"] = [s for s in during if s["status"] != 200][:5]
        res["slowest"] = sorted(during, key=lambda s: -s["ms"])[:5]
        res["server_log"] = {"database_is_locked": server_log.count("database is locked"),
                             "tracebacks": server_log.count("Traceback"), "bytes": len(server_log)}
        res["rows_after"] = row_counts(url)
        res["files"] = database_files(url)
        if args.keep_samples:
            res["samples"] = {"baseline": base_samples, "during": during}
    a = res["during"]["api"]
    log(f"run {n}: import {res['import']['seconds']} s ({res['import']['rows_per_second']:,.0f} rows/s, exit {rc}); "
        f"during it the list (API) p50 {a['p50_ms']} / p95 {a['p95_ms']} / max {a['max_ms']} ms over {a['count']} "
        f"requests, {a['non_200']} not 200; page p95 {res['during']['page']['p95_ms']} ms")
    return res


def sched(pid: int) -> tuple[float, float] | None:
    """(seconds on a CPU, seconds runnable but waiting for one) of a process's threads so far, from
    /proc/PID/task/*/schedstat (Linux): the second is what a shared, busy machine adds."""
    try:
        on = wait = 0
        for f in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            fields = f.read_text().split()
            on, wait = on + int(fields[0]), wait + int(fields[1])
        return on / 1e9, wait / 1e9
    except (OSError, ValueError, IndexError):
        return None


def sched_delta(a, b) -> dict | None:
    if not a or not b:
        return None
    return {"cpu_s": round(b[0] - a[0], 1), "runqueue_wait_s": round(b[1] - a[1], 1)}


def spy(pid: int, dest: Path, seconds: int) -> dict:
    """``py-spy dump`` of the server a few times while the import writes (where its threads wait)."""
    exe = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path.home() / ".local" / "bin")) or ""
    if not exe:
        return {"error": "py-spy is not installed"}
    dumps = []
    for _ in range(max(1, seconds)):
        r = subprocess.run([exe, "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=30)
        dumps.append(r.stdout or r.stderr)
        time.sleep(1)
    dest.write_text("\n\n".join(dumps))
    return {"dumps": len(dumps), "file": str(dest)}


# --- the report -------------------------------------------------------------------------------------------------

def summarise(runs: list[dict]) -> dict:
    def med(get):
        values = [v for v in (get(r) for r in runs) if v is not None]
        return round(statistics.median(values), 1) if values else None

    out: dict = {}
    for phase in ("baseline", "during", "during_writing"):
        out[phase] = {}
        for name, _ in ENDPOINTS:
            pick = lambda key: (lambda r: (r[phase][name] or {}).get(key))  # noqa: E731
            out[phase][name] = {"p50_ms": med(pick("p50_ms")), "p95_ms": med(pick("p95_ms")),
                                "max_ms": max((r[phase][name] or {}).get("max_ms", 0) for r in runs),
                                "count": med(pick("count")),
                                "non_200_total": sum((r[phase][name] or {}).get("non_200", 0) for r in runs),
                                "p95_ms_runs": [(r[phase][name] or {}).get("p95_ms") for r in runs]}
    out["import_seconds"] = med(lambda r: r["import"]["seconds"])
    out["import_rows_per_second"] = med(lambda r: r["import"]["rows_per_second"])
    out["import_seconds_runs"] = [r["import"]["seconds"] for r in runs]
    out["imports_failed"] = sum(r["import"]["exit_code"] != 0 for r in runs)
    p95 = out["during"]["api"]["p95_ms"]
    out["target_ms"] = TARGET_MS
    out["target_met"] = p95 is not None and p95 < TARGET_MS and out["during"]["api"]["non_200_total"] == 0
    return out


def machine(database: str, pg: str) -> dict:
    info = {"platform": platform.platform(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "cores": os.cpu_count(), "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if database == "postgresql":
        import psycopg

        with psycopg.connect(_libpq(pg) + "/postgres") as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    return info


def cpu_line(runs: list[dict]) -> str:
    parts = []
    for r in runs:
        c = r.get("cpu_during_import") or {}
        sv, im = c.get("server"), c.get("import_to_its_last_line")
        if sv:
            parts.append(f"server {sv['cpu_s']} s on a CPU / {sv['runqueue_wait_s']} s waiting for one"
                         + (f", import {im['cpu_s']} / {im['runqueue_wait_s']} s" if im else ""))
    if not parts:
        return "- CPU during the import: not recorded."
    return ("- CPU during the import, per run (/proc/PID/task/*/schedstat; waiting = runnable but no CPU free; "
            "lower bounds: a thread that ends, such as an idle worker of the server's pool, takes its counts "
            "with it): " + "; ".join(parts) + ".")


def label_of(entry: dict) -> str:
    c = entry["code"]
    commit = c.get("src_commit") or c["commit"]
    return f"{entry['database']} @ {commit[:7] or 'unknown'}{' (dirty)' if c['src_dirty'] else ''}"


def ms(x) -> str:
    return "—" if x is None else (f"{x:,.0f}" if x >= 1000 else f"{x}")


def markdown(entries: dict) -> str:
    lines = ["# Reads during a bulk import: the supervisor's list while command-and-control logs are imported", "",
             "`bench/read_during_import.py`. Each repetition builds a fresh database (the demo force scaled up, "
             "so division A's supervisor has open missing-person reports on the list), serves the app with "
             "uvicorn (one worker), times the supervisor's requests from a client process, sent on a fixed "
             "schedule whether or not earlier ones were answered, each timed from its scheduled moment "
             "(a baseline, then continuously while `beacon incidents import` of one CSV runs in another process, "
             "until it exits), and records every latency and status. Figures are medians over the repetitions "
             "(max: the largest of any). Target (issue 7): the list's p95 under "
             f"{TARGET_MS:.0f} ms during a 400,000-row import on SQLite.", "",
             "API = `GET /api/v1/supervisor/queue` (bearer token of supervisor.a); page = `GET /supervisor` "
             "(signed-in session). \"Writing\" = from the import's `validated` line to its commit, when it holds "
             "the write lock. What the figures show, and where the old design's reads wait: "
             "`bench/results/read_during_import_findings.md`.", "",
             "| Database @ code | Design | Rows | Runs | Baseline API p50 / p95 | During import API p50 / p95 / max "
             "| API requests (not 200) | Writing pass API p95 | Page baseline p95 | Page during p50 / p95 / max "
             "(not 200) | Import | Rows/s | Target met? |",
             "|---|---|---:|---:|---|---|---|---:|---:|---|---:|---:|---|"]
    for label, e in entries.items():
        s = e["summary"]
        b, d, w = s["baseline"], s["during"], s["during_writing"]
        design = "access store" if e["code"]["access_store"] else "one log in main db"
        lines.append(
            f"| {label} | {design} | {e['rows']:,} | {len(e['runs'])} | {ms(b['api']['p50_ms'])} / "
            f"{ms(b['api']['p95_ms'])} ms | {ms(d['api']['p50_ms'])} / **{ms(d['api']['p95_ms'])}** / "
            f"{ms(d['api']['max_ms'])} ms | {d['api']['count']:.0f} ({d['api']['non_200_total']}) "
            f"| {ms(w['api']['p95_ms'])} ms | {ms(b['page']['p95_ms'])} ms | {ms(d['page']['p50_ms'])} / "
            f"{ms(d['page']['p95_ms'])} / {ms(d['page']['max_ms'])} ms "
            f"({d['page']['non_200_total']}) | {s['import_seconds']} s | {s['import_rows_per_second']:,.0f} "
            f"| {'yes' if s['target_met'] else '**no**'} |")
    lines += [""]
    for label, e in entries.items():
        s, m, c = e["summary"], e["machine"], e["code"]
        loads = sorted({tuple(r["loadavg_import_start"]) for r in e["runs"]} | {tuple(r["loadavg_import_end"])
                                                                                 for r in e["runs"]})
        lines += [f"## {label}", "",
                  f"- Command: `{e['command']}`",
                  f"- Code: {c['source']} at {c['commit']} (last changed by {c.get('src_commit', '?')[:10]})"
                  f"{' plus uncommitted changes' if c['src_dirty'] else ''} "
                  f"({c['design']}); script at {c['script_commit'][:10]}.",
                  f"- Machine: {m['platform']}, {m['cores']} cores ({m.get('cpu', '?')}), Python {m['python']}, "
                  f"SQLite {m['sqlite']}" + (f", PostgreSQL {m['postgresql']}" if m.get("postgresql") else "")
                  + f"; {e['started_at']}. Load average at start {m['loadavg_at_start']}; at the imports' starts "
                    f"and ends {', '.join(str(list(x)) for x in loads)} (the machine is shared).",
                  f"- Per run, API p95 during the import: {s['during']['api']['p95_ms_runs']} ms; page: "
                  f"{s['during']['page']['p95_ms_runs']} ms; imports {s['import_seconds_runs']} s"
                  + (f"; **{s['imports_failed']} import(s) failed**" if s["imports_failed"] else "") + ".",
                  f"- Database per run: demo x{e['scale']} ({e['runs'][0]['build']['counts'].get('missing_report', 0):,}"
                  f" reports, {e['runs'][0]['build']['counts'].get('open_reports', 0)} open force-wide; supervisor.a's "
                  f"list: {e['runs'][0]['list_items']}); {e['rows']:,} logs in one CSV for division A.",
                  cpu_line(e["runs"]),
                  f"- Server log, summed over runs: {sum(r['server_log']['database_is_locked'] for r in e['runs'])} "
                  f"'database is locked', {sum(r['server_log']['tracebacks'] for r in e['runs'])} tracebacks.", ""]
        bad = [x for r in e["runs"] for x in r["non_200_examples"]][:3]
        if bad:
            lines += ["Non-200 examples: " + "; ".join(f"{x['endpoint']} {x['status']} after {x['ms']:.0f} ms at "
                                                       f"t={x['t']:.0f} s" for x in bad), ""]
        if e.get("note"):
            lines += [e["note"], ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=400_000, help="logs in the import (default 400,000)")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions, each on a fresh database (default 3)")
    ap.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    ap.add_argument("--source", default=str(ROOT / "src"), help="the src/ tree to measure (default this checkout's)")
    ap.add_argument("--baseline", type=int, default=100, help="baseline requests per endpoint (default 100)")
    ap.add_argument("--warmup", type=int, default=10, help="unmeasured rounds first (default 10)")
    ap.add_argument("--rate", type=float, default=4.0,
                    help="requests per second, both endpoints together, on a fixed schedule (default 4: as 20 "
                         "supervisors' pages polling every 5 s)")
    ap.add_argument("--timeout", type=float, default=120, help="a request's time-out in seconds (default 120)")
    ap.add_argument("--scale", type=int, default=20, help="the demo's missing-person volume times (default 20)")
    ap.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT), help="PostgreSQL server, no database")
    ap.add_argument("--out", default=str(RESULTS / "read_during_import"), help="results path without extension")
    ap.add_argument("--note", default="", help="a sentence kept with this entry in the results")
    ap.add_argument("--spy", type=int, default=0, metavar="N",
                    help="py-spy dump the server N times, once a second, when the writing pass starts")
    ap.add_argument("--keep-samples", action="store_true", help="keep every request's sample in the JSON")
    ap.add_argument("--report-only", action="store_true", help="only write the .md again from the .json")
    args = ap.parse_args()
    if args.report_only:
        path = Path(args.out).with_suffix(".json")
        Path(args.out).with_suffix(".md").write_text(markdown(json.loads(path.read_text())))
        return
    code = code_facts()
    python = Path(sys.executable)
    try:
        python = python.relative_to(ROOT)
    except ValueError:
        pass
    entry: dict = {"command": f"{python} bench/read_during_import.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
                   "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "database": args.database,
                   "rows": args.rows, "scale": args.scale, "code": code, "machine": machine(args.database, args.pg),
                   "parameters": {k: getattr(args, k) for k in ("baseline", "warmup", "rate", "timeout", "repeat")},
                   "note": args.note, "runs": []}
    log(f"measuring {code['source']} at {code['commit'][:10]}: {code['design']}")
    workroot = Path(tempfile.mkdtemp(prefix="beacon-bench-read-"))
    started = time.perf_counter()
    try:
        log(f"generating {args.rows:,} logs for division A")
        t = time.perf_counter()
        csv_path, generated = generate_csv(workroot, args.rows)
        entry["generated"] = {**generated, "seconds": round(time.perf_counter() - t, 1),
                              "csv_bytes": csv_path.stat().st_size}
        for n in range(1, args.repeat + 1):
            entry["runs"].append(one_run(n, args, csv_path, args.rows, workroot))
    finally:
        shutil.rmtree(workroot, ignore_errors=True)
    entry["summary"] = summarise(entry["runs"])
    entry["total_seconds"] = round(time.perf_counter() - started, 1)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.with_suffix(".json")
    entries = json.loads(path.read_text()) if path.exists() else {}
    entries[label_of(entry)] = entry
    path.write_text(json.dumps(entries, indent=2, default=str) + "\n")
    out.with_suffix(".md").write_text(markdown(entries))
    s = entry["summary"]
    log(f"{label_of(entry)}: during the import, list API p95 {s['during']['api']['p95_ms']} ms (median of "
        f"{args.repeat}), max {s['during']['api']['max_ms']} ms, {s['during']['api']['non_200_total']} not 200; "
        f"baseline p95 {s['baseline']['api']['p95_ms']} ms; import {s['import_seconds']} s "
        f"({s['import_rows_per_second']:,.0f} rows/s); target {'met' if s['target_met'] else 'NOT met'}; "
        f"wrote {path} and {out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
