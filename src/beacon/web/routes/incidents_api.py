"""The incidents API (/api/v1): the live command-and-control feed, bulk imports, the public
protection unit's queue and the closure audit. Each endpoint is a thin call into the library;
the ``*_out`` functions shape records for the API and the pages, pseudonymised for inspectors."""
from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from beacon.access.policy import Principal
from beacon.assurance import closure_audit
from beacon.cases.incidents import importer, service
from beacon.cases.incidents import repository as repo
from beacon.cases.incidents.models import ClosureFlag, Incident, WorkItem
from beacon.cases.incidents.schemas import (
    AuditRunIn,
    AuditRunOut,
    CloseIn,
    FlagDecisionIn,
    FlagOut,
    FlagsOut,
    ImportJsonIn,
    ImportReportOut,
    IncidentOut,
    LogRecord,
    PersonOut,
    QueueOut,
    RowError,
    SignalOut,
    WarningOut,
    WorkItemOut,
    WorkItemUpdateIn,
    ppu_kind,
)
from beacon.errors import BeaconError, Invalid
from beacon.people.models import Location
from beacon.schemas import WholeNumber
from beacon.web.deps import ApiUser, Db, Now
from beacon.web.errors import field_errors
from beacon.web.routes.responses import ERRORS

router = APIRouter(prefix="/api/v1", tags=["incidents"])
RecordId = Annotated[WholeNumber(1, 2**31 - 1), Path(description="The record's number")]
WITHHELD = "(withheld)"


class UnsupportedMedia(BeaconError):
    status = 415


# --- shaping records ------------------------------------------------------------------------------

def place(user: Principal, location: Location | None) -> str:
    if location is None:
        return ""
    return WITHHELD if user.pseudonymised else location.label


def work_item_out(user: Principal, item: WorkItem, incident: Incident, location: Location | None,
                  at: datetime) -> WorkItemOut:
    age = int((at - item.created_at).total_seconds())
    return WorkItemOut(id=item.id, incident_id=item.incident_id, log_ref=incident.log_ref, kind=item.kind,
                       division_id=item.division_id, created_at=item.created_at, status=item.status,
                       taken_by=item.taken_by, version=item.version, age_seconds=age, age=service.age_text(age),
                       address=place(user, location))


def incident_out(user: Principal, d: service.IncidentDetail, at: datetime, outcome: str = "read") -> IncidentOut:
    i, hide = d.incident, user.pseudonymised
    return IncidentOut(
        id=i.id, log_ref=i.log_ref, version=i.version, received_at=i.received_at, closed_at=i.closed_at,
        opening_code=i.opening_code, closing_code=i.closing_code, ppu_closing=bool(i.closed_at and ppu_kind(i.closing_code)),
        narrative=WITHHELD if hide and i.narrative else i.narrative, address=place(user, d.location),
        location_id=None if hide else i.location_id, division_id=i.division_id, source=i.source,
        people=[PersonOut(person_id=p.id, name=service.person_label(p, hide), date_of_birth=service.dob_shown(p, hide),
                          role=role) for p, role in d.people],
        warnings=[WarningOut(id=w.id, kind=w.kind, reason=w.reason, incident_id=w.incident_id, created_at=w.created_at)
                  for w in d.warnings],
        work_item=work_item_out(user, d.work_item, i, d.location, at) if d.work_item else None,
        sent_to_ppu=d.sent_to_ppu, outcome=outcome)


def report_out(report: importer.ImportReport) -> ImportReportOut:
    return ImportReportOut(detail=report.detail, batch_id=report.batch_id, filename=report.filename,
                           format=report.format, status=report.status, rows=report.rows, created=report.created,
                           updated=report.updated, unchanged=report.unchanged, rejected=report.rejected,
                           work_items_created=report.work_items_created, warnings_created=report.warnings_created,
                           errors=[RowError(**e) for e in report.errors], errors_truncated=report.errors_truncated)


def flag_out(user: Principal, flag: ClosureFlag, incident: Incident, location: Location | None) -> FlagOut:
    import json

    return FlagOut(id=flag.id, incident_id=incident.id, log_ref=incident.log_ref, division_id=incident.division_id,
                   closed_at=incident.closed_at, closing_code=incident.closing_code,
                   narrative=WITHHELD if user.pseudonymised else incident.narrative, address=place(user, location),
                   suggested=flag.suggested, signals=[SignalOut(**s) for s in json.loads(flag.signals or "[]")],
                   flagged_at=flag.flagged_at, status=flag.status, reviewed_by=flag.reviewed_by,
                   reviewed_at=flag.reviewed_at, note=flag.note)


# --- the live feed and reading ----------------------------------------------------------------------

@router.post("/incidents", response_model=IncidentOut, status_code=201,
             responses={**ERRORS, 200: {"model": IncidentOut, "description": "Already recorded: unchanged or updated"}})
def receive(*, data: LogRecord, response: Response, user: ApiUser, session: Db,
            at: Now):
    """The live command-and-control feed. Idempotent on ``log_ref``: 201 when the log is new, 200
    when it was already recorded (``outcome`` says unchanged or updated). A log closed as
    ``domestic`` or ``child_protection`` creates the PPU's work item and an address warning at once."""
    incident, outcome = service.receive(session, user, data, at)
    if outcome != "created":
        response.status_code = 200
    return incident_out(user, service.detail(session, user, incident), at, outcome)


@router.get("/incidents/{incident_id}", response_model=IncidentOut, responses=ERRORS)
def read(*, incident_id: RecordId, user: ApiUser, session: Db,
         at: Now):
    """One log, with every warning marker at its address and its PPU work item, if any."""
    incident = service.get_incident(session, user, incident_id)
    return incident_out(user, service.detail(session, user, incident), at)


@router.post("/incidents/{incident_id}/closure", response_model=IncidentOut, responses=ERRORS)
def close(*, incident_id: RecordId, data: CloseIn, user: ApiUser,
          session: Db, at: Now):
    """Close an open log now. Closed as ``domestic`` or ``child_protection``, it creates the PPU's
    work item and the address warning in the same transaction. 409 if the log is already closed
    or has changed since ``version``."""
    incident, _ = service.close(session, user, incident_id, data, at)
    return incident_out(user, service.detail(session, user, incident), at, "updated")


# --- bulk import ----------------------------------------------------------------------------------------

IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary", "description": "The CSV or JSON file"},
                       "format": {"type": "string", "enum": ["csv", "json"],
                                  "description": "Default: from the file name's extension"}}}},
    "application/json": {"schema": ImportJsonIn.model_json_schema()},
}}}


async def upload(request: Request) -> tuple[str, str, bytes]:
    """(format, filename, content) from a multipart upload or a JSON body."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        try:
            form = await request.form()
        except Exception:  # noqa: BLE001 - any unreadable form is the client's problem
            raise Invalid({"body": "is not a readable multipart form"}) from None
        file = form.get("file")
        if file is None:
            raise Invalid({"file": "attach the file of logs"})
        if isinstance(file, str):
            content, filename = file.encode(), "upload"
        else:
            content, filename = await file.read(), file.filename or "upload"
        fmt = form.get("format") or PurePath(filename).suffix.lstrip(".").lower()
        if fmt not in importer.FORMATS:
            raise Invalid({"format": "must be csv or json (or name the file .csv or .json)"})
        return str(fmt), filename, content
    if ctype == "application/json":
        try:
            data = ImportJsonIn.model_validate_json(await request.body())
        except ValidationError as exc:
            raise Invalid(field_errors(exc.errors())) from None
        return data.format, data.filename, data.content.encode()
    raise UnsupportedMedia("send the file as multipart/form-data (field 'file') or as JSON {format, content}")


@router.post("/incident-imports", response_model=ImportReportOut, status_code=201, openapi_extra=IMPORT_BODY,
             responses={**ERRORS, 415: {"description": "Neither a multipart upload nor JSON"},
                        422: {"description": "Rejected: the report lists each row's errors and nothing was imported "
                                             "(the report is kept); or the request itself was not usable"}})
def import_logs(*, user: ApiUser, body: tuple[str, str, bytes] = Depends(upload),
                session: Db, at: Now):
    """Import a CSV or JSON file of logs: all of it or, if any row has an error, none of it. The
    report counts new, updated and unchanged logs, or lists every error by row and field."""
    fmt, filename, content = body
    report = importer.import_file(session, user, content, fmt, filename, at)
    out = report_out(report)
    if report.status == "rejected":
        return JSONResponse(out.model_dump(mode="json"), status_code=422)
    return out


# --- the public protection unit's queue ---------------------------------------------------------------

@router.get("/ppu/work-items", response_model=QueueOut, responses=ERRORS)
def queue(*, user: ApiUser, session: Db, at: Now,
          log_ref: Annotated[str, Query(max_length=40)] = "",
          limit: Annotated[WholeNumber(1, 500), Query()] = 100, offset: Annotated[WholeNumber(0, 1_000_000), Query()] = 0):
    """The specialist's queue: work items not yet done in the caller's division, oldest first, each
    with its age. ``log_ref`` narrows it to one log."""
    rows, total, places = service.work_queue(session, user, log_ref=log_ref, limit=limit, offset=offset)
    return QueueOut(generated_at=at, total=total, offset=offset, limit=limit,
                    items=[work_item_out(user, w, i, places.get(i.location_id), at) for w, i in rows])


@router.post("/ppu/work-items/{item_id}", response_model=WorkItemOut, responses=ERRORS)
def update_item(*, item_id: RecordId, data: WorkItemUpdateIn, user: ApiUser,
                session: Db, at: Now):
    """Take a work item (in_progress), finish it (done) or put it back (open). Send the ``version`` you read."""
    item = service.update_work_item(session, user, item_id, data)
    incident = repo.fetch_incident(session, item.incident_id)
    return work_item_out(user, item, incident, repo.location(session, incident.location_id), at)


# --- the closure audit ----------------------------------------------------------------------------------

@router.post("/closure-audit/run", response_model=AuditRunOut, responses=ERRORS)
def run_audit(*, data: AuditRunIn, user: ApiUser, session: Db,
              at: Now):
    """Flag logs closed in the period (default the last 30 days) with another code that show a
    signal of domestic abuse or child protection (docs/closure-audit.md). Running it again is safe."""
    r = closure_audit.audit(session, user, data.since, data.until, at)
    return AuditRunOut(since=r.since, until=r.until, examined=r.examined, flagged=r.flagged, refreshed=r.refreshed,
                       already_reviewed=r.already_reviewed)


@router.get("/closure-audit/flags", response_model=FlagsOut, responses=ERRORS)
def flags(*, user: ApiUser, session: Db,
          status: Literal["to_review", "confirmed", "dismissed", "all"] = "to_review",
          limit: Annotated[WholeNumber(1, 500), Query()] = 100, offset: Annotated[WholeNumber(0, 1_000_000), Query()] = 0):
    """Closure flags in the supervisor's division, oldest first."""
    rows, total, places = closure_audit.list_flags(session, user, status, limit, offset)
    return FlagsOut(status=status, total=total, offset=offset, limit=limit,
                    flags=[flag_out(user, f, i, places.get(i.location_id)) for f, i in rows])


@router.post("/closure-audit/flags/{flag_id}", response_model=FlagOut, responses=ERRORS)
def decide(*, flag_id: RecordId, data: FlagDecisionIn, user: ApiUser, session: Db,
           at: Now):
    """Confirm a flag (the log is re-closed as domestic or child protection, creating the PPU's work
    item and the address warning) or dismiss it with a note."""
    flag = closure_audit.decide_flag(session, user, flag_id, data, at)
    incident = repo.fetch_incident(session, flag.incident_id)
    return flag_out(user, flag, incident, repo.location(session, incident.location_id))
