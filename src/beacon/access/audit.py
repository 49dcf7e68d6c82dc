"""Queue access-log entries during a unit of work; ``beacon.db.transaction`` appends them."""
from __future__ import annotations

from sqlalchemy.orm import Session

from beacon.access import log
from beacon.access.policy import Action, Decision, Principal, decide
from beacon.errors import Forbidden
from beacon.org.roles import Vetting

WRITES = {"create", "update", "review", "close"}


def note(session: Session, user: Principal | None, action: str, record_type: str,
         record_id: object = "", outcome: str = "ok", detail: str = "") -> None:
    session.info.setdefault("pending_access", []).append(
        (user, action, record_type, record_id, outcome, detail))


def flush_pending(session: Session, committed: bool) -> None:
    pending = session.info.pop("pending_access", [])
    entries = [(user, action, record_type, record_id,
                "rolled_back" if not committed and outcome == "ok" and action in WRITES else outcome, detail)
               for user, action, record_type, record_id, outcome, detail in pending]
    log.append_many(session.get_bind(), entries)


def require(session: Session, user: Principal, action: Action, record_type: str,
            record_id: object = "", division_id: int | None = None,
            vetting: Vetting = Vetting.RV) -> Decision:
    """Decide, and log a refusal before raising Forbidden (a 403)."""
    decision = decide(user, action, record_type, division_id, vetting)
    if not decision:
        note(session, user, action.value, record_type, record_id, "denied", decision.reason)
        raise Forbidden(decision.reason)
    return decision
