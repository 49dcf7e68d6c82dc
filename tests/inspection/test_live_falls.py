"""A fall in a live grade is a signal on the inspector's page (issue 9, item 4)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from beacon.access.unit_of_work import transaction
from beacon.inspection import live_grades
from beacon.inspection.models import LiveGrade
from beacon.inspection.types import Grade
from tests.web.helpers import login

AT = datetime(2026, 12, 1, tzinfo=timezone.utc)


def _kept(s, force_id, framework_id, month, grade):
    s.add(LiveGrade(force_id=force_id, library_id="hmic-2007", framework_id=framework_id, month=month,
                    period_start=date(month.year - 1, month.month, 1), period_end=month, grade=grade,
                    provisional=True, decision="{}", criteria="{}", computed_at=AT))


def test_the_latest_month_against_the_one_before(client, world, sessions):
    with transaction(sessions) as s:
        for month, mp, dv, ca in ((date(2026, 10, 1), Grade.GOOD, Grade.FAIR, Grade.FAIR),
                                  (date(2026, 11, 1), Grade.FAIR, Grade.FAIR, None)):
            _kept(s, world.force_id, "missing_persons", month, mp)
            _kept(s, world.force_id, "domestic_violence", month, dv)
            _kept(s, world.force_id, "child_abuse", month, ca)
    with sessions() as s:
        assert live_grades.falls(s, "hmic-2007") == [("child_abuse", Grade.FAIR, None),
                                                    ("missing_persons", Grade.GOOD, Grade.FAIR)]
    login(client, "inspector")
    html = client.get("/inspections").text
    assert "A live grade fell this month" in html
    assert "Protecting Vulnerable People – Missing Persons (Good to Fair)" in html
    assert "(Fair to Not evidenced)" in html


def test_no_signal_without_two_months(client, world, sessions):
    with transaction(sessions) as s:
        _kept(s, world.force_id, "missing_persons", date(2026, 11, 1), Grade.POOR)
    login(client, "inspector")
    assert "A live grade fell" not in client.get("/inspections").text


def test_no_signal_across_months_that_were_not_kept(client, world, sessions):
    """The demo keeps 2006/07 and the current month: a change between March 2007 and today is not
    this month's fall, and the page says the month before was not kept."""
    with transaction(sessions) as s:
        _kept(s, world.force_id, "missing_persons", date(2007, 3, 1), Grade.FAIR)
        _kept(s, world.force_id, "missing_persons", date(2026, 12, 1), Grade.POOR)
    with sessions() as s:
        assert live_grades.falls(s, "hmic-2007") == []
    login(client, "inspector")
    assert "A live grade fell" not in client.get("/inspections").text
