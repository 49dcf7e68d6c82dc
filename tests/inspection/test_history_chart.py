"""The live grade's history chart: every month's grade in the accessible description, Not
evidenced drawn below Poor, and a gap in the kept months dashed, not drawn as the grade's line."""
from __future__ import annotations

import re

from beacon.inspection.types import Grade
from beacon.reports.charts import grade_history_chart


def test_each_month_is_described_and_a_gap_is_dashed():
    points = [("Feb 2007", Grade.POOR), ("Mar 2007", Grade.FAIR), ("Dec 2026", None)]
    svg = str(grade_history_chart(points, "Live grade by month: Child abuse", "live-ca", breaks={2}))
    assert 'role="img"' in svg and 'aria-labelledby="live-ca-title live-ca-desc"' in svg
    assert "Feb 2007 Poor; Mar 2007 Fair; Dec 2026 Not evidenced" in svg
    assert ">Not evidenced</text>" in svg                     # a level below Poor only when needed
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    assert path.count("M") == 2 and path.count("L") == 1      # the line stops at the gap
    assert svg.count("stroke-dasharray") == 1


def test_without_not_evidenced_there_is_no_level_for_it():
    svg = str(grade_history_chart([("Jan 2007", Grade.GOOD), ("Feb 2007", Grade.FAIR)], "t", "c"))
    assert "Not evidenced" not in svg and "stroke-dasharray" not in svg
