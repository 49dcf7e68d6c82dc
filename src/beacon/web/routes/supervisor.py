"""The supervisor's list: new high-risk reports and reviews due or overdue, kept up to date
in the page by a small script that fetches the list fragment every few seconds."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.cases.missing_persons import service
from beacon.web import present
from beacon.web.deps import current_user, db, now
from beacon.web.render import render

router = APIRouter(include_in_schema=False)


def _lists(session, user, at):
    new_high, overdue, due_soon = service.supervisor_queue(session, user, at)
    return {name: [present.summary(user, r, at) for r in rows]
            for name, rows in (("new_high", new_high), ("overdue", overdue), ("due_soon", due_soon))}


@router.get("/supervisor")
def supervisor_page(request: Request, user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"),
                    at: datetime = Depends(now)):
    return render(request, "supervisor/page.html", title="Supervisor's list", at=at, **_lists(session, user, at))


@router.get("/supervisor/fragment")
def supervisor_fragment(request: Request, user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"),
                        at: datetime = Depends(now)):
    return render(request, "supervisor/lists.html", at=at, **_lists(session, user, at))
