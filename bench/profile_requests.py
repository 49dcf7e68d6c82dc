"""Profile one benchmark request in-process against an existing scaled database.

    python bench/profile_requests.py DATABASE_URL [--user supervisor.a] [--path /api/v1/supervisor/queue]
                                     [--q TEXT] [--repeat 20] [--explain] [--cprofile] [--patch module:function]

Counts the SQL statements one request runs, times the request in-process (the app on the
same TestClient transport the tests use), prints the query plan of each distinct statement
(SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN (ANALYZE, BUFFERS)) and optionally a cProfile
summary. For finding where the benchmark's time goes; not part of the benchmark's figures.
"""
from __future__ import annotations

import argparse
import cProfile
import importlib
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

from beacon.db import make_engine  # noqa: E402
from beacon.demo.build import DEMO_PASSWORD  # noqa: E402
from beacon.web.app import create_app  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--user", default="supervisor.a")
    ap.add_argument("--path", default="/api/v1/supervisor/queue")
    ap.add_argument("--q", default=None)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--cprofile", action="store_true")
    ap.add_argument("--patch", default=None)
    args = ap.parse_args()
    if args.patch:
        module, func = args.patch.split(":")
        getattr(importlib.import_module(module), func)()
    engine = make_engine(args.url)
    statements: list[tuple[str, object]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    client = TestClient(create_app(engine, secret_key="profile-only"))
    token = client.post("/api/v1/tokens", json={"username": args.user, "password": DEMO_PASSWORD}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    params = {"q": args.q} if args.q is not None else {}
    for _ in range(3):
        client.get(args.path, params=params, headers=headers).raise_for_status()
    statements.clear()
    r = client.get(args.path, params=params, headers=headers)
    r.raise_for_status()
    one = list(statements)
    times = []
    prof = cProfile.Profile() if args.cprofile else None
    for _ in range(args.repeat):
        if prof:
            prof.enable()
        t = time.perf_counter()
        client.get(args.path, params=params, headers=headers)
        times.append((time.perf_counter() - t) * 1000)
        if prof:
            prof.disable()
    distinct: dict[str, list] = {}
    for sql, p in one:
        distinct.setdefault(sql, []).append(p)
    print(f"{args.path} {params} as {args.user}: {len(r.content)} bytes; {len(one)} SQL statements "
          f"({len(distinct)} distinct); in-process median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms over {args.repeat}")
    for sql, plist in distinct.items():
        print(f"  x{len(plist)}: {' '.join(sql.split())[:220]}")
    if args.explain:
        for sql, plist in distinct.items():
            if not sql.lstrip().upper().startswith("SELECT") or "missing_report" not in sql:
                continue
            print("\n" + " ".join(sql.split()))
            print("params:", plist[0])
            with engine.connect() as conn:
                if engine.dialect.name == "sqlite":
                    for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, plist[0]):
                        print("   ", row[1], row[2], row[3])
                    t = time.perf_counter()
                    conn.exec_driver_sql(sql, plist[0]).fetchall()
                    print(f"    executed in {(time.perf_counter() - t) * 1000:.1f} ms")
                else:
                    raw = conn.connection.dbapi_connection
                    with raw.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, plist[0])
                        for (line,) in cur.fetchall():
                            print("   ", line)
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
    _ = text


if __name__ == "__main__":
    main()
