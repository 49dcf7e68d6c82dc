"""Live-grade benchmark: every framework's live provisional grade for a force-year recomputed from
the records, on SQLite and on PostgreSQL, at the demo's volume and at 10 times its missing-person
volume.

    python bench/live_grades.py [--runs 5] [--scale 10] [--databases sqlite,postgresql]

For each database: migrate a fresh database and build the demo (``beacon.demo.build.build``),
then time, ``--runs`` times each:

* ``one_month``: ``beacon.inspection.live_grades.compute`` for March 2007 (the rolling 12 months
  April 2006 to March 2007, the demo's year): the missing-persons, domestic-abuse and
  child-protection audits over the window, every bound criterion's proposal, the carried
  inspector results and the engine for each framework. The issue's target: under 2 s.
* ``backfill_year``: ``live_grades.refresh`` for the 12 months of that year, written to the
  ``live_grade`` table (what ``beacon grade live --from 2006-04`` does), in one transaction.

Then the demo's missing-person year is copied ``--scale - 1`` more times (``bench/scale_load.py``:
each copy a year further back, new synthetic people), and ``one_month`` is timed again with the
window widened to ``--scale`` x 12 months, so the missing-person audit reads ``--scale`` times the
demo's year. Domestic-abuse and child-protection records are not scaled (no scaler for them yet),
so their share of the 10x figure is at the demo's volume: the figure says so.

Figures are medians of the runs; writes bench/results/live_grades.json and .md. Not a test.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import scale_load  # noqa: E402
from missing_persons import PG_DEFAULT, log, pg_database, sqlite_database  # noqa: E402

from beacon import config, migrate  # noqa: E402
from beacon.db import make_engine, session_factory  # noqa: E402
from beacon.demo import build as demo  # noqa: E402
from beacon.inspection import live_grades  # noqa: E402
from beacon.inspection.types import grade_label  # noqa: E402
from beacon.rules.clocks import add_months  # noqa: E402

LIBRARY = "hmic-2007"
MONTH = date(2007, 3, 1)
TARGET_S = 2.0


def _median(xs: list[float]) -> float:
    return round(statistics.median(xs), 3)


def _time_month(factory, settings: dict, now: datetime, runs: int) -> tuple[list[float], dict]:
    times, grades = [], {}
    for _ in range(runs):
        with factory() as s:
            t = time.perf_counter()
            month = live_grades.compute(s, LIBRARY, MONTH, settings, now)
            times.append(time.perf_counter() - t)
            grades = {g.framework_id: grade_label(g.grade) for g in month.frameworks}
    return times, grades


def _time_backfill(factory, settings: dict, now: datetime, runs: int) -> list[float]:
    months = [add_months(date(2006, 4, 1), i) for i in range(12)]
    times = []
    for _ in range(runs):
        with factory() as s:
            t = time.perf_counter()
            live_grades.refresh(s, LIBRARY, months, settings, now)
            s.commit()
            times.append(time.perf_counter() - t)
    return times


def bench(kind: str, url: str, runs: int, scale: int) -> dict:
    migrate.upgrade(url)
    engine = make_engine(url)
    t = time.perf_counter()
    demo.build(engine)
    log(f"{kind}: demo built in {time.perf_counter() - t:.1f} s")
    factory = session_factory(engine)
    settings = dict(config.defaults())
    now = datetime.now(UTC)
    month_times, grades = _time_month(factory, settings, now, runs)
    log(f"{kind}: one month at the demo's volume: median {_median(month_times)} s {grades}")
    backfill = _time_backfill(factory, settings, now, max(1, runs // 2))
    log(f"{kind}: backfill of 12 months: median {_median(backfill)} s")
    t = time.perf_counter()
    scale_load.scale_up(engine, scale, now)
    load_s = time.perf_counter() - t
    if kind == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    wide = {**settings, "grading.live_months": 12 * scale}
    scaled_times, scaled_grades = _time_month(factory, wide, now, runs)
    log(f"{kind}: one month at {scale}x missing persons ({12 * scale}-month window): "
        f"median {_median(scaled_times)} s (load {load_s:.0f} s)")
    engine.dispose()
    return {"one_month": {"runs_s": [round(x, 3) for x in month_times], "median_s": _median(month_times),
                          "grades": grades, "met_target": _median(month_times) < TARGET_S},
            "backfill_year": {"runs_s": [round(x, 3) for x in backfill], "median_s": _median(backfill)},
            f"one_month_{scale}x_missing_persons": {"runs_s": [round(x, 3) for x in scaled_times],
                                                    "median_s": _median(scaled_times), "grades": scaled_grades,
                                                    "window_months": 12 * scale, "load_s": round(load_s, 1)}}


def markdown(result: dict) -> str:
    scale = result["scale"]
    lines = [f"# Live grades benchmark ({result['when']})", "",
             f"Machine: {result['machine']}. Medians of {result['runs']} runs (backfill: of "
             f"{max(1, result['runs'] // 2)}). Command: `{result['command']}`.", "",
             "| Database | One month, demo volume (target < 2 s) | 12-month backfill | "
             f"One month, {scale}x missing persons ({12 * scale}-month window) |",
             "|---|---|---|---|"]
    for kind, r in result["databases"].items():
        wide = r[f"one_month_{scale}x_missing_persons"]
        lines.append(f"| {kind} | {r['one_month']['median_s']:.2f} s "
                     f"({'met' if r['one_month']['met_target'] else 'missed'}) | "
                     f"{r['backfill_year']['median_s']:.2f} s | {wide['median_s']:.2f} s |")
    lines += ["", "Grades for March 2007 at the demo's volume: "
              + ", ".join(f"{k} {v}" for k, v in next(iter(result["databases"].values()))["one_month"]["grades"].items())
              + ".", "",
              f"The {scale}x column scales missing-person records only (bench/scale_load.py); domestic-abuse and "
              "child-protection records stay at the demo's volume there."]
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--scale", type=int, default=10)
    p.add_argument("--databases", default="sqlite,postgresql")
    p.add_argument("--pg-url", default=PG_DEFAULT)
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "live_grades"))
    args = p.parse_args()
    result = {"when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "runs": args.runs, "scale": args.scale,
              "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
              "command": "python bench/live_grades.py " + " ".join(sys.argv[1:]), "databases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.databases.split(","):
            scratch = sqlite_database(Path(tmp), "live") if kind == "sqlite" else pg_database(args.pg_url)
            with scratch as url:
                result["databases"][kind] = bench(kind, url, args.runs, args.scale)
    out = Path(args.out)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))


if __name__ == "__main__":
    main()
