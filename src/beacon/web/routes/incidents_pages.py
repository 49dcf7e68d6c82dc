"""Incident pages: find a log, the incident page (address warnings first), importing a file of logs
with its per-row error report, the PPU's work queue (keeps itself current) and the supervisor's
closure audit review list."""
from __future__ import annotations

from datetime import timedelta
from pathlib import PurePath

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from beacon.assurance import closure_audit
from beacon.cases.incidents import importer, service
from beacon.cases.incidents.schemas import (
    PPU_LABELS,
    CloseIn,
    FlagDecisionIn,
    WorkItemUpdateIn,
)
from beacon.org.roles import Role
from beacon.people import repository as people_repo
from beacon.web.deps import CheckedForm, CurrentUser, Db, Now, _check_csrf
from beacon.web.forms import Field, form_errors
from beacon.web.render import render
from beacon.web.routes.incidents_api import (
    flag_out,
    incident_out,
    place,
    report_out,
    work_item_out,
)

router = APIRouter(include_in_schema=False)
IMPORTERS = {Role.OFFICER, Role.SUPERVISOR}
RISK_FORM_ROLES = {Role.OFFICER, Role.SUPERVISOR, Role.PPU}   # who completes a domestic abuse risk form
AUDIT_WINDOWS = {"7": "the last 7 days", "30": "the last 30 days", "90": "the last 90 days", "365": "the last year"}


@router.get("/incidents")
def list_page(*, request: Request, log_ref: str = "", user: CurrentUser,
              session: Db, at: Now):
    not_found = False
    if log_ref.strip():
        incident = service.find_incident(session, user, log_ref[:40])
        if incident is not None:
            return RedirectResponse(f"/incidents/{incident.id}", status_code=303)
        not_found = True
    rows = service.latest(session, user)
    places = people_repo.locations_by_id(session, [i.location_id for i in rows])
    return render(request, "incidents/list.html", title="Incidents", log_ref=log_ref[:40], not_found=not_found,
                  rows=[(i, place(user, places.get(i.location_id))) for i in rows], can_import=user.role in IMPORTERS,
                  labels=PPU_LABELS)


@router.get("/incidents/{incident_id:int}")
def incident_page(*, request: Request, incident_id: int, closed: str = "", user: CurrentUser,
                  session: Db, at: Now):
    incident = service.get_incident(session, user, incident_id)
    return _incident_page(request, session, user, incident, at, closed=closed)


CLOSING_CHOICES = (("domestic", "Domestic"), ("child_protection", "Child protection"), ("other", "Another closing code"))


def _incident_page(request, session, user, incident, at, status_code=200, errors=None, values=None, closed=""):
    out = incident_out(user, service.detail(session, user, incident), at)
    victim = next((p.person_id for p in out.people if p.role == "victim"), None)
    return render(request, "incidents/incident.html", status_code=status_code, title=f"Log {out.log_ref}",
                  incident=out, labels=PPU_LABELS, can_close=out.closed_at is None and service.may_close(user, incident),
                  choices=CLOSING_CHOICES, errors=errors or {}, values=values or {}, closed=closed,
                  risk_form_href=(f"/domestic-abuse/new?incident_id={out.id}" + (f"&victim_id={victim}" if victim else ""))
                  if out.closing_code == "domestic" and user.role in RISK_FORM_ROLES else None)


@router.post("/incidents/{incident_id:int}/close")
def close_log(*, request: Request, incident_id: int, form: CheckedForm,
              user: CurrentUser, session: Db,
              at: Now):
    choice = form.get("closing", "")
    code = form.get("other_code", "").strip() if choice == "other" else choice
    errors = {}
    if choice not in {c for c, _ in CLOSING_CHOICES}:
        errors["closing"] = "Select how the log was closed"
    elif not code:
        errors["other_code"] = "Enter the closing code"
    try:
        data = CloseIn.model_validate({"version": int(form.get("version") or 0) or 1, "closing_code": code or "x",
                                       "note": form.get("note", "")})
    except ValidationError as exc:
        errors.update(form_errors(exc, lambda path: Field("other_code" if path == "closing_code" else path, bare=True)))
    if errors:
        incident = service.get_incident(session, user, incident_id)
        return _incident_page(request, session, user, incident, at, 422, errors, form)
    service.close(session, user, incident_id, data, at)
    return RedirectResponse(f"/incidents/{incident_id}?closed=1", status_code=303)


@router.get("/incidents/import")
def import_page(*, request: Request, user: CurrentUser):
    return render(request, "incidents/import.html", title="Import command and control logs",
                  columns=importer.CSV_COLUMNS, can_import=user.role in IMPORTERS)


async def upload_form(request: Request) -> dict:
    """The posted upload form (after checking its CSRF token): format, filename and the file's bytes."""
    form = await request.form()
    token = form.get("csrf_token")
    _check_csrf(request, token if isinstance(token, str) else None)
    file = form.get("file")
    fmt = form.get("format")
    out = {"format": fmt if isinstance(fmt, str) else "", "filename": "", "content": b""}
    if isinstance(file, UploadFile) and file.filename:
        out["filename"], out["content"] = file.filename, await file.read()
    return out


@router.post("/incidents/import")
def import_upload(*, request: Request, user: CurrentUser, form: dict = Depends(upload_form),
                  session: Db, at: Now):
    errors = {}
    fmt = form["format"] or PurePath(form["filename"]).suffix.lstrip(".").lower()
    if not form["filename"]:
        errors["file"] = "Choose the file of logs to import"
    elif fmt not in importer.FORMATS:
        errors["format"] = "Choose CSV or JSON (or name the file .csv or .json)"
    if errors:
        return render(request, "incidents/import.html", status_code=422, title="Import command and control logs",
                      columns=importer.CSV_COLUMNS, can_import=True, errors=errors, values={"format": form["format"]})
    report = importer.import_file(session, user, form["content"], fmt, form["filename"], at)
    return render(request, "incidents/import.html", status_code=200 if report.status == "imported" else 422,
                  title="Import command and control logs", columns=importer.CSV_COLUMNS, can_import=True,
                  report=report_out(report))


# --- the PPU's queue ------------------------------------------------------------------------------------

def _queue(session, user, at):
    rows, total, places = service.work_queue(session, user, limit=200)
    return {"items": [work_item_out(user, w, i, places.get(i.location_id), at) for w, i in rows], "total": total,
            "labels": PPU_LABELS, "can_update": user.role is Role.PPU}


@router.get("/ppu/work-items")
def queue_page(*, request: Request, done: str = "", user: CurrentUser,
               session: Db, at: Now):
    return render(request, "incidents/queue.html", title="Public protection work queue", at=at, done=done[:20],
                  **_queue(session, user, at))


@router.get("/ppu/work-items/fragment")
def queue_fragment(*, request: Request, user: CurrentUser, session: Db,
                   at: Now):
    return render(request, "incidents/queue_items.html", at=at, **_queue(session, user, at))


@router.post("/ppu/work-items/{item_id:int}")
def queue_update(*, request: Request, item_id: int, form: CheckedForm,
                 user: CurrentUser, session: Db):
    data = WorkItemUpdateIn.model_validate({"status": form.get("status") or "open",
                                            "version": int(form.get("version", "0") or 0) or 1})
    service.update_work_item(session, user, item_id, data)
    return RedirectResponse(f"/ppu/work-items?done={data.status}", status_code=303)


# --- the closure audit --------------------------------------------------------------------------------

def _audit_page(request, session, user, at, status_code=200, **extra):
    rows, total, places = closure_audit.list_flags(session, user, "to_review", limit=200)
    flags = [flag_out(user, f, i, places.get(i.location_id)) for f, i in rows]
    return render(request, "incidents/audit.html", status_code=status_code, title="Closure audit", flags=flags,
                  total=total, labels=PPU_LABELS, windows=AUDIT_WINDOWS, signals=closure_audit.SIGNALS_BY_ID, **extra)


@router.get("/incidents/closure-audit")
def audit_page(*, request: Request, ran: str = "", decided: str = "", user: CurrentUser,
               session: Db, at: Now):
    return _audit_page(request, session, user, at, ran=ran[:80], decided=decided[:20])


@router.post("/incidents/closure-audit/run")
def audit_run(*, request: Request, form: CheckedForm, user: CurrentUser,
              session: Db, at: Now):
    days = form.get("days", "30")
    days = int(days) if days in AUDIT_WINDOWS else 30
    result = closure_audit.audit(session, user, at - timedelta(days=days), at, at)
    return RedirectResponse(f"/incidents/closure-audit?ran={result.examined}-{result.flagged}", status_code=303)


@router.post("/incidents/closure-audit/{flag_id:int}")
def audit_decide(*, request: Request, flag_id: int, form: CheckedForm,
                 user: CurrentUser, session: Db, at: Now):
    try:
        data = FlagDecisionIn.model_validate({"decision": form.get("decision") or None, "note": form.get("note", ""),
                                              "closing_code": form.get("closing_code") or None})
    except ValidationError as exc:
        errors = form_errors(exc, lambda path: Field(f"{path}-{flag_id}", bare=True))
        session.rollback()
        return _audit_page(request, session, user, at, status_code=422, errors=errors,
                           values={f"note-{flag_id}": form.get("note", "")})
    closure_audit.decide_flag(session, user, flag_id, data, at)
    return RedirectResponse(f"/incidents/closure-audit?decided={data.decision}", status_code=303)
