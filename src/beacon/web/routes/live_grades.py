"""Live grades: the chief officer's page of the force's standing month by month, and its API."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from beacon.inspection import explain, live_grades
from beacon.inspection.live_grades import Standing
from beacon.inspection.types import grade_value
from beacon.reports import charts
from beacon.web.deps import ApiUser, CurrentUser, Db, ForceSettings
from beacon.web.render import render
from beacon.web.routes.responses import ERRORS

DEFAULT_LIBRARY = "hmic-2007"
pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["inspection"])


def _library(library_id: str) -> str:
    return library_id if re.fullmatch(r"[a-z0-9\-]{1,40}", library_id) else DEFAULT_LIBRARY


class LiveMonthOut(BaseModel):
    month: date
    period_start: date
    period_end: date
    grade: str | None             # None: not evidenced
    provisional: bool


class LiveFrameworkOut(BaseModel):
    framework_id: str
    title: str
    grade: str | None             # None: not evidenced
    month: date
    fell: bool
    carried_from_inspection: int | None
    reasons: list[str]
    criteria: dict[str, Any]
    moved: list[dict[str, str]]
    what_would_change: dict[str, Any]
    history: list[LiveMonthOut]


def _out(s: Standing) -> LiveFrameworkOut:
    return LiveFrameworkOut(
        framework_id=s.framework.id, title=s.framework.title, grade=grade_value(s.latest.grade), month=s.latest.month,
        fell=s.fell, carried_from_inspection=s.carried_from, reasons=list(s.latest.decision.reasons),
        criteria=s.latest.criteria_json(),
        moved=[{"criterion_id": m.criterion_id, "before": m.before.value, "after": m.after.value, "source": m.source}
               for m in s.moved],
        what_would_change={d: r.to_json() if r else None for d, r in s.routes.items()},
        history=[LiveMonthOut(month=h.month, period_start=h.period_start, period_end=h.period_end,
                              grade=grade_value(h.grade), provisional=h.provisional) for h in s.history])


def _breaks(s: Standing) -> set[int]:
    """The months kept after a month that was not (the chart dashes the line across the gap)."""
    return {i for i in range(1, len(s.history))
            if not live_grades.consecutive(s.history[i - 1].month, s.history[i].month)}


@api.get("/live-grades", response_model=list[LiveFrameworkOut], responses=ERRORS)  # type: ignore[arg-type]
def live_grades_api(*, user: ApiUser, session: Db, settings: ForceSettings, library_id: str = DEFAULT_LIBRARY):
    """Each framework's live provisional grade (the latest month kept), its history, what moved it
    and what would change it."""
    return [_out(s) for s in live_grades.standing(session, user, _library(library_id), settings)]


@pages.get("/live-grades")
def live_grades_page(*, request: Request, user: CurrentUser, session: Db, settings: ForceSettings,
                     library_id: str = DEFAULT_LIBRARY):
    found = live_grades.standing(session, user, _library(library_id), settings)
    names = explain.division_names(session)
    rows = [{"s": s, "chart": charts.grade_history_chart([(f"{h.month:%b %Y}", h.grade) for h in s.history],
                                                         f"Live grade by month: {s.framework.title}",
                                                         f"live-{s.framework.id.replace('_', '-')}",
                                                         breaks=_breaks(s)),
             "routes": {d: r.sentence(names) if r else None for d, r in s.routes.items()},
             "bound": [(cid, c) for cid, c in s.latest.criteria.items() if c.proposal is not None],
             "explained": {cid: c.proposal.explain(names) for cid, c in s.latest.criteria.items() if c.proposal}}
            for s in found]
    return render(request, "inspection/live.html", title="Live grades", rows=rows,
                  months=live_grades.kept_months(session, _library(library_id)),
                  live_months=int(settings["grading.live_months"]))
