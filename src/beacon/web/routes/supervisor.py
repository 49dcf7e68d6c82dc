"""The supervisor's list: new high-risk reports and reviews due or overdue, kept up to date
in the page by a small script that fetches the list fragment every few seconds."""
from __future__ import annotations

from fastapi import APIRouter, Request

from beacon.cases.missing_persons import present, service
from beacon.web.deps import CurrentUser, Db, Now
from beacon.web.render import render

router = APIRouter(include_in_schema=False)


def _lists(session, user, at):
    new_high, overdue, due_soon = service.supervisor_queue(session, user, at)
    return {name: [present.summary(user, r, at) for r in rows]
            for name, rows in (("new_high", new_high), ("overdue", overdue), ("due_soon", due_soon))}


@router.get("/supervisor")
def supervisor_page(*, request: Request, user: CurrentUser, session: Db,
                    at: Now):
    return render(request, "supervisor/page.html", title="Supervisor's list", at=at, **_lists(session, user, at))


@router.get("/supervisor/fragment")
def supervisor_fragment(*, request: Request, user: CurrentUser, session: Db,
                        at: Now):
    return render(request, "supervisor/lists.html", at=at, **_lists(session, user, at))
