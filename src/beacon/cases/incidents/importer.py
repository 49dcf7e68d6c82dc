"""Bulk import of command-and-control logs from CSV or JSON (``docs/incidents-import.md``).

Two passes over the file. The first validates every row (the schema, the division, the user's
access, a log reference not repeated in the file, times not in the future) and collects every
error as (row, field, message). If there is any, nothing is imported: the report is stored as an
``ImportBatch`` with the rejected count and returned. Otherwise the second pass writes the logs
in batches, idempotently on the log reference (``service.upsert``: new logs created, identical
re-sent logs left alone, changed logs updated, the closure rule applied), all in the caller's one
transaction, so a failure part-way rolls everything back.

Memory stays bounded: the first pass keeps the validated rows only for files up to ``KEEP``
rows; a larger file is read again for the second pass rather than held in memory.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError
from sqlalchemy.orm import Session

from beacon.access.audit import note
from beacon.access.policy import Action, Principal, decide
from beacon.cases.incidents import repository as repo
from beacon.cases.incidents import service
from beacon.cases.incidents.models import ImportBatch
from beacon.cases.incidents.schemas import LogRecord, future_errors
from beacon.db import utcnow
from beacon.errors import Invalid
from beacon.faults import crash_point
from beacon.schemas import without_control_characters

CSV_COLUMNS = ("log_ref", "received_at", "closed_at", "opening_code", "closing_code", "narrative", "address",
               "postcode", "division", "people")
REQUIRED_COLUMNS = ("log_ref", "received_at", "address")
FORMATS = ("csv", "json")
BATCH = 5000              # logs written per batch of statements
KEEP = 20_000             # rows kept in memory between the passes
CHECK_EVERY = 5000        # rows whose stored division is checked per query in the first pass
MAX_ERRORS = 1000         # errors stored and returned; the count of rejected rows is always exact
PERSON_FORMAT = "write each person as role|forename|surname|date_of_birth (the date may be left empty)"
FIELD_PREFIX = re.compile(r"^([a-z_][a-z0-9_.]*): (.+)$", re.DOTALL)

Source = bytes | str | Path


@dataclass
class ImportReport:
    batch_id: int
    filename: str
    format: str
    status: str                     # imported, rejected
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    work_items_created: int = 0
    warnings_created: int = 0
    errors: list[dict] = field(default_factory=list)
    errors_truncated: bool = False

    @property
    def detail(self) -> str:
        if self.status == "rejected":
            return (f"{self.rejected} row(s) have errors: nothing was imported. Correct the rows listed and "
                    f"send the whole file again.")
        return (f"{self.rows} log(s) read: {self.created} new, {self.updated} updated, {self.unchanged} unchanged; "
                f"{self.work_items_created} public protection work item(s) and {self.warnings_created} address "
                f"warning(s) created.")


class _Errors:
    def __init__(self):
        self.items: list[dict] = []
        self.rows: set[int] = set()

    def add(self, row: int, field_: str, message: str) -> None:
        self.rows.add(row)
        if len(self.items) < MAX_ERRORS:
            self.items.append({"row": row, "field": field_, "message": message})

    def __bool__(self) -> bool:
        return bool(self.rows)


# --- reading ----------------------------------------------------------------------------------------

def _open(source: Source) -> BinaryIO:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    return open(source, "rb")


def _csv_rows(binary: BinaryIO) -> Iterator[tuple[int, dict | None, list[tuple[str, str]]]]:
    """(row number, the row as the schema's fields, errors) for each CSV row; row 0 is the file."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield 0, None, [("file", "is empty: the first line must name the columns")]
        return
    except (csv.Error, UnicodeDecodeError) as exc:
        yield 0, None, [("file", _read_problem(exc, 1))]
        return
    header = [h.strip().lower() for h in header]
    problems = [("header", f"column {h!r} is not one Beacon knows (columns: {', '.join(CSV_COLUMNS)})")
                for h in header if h not in CSV_COLUMNS]
    problems += [("header", f"column {h!r} appears more than once") for h in sorted({h for h in header if header.count(h) > 1})]
    problems += [("header", f"column {h!r} is missing") for h in REQUIRED_COLUMNS if h not in header]
    if problems:
        yield 0, None, problems
        return
    n = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            yield n + 1, None, [("row", _read_problem(exc, reader.line_num) + "; the rest of the file was not read")]
            return
        if not values or (len(values) == 1 and not values[0].strip()):
            continue          # blank lines are not rows
        n += 1
        if len(values) != len(header):
            yield n, None, [("row", f"has {len(values)} values; the header names {len(header)} columns "
                                    f"(line {reader.line_num})")]
            continue
        raw = {k: v for k, v in zip(header, values) if v.strip()}
        errors: list[tuple[str, str]] = []
        if "people" in raw:
            raw["people"], errors = _people_cell(raw["people"])
        yield n, raw, errors


def _people_cell(cell: str) -> tuple[list[dict], list[tuple[str, str]]]:
    people, errors = [], []
    for i, entry in enumerate((e.strip() for e in cell.split(";") if e.strip()), start=1):
        parts = [p.strip() for p in entry.split("|")]
        if len(parts) not in (3, 4):
            errors.append((f"people.{i}", PERSON_FORMAT))
            continue
        person = {"role": parts[0].lower(), "forename": parts[1], "surname": parts[2]}
        if len(parts) == 4 and parts[3]:
            person["date_of_birth"] = parts[3]
        people.append(person)
    return people, errors


def _json_rows(binary: BinaryIO) -> Iterator[tuple[int, dict | None, list[tuple[str, str]]]]:
    try:
        data = json.load(io.TextIOWrapper(binary, encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        yield 0, None, [("file", f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")]
        return
    except UnicodeDecodeError as exc:
        yield 0, None, [("file", _read_problem(exc, 0))]
        return
    except RecursionError:   # the parser recurses once per level: 100,000 '[' exhaust the stack
        yield 0, None, [("file", "is nested too deeply to read: a file of logs is an array of objects, "
                                 "each holding its fields and a list of people")]
        return
    if isinstance(data, dict) and set(data) == {"logs"}:
        data = data["logs"]
    if not isinstance(data, list):
        yield 0, None, [("file", 'must be a JSON array of logs (or {"logs": [...]})')]
        return
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            yield n, None, [("row", "must be a JSON object with the log's fields")]
        else:
            yield n, item, []


def _read_problem(exc: Exception, line: int) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "is not UTF-8 text"
    return f"is not valid CSV at line {line}: {exc}"


def _rows(source: Source, fmt: str):
    with _open(source) as binary:
        yield from (_csv_rows if fmt == "csv" else _json_rows)(binary)


def _validation_errors(exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        loc = list(err.get("loc", ()))
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        if err.get("type") == "value_error" and (match := FIELD_PREFIX.match(msg)):
            loc, msg = [*loc, *match.group(1).split(".")], match.group(2)
        elif err.get("type") == "missing":
            msg = "is required"
        elif err.get("type") == "extra_forbidden":
            msg = "is not a field Beacon knows"
        path = ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc) or "row"
        out.append((path, msg))
    return out


# --- importing ----------------------------------------------------------------------------------------

def import_file(session: Session, user: Principal, source: Source, format: str, filename: str | None = None,
                now: datetime | None = None, *, batch_size: int = BATCH,
                progress: Callable[[str, int], None] | None = None) -> ImportReport:
    """Validate every row of a CSV or JSON file of logs, then import all of them or none.
    ``source`` is the file's bytes or its path. Returns the report, which is also stored."""
    if format not in FORMATS:
        raise Invalid({"format": "must be csv or json"})
    now = now or utcnow()
    filename = without_control_characters(
        filename or (str(source) if not isinstance(source, bytes) else "upload"))[-200:] or "upload"
    session.info.setdefault("user", user)
    resolver = repo.Resolver(session)
    errors, rows, kept = _Errors(), 0, []
    seen: dict[str, int] = {}
    new_addresses: dict[tuple[str, str], int] = {}
    to_check: list[tuple[int, str, int]] = []
    may_write: dict[int, bool] = {}

    for row, raw, problems in _rows(source, format):
        if row:
            rows += 1
        for field_, message in problems:
            errors.add(row, field_, message)
        if raw is None:
            continue
        ref = raw.get("log_ref")
        if isinstance(ref, str) and ref.strip():
            first = seen.setdefault(ref.strip(), row)
            if first != row:
                errors.add(row, "log_ref", f"{ref.strip()} appears again: it was first in row {first}")
        if problems:
            continue
        try:
            record = LogRecord.model_validate(raw)
        except ValidationError as exc:
            for field_, message in _validation_errors(exc):
                errors.add(row, field_, message)
            continue
        for field_, message in future_errors(record, now).items():
            errors.add(row, field_, message)
        division_id = _division(record, resolver, new_addresses, errors, row)
        if division_id is not None:
            if division_id not in may_write:
                may_write[division_id] = bool(decide(user, Action.CREATE, service.RECORD, division_id)
                                              and decide(user, Action.UPDATE, service.RECORD, division_id))
            if not may_write[division_id]:
                errors.add(row, "division", f"you may not record incidents in division "
                                            f"{resolver.division_codes.get(division_id, division_id)}")
            else:
                to_check.append((row, record.log_ref, division_id))
        if len(to_check) >= CHECK_EVERY:
            _check_existing(session, user, resolver, to_check, errors)
        if kept is not None:
            kept.append(record)
            if len(kept) > KEEP:
                kept = None
        if progress and rows % 50_000 == 0:
            progress("checked", rows)
    _check_existing(session, user, resolver, to_check, errors)
    if not rows and not errors:
        errors.add(0, "file", "has no logs")

    if errors:
        report = ImportReport(0, filename, format, "rejected", rows, rejected=len(errors.rows),
                              errors=sorted(errors.items, key=lambda e: e["row"]),
                              errors_truncated=len(errors.items) >= MAX_ERRORS)
        _store(session, user, report, now)
        note(session, user, "create", service.RECORD, f"import/{report.batch_id}", "rejected",
             f"{filename}: {rows} rows, {report.rejected} with errors; nothing imported")
        return report

    if progress:
        progress("validated", rows)
    crash_point("import.validated")
    report = ImportReport(0, filename, format, "imported", rows)
    records = iter(kept) if kept is not None else _records_again(source, format)
    batch: list[LogRecord] = []
    done = 0
    for record in records:
        batch.append(record)
        if len(batch) >= batch_size:
            done += _write(session, user, batch, now, resolver, report)
            batch = []
            crash_point("import.batch")
            if progress:
                progress("imported", done)
    done += _write(session, user, batch, now, resolver, report)
    _store(session, user, report, now)
    note(session, user, "create", service.RECORD, f"import/{report.batch_id}",
         detail=f"{filename}: {report.detail}")
    if report.work_items_created:
        note(session, user, "create", service.WORK, f"import/{report.batch_id}",
             detail=f"automatic: {report.work_items_created} work item(s) from logs closed as domestic or child protection")
    return report


def _division(record: LogRecord, resolver: repo.Resolver, new_addresses: dict, errors: _Errors, row: int) -> int | None:
    """The division of a row; an address first seen earlier in the same file counts as known."""
    key = record.place_key
    if not record.division and key in new_addresses:
        return new_addresses[key]
    division_id, problem = service.division_for(resolver, record)
    if division_id is None:
        errors.add(row, "division", problem)
        return None
    if resolver.location_at(key) is None:
        new_addresses.setdefault(key, division_id)
    return division_id


def _check_existing(session: Session, user: Principal, resolver: repo.Resolver,
                    to_check: list[tuple[int, str, int]], errors: _Errors) -> None:
    """A log already recorded in a division the user may not update cannot be re-sent by them."""
    if not to_check:
        return
    stored = repo.divisions_by_ref(session, [ref for _, ref, _ in to_check])
    for row, ref, _division_id in to_check:
        if ref in stored and not decide(user, Action.UPDATE, service.RECORD, stored[ref]):
            errors.add(row, "log_ref", f"{ref} is already recorded in division "
                                       f"{resolver.division_codes.get(stored[ref], stored[ref])}, which you may not update")
    to_check.clear()


def _records_again(source: Source, fmt: str) -> Iterator[LogRecord]:
    for _row, raw, _problems in _rows(source, fmt):
        if raw is not None:
            yield LogRecord.model_validate(raw)


def _write(session: Session, user: Principal, batch: list[LogRecord], now: datetime, resolver: repo.Resolver,
           report: ImportReport) -> int:
    if not batch:
        return 0
    result = service.upsert(session, user, batch, now, source="import", resolver=resolver)
    report.created += result.created
    report.updated += result.updated
    report.unchanged += result.unchanged
    report.work_items_created += len(result.work_items)
    report.warnings_created += result.warnings
    return len(batch)


def _store(session: Session, user: Principal, report: ImportReport, now: datetime) -> None:
    batch = ImportBatch(filename=report.filename, format=report.format, imported_at=now, imported_by=user.username,
                        rows=report.rows, created=report.created, unchanged=report.unchanged,
                        rejected=report.rejected, errors=json.dumps(report.errors))
    session.add(batch)
    session.flush()
    report.batch_id = batch.id


def stored_report(batch: ImportBatch) -> ImportReport:
    """The report of an import stored earlier (updated = rows − created − unchanged when imported)."""
    errors = json.loads(batch.errors or "[]")
    status = "rejected" if errors or batch.rejected else "imported"
    updated = 0 if status == "rejected" else batch.rows - batch.created - batch.unchanged
    return ImportReport(batch.id, batch.filename, batch.format, status, batch.rows, batch.created, updated,
                        batch.unchanged, batch.rejected, errors=errors, errors_truncated=len(errors) >= MAX_ERRORS)
