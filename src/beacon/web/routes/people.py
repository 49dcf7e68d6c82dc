"""A person's page: their missing episodes that the viewer may see."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from beacon.access.policy import Principal
from beacon.cases.missing_persons import service
from beacon.web import present
from beacon.web.deps import current_user, db, force_settings, now
from beacon.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/people/{person_id:int}")
def person_page(request: Request, person_id: int, user: Principal = Depends(current_user),
                session: Session = Depends(db, scope="function"), at: datetime = Depends(now)):
    person, reports = service.person_episodes(session, user, person_id)
    return render(request, "person.html", title=present.person_name(user, person),
                  person=person, pseudonymised=user.pseudonymised,
                  episodes=[present.summary(user, r, at) for r in reports])


@router.get("/missing-persons/repeats", name="repeats")
def repeats_page(request: Request, user: Principal = Depends(current_user), session: Session = Depends(db, scope="function"),
                 at: datetime = Depends(now), settings: dict = Depends(force_settings)):
    result, places = service.repeat_analysis(session, user, settings, at)
    return render(request, "repeats.html", title="Repeat missing persons and locations", result=result,
                  places=places, settings=settings)
