"""Queue access-log entries during a unit of work; ``beacon.access.unit_of_work`` writes them:
work entries in the work's own transaction, everything else to the event chain afterwards."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from beacon.access.log import Entry
from beacon.access.policy import Action, Decision, Principal, decide
from beacon.errors import Forbidden
from beacon.org.roles import Vetting

PENDING = "pending_access"


def note(session: Session, user: Principal | None, action: str, record_type: str,
         record_id: object = "", outcome: str = "ok", detail: str = "") -> None:
    session.info.setdefault(PENDING, []).append(Entry(user, action, record_type, record_id, outcome, detail))


def take(session: Session) -> list[Entry]:
    """The entries queued so far, emptying the queue."""
    return session.info.pop(PENDING, [])


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction) -> None:
    """A page that rolls back after a validation error carries on in the same session: the writes it
    noted before the rollback did not happen, so they are events now, marked rolled back."""
    if previous_transaction.nested:
        return
    pending = session.info.get(PENDING)
    if pending:
        session.info[PENDING] = [e.rolled_back() if e.records_work else e for e in pending]


def require(session: Session, user: Principal, action: Action, record_type: str,
            record_id: object = "", division_id: int | None = None,
            vetting: Vetting = Vetting.RV) -> Decision:
    """Decide, and log a refusal before raising Forbidden (a 403)."""
    decision = decide(user, action, record_type, division_id, vetting)
    if not decision:
        note(session, user, action.value, record_type, record_id, "denied", decision.reason)
        raise Forbidden(decision.reason)
    return decision


def load_for(session: Session, user: Principal, record_type: str, record_id: int, action: Action):
    """The record ``record_id`` of ``record_type`` if ``user`` may do ``action`` to it: the one way
    a service loads a record (NotFound, logged, when there is none; Forbidden, logged, when the
    matrix refuses at the record's division and vetting). Domain rules beyond the matrix (a
    partner's agency) are the domain's, after this."""
    from beacon.access.records import record_type as declared
    from beacon.errors import NotFound

    rt = declared(record_type)
    record = session.get(rt.model, record_id)
    if record is None:
        note(session, user, action.value, rt.checked_as, record_id, "not_found")
        raise NotFound(f"no {rt.noun} {record_id}")
    division = rt.division(session, record) if rt.division else None
    require(session, user, action, rt.checked_as, record_id, division, rt.vetting(record) if rt.vetting else Vetting.RV)
    return record


def check_version(record, version: int, what: str) -> None:
    """Optimistic concurrency (ADR 0004): a change based on an older version of ``record`` is a 409
    naming ``what`` ("risk form 12"), with the version now stored."""
    from beacon.errors import Conflict

    if record.version != version:
        raise Conflict(f"{what} was changed by someone else (you had version {version}, it is now version "
                       f"{record.version}); reload it, check their change, then save again", record.version)
