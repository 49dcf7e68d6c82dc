"""The names behind pseudonymised records, shown to inspectors only as a case-file sample needs
them, and otherwise with a second inspector's approval (docs/adr/0011-case-file-samples-and-reveals.md).

- A record in one of the inspection's live case-file samples is shown at once, up to the
  sample's size of distinct records per kind across the inspection: withdrawing a sample and
  drawing another does not give the inspection more names to see unasked.
- Any other reveal (a record not in a live sample, or more than the sample's size) is a request:
  who, which record and why. Another inspector approves or refuses it; only then, and only the
  requester, sees the name.
- Every request, decision, refusal and reveal is written to the access log; the requests and
  in-sample reveals are also rows of ``identity_reveal``, so the inspection's reveals can be
  listed and counted.

The rule for an in-sample reveal is a pure function (``in_sample_refusal``); the rest checks
access through ``service.fetch`` and logs with ``note``.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal
from beacon.access.references import resolve
from beacon.assurance.results import FileSample
from beacon.errors import Conflict, Forbidden, Invalid, NotFound
from beacon.inspection import service
from beacon.inspection.models import IdentityReveal, Inspection, RevealStatus
from beacon.inspection.schemas import RevealDecisionIn, RevealRequestIn
from beacon.org.roles import Vetting

RECORD = "identity_reveal"


def _record_models() -> dict[str, type]:
    from beacon.cases.child_protection.models import ChildCase
    from beacon.cases.domestic_abuse.models import RiskForm
    from beacon.cases.missing_persons.models import MissingReport

    return {"missing_report": MissingReport, "da_form": RiskForm, "child_case": ChildCase}


def _may_read(session: Session, user: Principal, record_type: str, record_id: int) -> None:
    """A name is shown only to a reader of the record itself (division and vetting), as its page is."""
    record = session.get(_record_models()[record_type], record_id)
    if record is None:
        raise NotFound(f"no {record_type.replace('_', ' ')} {record_id}")
    require(session, user, Action.READ, record_type, record_id, record.division_id,
            getattr(record, "vetting_required", Vetting.RV))


def identities() -> dict[str, Callable[[Session, int], dict]]:
    """How to show the person behind a record, by record type (the case-file sample kinds')."""
    return {k.record: k.identity for k in service.COMPUTED_KINDS.values() if k.identity is not None}


# --- the rule -----------------------------------------------------------------------------------

def in_sample_refusal(record_id: int, sampled: set[int], withdrawn: bool, shown: set[int], size: int) -> str | None:
    """Why the name behind ``record_id`` may not be shown from a sample without approval, or None.
    ``shown``: the records of this kind already shown without approval in the inspection;
    ``size``: the inspection's sample size for the kind."""
    if withdrawn:
        return "withdrawn"
    if record_id not in sampled:
        return "not in sample"
    if record_id not in shown and len(shown) >= size:
        return "beyond the sample's size"
    return None


# --- reading ------------------------------------------------------------------------------------

def reveals_of(session: Session, user: Principal, inspection_id: int) -> list[IdentityReveal]:
    """Every name shown from a sample and every request of the inspection, newest first."""
    service.fetch(session, user, inspection_id)
    rows = list(session.scalars(select(IdentityReveal).where(IdentityReveal.inspection_id == inspection_id)
                                .order_by(IdentityReveal.id.desc())))
    note(session, user, "list", RECORD, "", detail=f"inspection {inspection_id}: {len(rows)} reveals and requests")
    return rows


def _shown_in_samples(session: Session, inspection_id: int, record_type: str) -> set[int]:
    return set(session.scalars(select(IdentityReveal.record_id).where(
        IdentityReveal.inspection_id == inspection_id, IdentityReveal.record_type == record_type,
        IdentityReveal.status == RevealStatus.IN_SAMPLE)))


def allowance(session: Session, inspection: Inspection, settings: Mapping[str, object]) -> list[dict]:
    """For each kind of case-file sample: the inspection's size and the names shown without approval."""
    counts = dict(session.execute(
        select(IdentityReveal.record_type, func.count(IdentityReveal.record_id.distinct()))
        .where(IdentityReveal.inspection_id == inspection.id, IdentityReveal.status == RevealStatus.IN_SAMPLE)
        .group_by(IdentityReveal.record_type)).all())
    return [{"kind": name, "record_type": k.record, "size": service.sample_size(inspection, name, settings),
             "shown": counts.get(k.record, 0)}
            for name, k in service.COMPUTED_KINDS.items() if k.identity is not None]


# --- from a sample ------------------------------------------------------------------------------

def _lock(session: Session, inspection_id: int) -> Inspection:
    """The inspection, locked for the rest of the unit of work, so two reveals at once cannot
    both take the sample's last name (SQLite takes its write lock anyway)."""
    return session.scalars(select(Inspection).where(Inspection.id == inspection_id).with_for_update()).one()


def reveal_sampled_identity(session: Session, user: Principal, inspection_id: int, evidence_id: int,
                            record_id: int, settings: Mapping[str, object], now: datetime) -> dict:
    """The name behind one record of a live case-file sample, up to the sample's size; anything
    else is refused, logged, and needs a request (``request_reveal``)."""
    service.fetch(session, user, inspection_id, Action.UPDATE)
    evidence, kind = service.sample_of(session, inspection_id, evidence_id)
    inspection = _lock(session, inspection_id)
    sampled = {case.record_id for case in FileSample.from_json(json.loads(evidence.computed_result)).cases}
    shown = _shown_in_samples(session, inspection_id, kind.record)
    size = service.sample_size(inspection, evidence.computed_kind, settings)
    refusal = in_sample_refusal(record_id, sampled, evidence.withdrawn_at is not None, shown, size)
    if refusal == "not in sample":
        note(session, user, "reveal", kind.record, record_id, "denied", f"not in sample {evidence_id}")
        raise Invalid({"record_id": f"record {record_id} is not in sample {evidence_id}: ask another inspector "
                                    "to approve a request to see it"})
    if refusal is not None:
        detail = (f"sample {evidence_id} was withdrawn" if refusal == "withdrawn" else
                  f"beyond the sample's size: {len(shown)} of {size} {evidence.computed_kind} names shown already")
        note(session, user, "reveal", kind.record, record_id, "refused", f"inspection {inspection_id}: {detail}")
        raise Forbidden(f"{detail}: ask another inspector to approve a request to see record {record_id}")
    _may_read(session, user, kind.record, record_id)
    if record_id not in shown:
        session.add(IdentityReveal(inspection_id=inspection_id, evidence_id=evidence_id, record_type=kind.record,
                                   record_id=record_id, status=RevealStatus.IN_SAMPLE,
                                   reason=f"in case-file sample {evidence_id}", requested_by=user.username,
                                   requested_at=now))
        session.flush()
    note(session, user, "reveal", kind.record, record_id, detail=f"file sample {evidence_id}")
    return {"record_id": record_id, **kind.identity(session, record_id)}


# --- by request ---------------------------------------------------------------------------------

def request_reveal(session: Session, user: Principal, inspection_id: int, data: RevealRequestIn,
                   now: datetime) -> IdentityReveal:
    """Ask to see the name behind a record: recorded with who asked, which record and why."""
    service.fetch(session, user, inspection_id, Action.UPDATE)
    resolve(session, user, data)   # the record exists and the inspector may read it
    waiting = session.scalars(select(IdentityReveal).where(
        IdentityReveal.inspection_id == inspection_id, IdentityReveal.record_type == data.record_type,
        IdentityReveal.record_id == data.record_id, IdentityReveal.requested_by == user.username,
        IdentityReveal.status == RevealStatus.PENDING)).first()
    if waiting is not None:
        raise Conflict(f"you asked to see this record already (request {waiting.id}), and it awaits a decision")
    row = IdentityReveal(inspection_id=inspection_id, record_type=data.record_type, record_id=data.record_id,
                         status=RevealStatus.PENDING, reason=data.reason, requested_by=user.username,
                         requested_at=now)
    session.add(row)
    session.flush()
    note(session, user, "create", RECORD, row.id,
         detail=f"inspection {inspection_id}: asks to see {data.record_type} {data.record_id}: {data.reason}")
    return row


def _request(session: Session, inspection_id: int, reveal_id: int) -> IdentityReveal:
    row = session.get(IdentityReveal, reveal_id)
    if row is None or row.inspection_id != inspection_id or row.status is RevealStatus.IN_SAMPLE:
        raise NotFound(f"no request {reveal_id} in inspection {inspection_id}")
    return row


def decide(session: Session, user: Principal, inspection_id: int, reveal_id: int, data: RevealDecisionIn,
           now: datetime) -> IdentityReveal:
    """Another inspector (never the requester) approves or refuses a request, with the reason."""
    service.fetch(session, user, inspection_id, Action.REVIEW)
    row = _request(session, inspection_id, reveal_id)
    about = f"{row.record_type} {row.record_id}, asked by {row.requested_by}"
    if row.requested_by == user.username:
        note(session, user, "review", RECORD, reveal_id, "refused", f"own request ({about}): needs another inspector")
        raise Forbidden("another inspector must decide your own request")
    if row.status is not RevealStatus.PENDING:
        raise Conflict(f"request {reveal_id} was {row.status.value} by {row.decided_by} already", row.version)
    if row.version != data.version:
        raise Conflict(f"request {reveal_id} was changed by someone else; reload it", row.version)
    row.status = RevealStatus(data.decision)
    row.decided_by, row.decided_at, row.decision_reason = user.username, now, data.reason
    session.flush()
    note(session, user, "review", RECORD, reveal_id, detail=f"{data.decision} ({about}): {data.reason}")
    return row


def approved_identity(session: Session, user: Principal, inspection_id: int, reveal_id: int) -> dict:
    """The name behind an approved request, for the inspector who asked for it (each view logged)."""
    service.fetch(session, user, inspection_id, Action.UPDATE)
    row = _request(session, inspection_id, reveal_id)
    if row.requested_by != user.username:
        note(session, user, "reveal", row.record_type, row.record_id, "denied",
             f"inspection {inspection_id}: request {reveal_id} is {row.requested_by}'s")
        raise Forbidden("only the inspector who asked may see the name an approval reveals")
    if row.status is not RevealStatus.APPROVED:
        note(session, user, "reveal", row.record_type, row.record_id, "refused",
             f"inspection {inspection_id}: request {reveal_id} is {row.status.value}")
        raise Conflict(f"request {reveal_id} is {row.status.value}, not approved", row.version)
    _may_read(session, user, row.record_type, row.record_id)
    shown = identities()[row.record_type](session, row.record_id)
    note(session, user, "reveal", row.record_type, row.record_id,
         detail=f"inspection {inspection_id}: request {reveal_id}, approved by {row.decided_by}")
    return {"record_id": row.record_id, **shown}


__all__ = ["allowance", "approved_identity", "decide", "identities", "in_sample_refusal", "request_reveal",
           "reveal_sampled_identity", "reveals_of"]
