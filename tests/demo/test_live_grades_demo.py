"""The demo's live grades: kept month by month by the same job a force runs; the March 2007 grades
of the frameworks bound to records are the report's; and changing one division's records moves
the proposed result and the grade (then rolled back)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from beacon import config, migrate
from beacon.cases.missing_persons.models import MissingReport, Review
from beacon.db import make_engine
from beacon.demo.build import LIVE_YEAR, build
from beacon.inspection import live, live_grades
from beacon.inspection.models import LiveGrade
from beacon.inspection.types import Grade, Result

NOW = datetime(2025, 1, 15, 12, 0, tzinfo=timezone.utc)
MARCH_2007 = date(2007, 3, 1)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = "sqlite:///" + str(tmp_path_factory.mktemp("live") / "demo.db")
    migrate.upgrade(url)
    engine = make_engine(url)
    build(engine, seed=2007, now=NOW)
    yield engine
    engine.dispose()


def test_the_history_is_kept_for_each_month_of_the_year_and_this_month(engine):
    with Session(engine) as s:
        months = live_grades.kept_months(s, "hmic-2007")
    assert months == [*live.months_between(*LIVE_YEAR), date(2025, 1, 1)]


def test_march_2007_live_grades_of_the_bound_frameworks_are_the_reports(engine):
    with Session(engine) as s:
        rows = {r.framework_id: r for r in s.scalars(select(LiveGrade).where(LiveGrade.month == MARCH_2007))}
    assert {f: rows[f].grade for f in ("child_abuse", "domestic_violence", "missing_persons")} == {
        "child_abuse": Grade.POOR, "domestic_violence": Grade.FAIR, "missing_persons": Grade.FAIR}
    assert rows["missing_persons"].period_start == date(2006, 4, 1)


def test_changing_one_divisions_records_moves_the_proposed_result_and_the_grade(engine):
    settings = config.defaults()
    with Session(engine) as s:
        before = {f.framework_id: f for f in live_grades.compute(s, "hmic-2007", MARCH_2007, settings, NOW).frameworks}
        mp = before["missing_persons"]
        assert mp.criteria["mp.f.high-risk-supervised-to-criteria"].result is Result.MET and mp.grade is Grade.FAIR
        busiest = s.execute(select(MissingReport.division_id, func.count()).group_by(MissingReport.division_id)
                            .order_by(func.count().desc())).first()[0]
        # The busiest division's supervisory reviews of the year were never recorded.
        s.execute(delete(Review).where(Review.report_id.in_(
            select(MissingReport.id).where(MissingReport.division_id == busiest))))
        after = {f.framework_id: f for f in live_grades.compute(s, "hmic-2007", MARCH_2007, settings, NOW).frameworks}
        mp2 = after["missing_persons"]
        assert mp2.criteria["mp.f.high-risk-supervised-to-criteria"].result is Result.NOT_MET
        assert mp2.grade is Grade.POOR                      # a dominant criterion not met
        assert after["child_abuse"].grade is before["child_abuse"].grade      # nothing else moved
        s.rollback()
