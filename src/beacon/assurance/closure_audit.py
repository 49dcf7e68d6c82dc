"""The closure audit: logs that should have been closed as domestic or child protection and were not.

HMIC, Gwent Police inspection (October 2007), Child Abuse: the transfer of logs to the PPU "is
reliant upon the accurate closure of every relevant log. To avert instances where cases are not
referred automatically, the force should introduce a robust audit process to capture such
instances and enable corrective action to be taken." (The Domestic Violence section says the same.)

The signals are data (``SIGNALS``, ``KEYWORDS``), each with an id and a documented source, and are
decided by pure functions (``narrative_hits``, ``person_hits``, ``address_hits``, ``evaluate``).
``audit`` gathers what the signals need from the database for logs closed with any other code,
and writes one ``ClosureFlag`` per log with at least one signal (idempotently). A supervisor
confirms a flag, which re-closes the log with the public protection code and so applies the
closure rule (work item and address warning), or dismisses it with a note. Nothing is re-closed
automatically: the signals are prompts for a person's judgement, not findings.
``docs/closure-audit.md`` is the signal table written out; a test keeps it current.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal, scope
from beacon.cases.child_protection.models import ChildReferral
from beacon.cases.domestic_abuse.models import RiskForm
from beacon.cases.incidents import repository as repo
from beacon.cases.incidents import service
from beacon.cases.incidents.models import CHILD_PROTECTION, DOMESTIC, ClosureFlag
from beacon.cases.incidents.schemas import PPU_LABELS, FlagDecisionIn
from beacon.db import among, chunks
from beacon.errors import Conflict, NotFound
from beacon.people import repository as people_repo

RECORD = service.RECORD
DEFAULT_WINDOW = timedelta(days=30)
PAGE = 2000

ACPO_DV = ("ACPO definition of domestic violence, quoted in HMIC's Gwent inspection (October 2007), "
           "Domestic Violence: abuse 'between adults … who are or have been intimate partners or family members'")
FLA_1996 = "Family Law Act 1996, Part IV: non-molestation and occupation orders (the civil 'injunctions')"
CHILDREN_ACT = ("Children Act 2004, s.11 (the police duty to safeguard and promote the welfare of children), "
                "quoted in HMIC's Gwent inspection (October 2007), Child Abuse; Working Together to Safeguard "
                "Children (2006): referral to children's social care")
HMIC_FLAG = ("HMIC, Gwent Police inspection (October 2007), Child Abuse and Domestic Violence: PPUs ensure "
             "'that addresses are flagged on command and control, enabling an appropriate response to future "
             "incidents'")


@dataclass(frozen=True)
class Keyword:
    word: str
    suggests: str
    source: str


# Whole words or phrases, case-insensitive; a hyphen joins a word ("ex-partner" is one word,
# so it does not also count as "partner"); spaces in a phrase match any run of white space.
KEYWORDS: tuple[Keyword, ...] = (
    Keyword("partner", DOMESTIC, ACPO_DV),
    Keyword("ex-partner", DOMESTIC, ACPO_DV),
    Keyword("husband", DOMESTIC, ACPO_DV),
    Keyword("ex-husband", DOMESTIC, ACPO_DV),
    Keyword("wife", DOMESTIC, ACPO_DV),
    Keyword("ex-wife", DOMESTIC, ACPO_DV),
    Keyword("boyfriend", DOMESTIC, ACPO_DV),
    Keyword("ex-boyfriend", DOMESTIC, ACPO_DV),
    Keyword("girlfriend", DOMESTIC, ACPO_DV),
    Keyword("ex-girlfriend", DOMESTIC, ACPO_DV),
    Keyword("domestic", DOMESTIC, ACPO_DV),
    Keyword("injunction", DOMESTIC, FLA_1996),
    Keyword("non-molestation", DOMESTIC, FLA_1996),
    Keyword("child", CHILD_PROTECTION, CHILDREN_ACT),
    Keyword("children", CHILD_PROTECTION, CHILDREN_ACT),
    Keyword("baby", CHILD_PROTECTION, CHILDREN_ACT),
    Keyword("babies", CHILD_PROTECTION, CHILDREN_ACT),
    Keyword("kids", CHILD_PROTECTION, CHILDREN_ACT),
    Keyword("social services", CHILD_PROTECTION, CHILDREN_ACT),
    Keyword("social worker", CHILD_PROTECTION, CHILDREN_ACT),
)


@dataclass(frozen=True)
class Signal:
    id: str
    suggests: str          # domestic, child_protection, or "its kind" for a warning
    title: str
    rule: str
    source: str


SIGNALS: tuple[Signal, ...] = (
    Signal("narrative.domestic", DOMESTIC, "Narrative words suggesting domestic abuse",
           "The narrative contains one of the domestic keywords (whole words, any case).", ACPO_DV + "; " + FLA_1996),
    Signal("narrative.child", CHILD_PROTECTION, "Narrative words suggesting a child at risk",
           "The narrative contains one of the child keywords (whole words, any case).", CHILDREN_ACT),
    Signal("person.domestic_history", DOMESTIC, "A person on the log has a domestic abuse history",
           "Someone on the log was on another log closed as domestic, or is the victim or perpetrator on a "
           "domestic abuse risk form, before this log was closed.",
           "HMIC Gwent (2007), Domestic Violence: repeat victimisation and the risk form; DASH (2009)"),
    Signal("person.child_protection_history", CHILD_PROTECTION, "A person on the log has a child protection history",
           "Someone on the log was on another log closed as child protection, or was referred to children's "
           "social care, before this log was closed.", CHILDREN_ACT),
    Signal("address.warning", "the warning's kind", "The address has a warning marker",
           "The log's address had a domestic or child protection warning (from another log) when this log was "
           "closed.", HMIC_FLAG),
)
SIGNALS_BY_ID = {s.id: s for s in SIGNALS}


def _pattern(word: str) -> str:
    return re.escape(word).replace(r"\ ", r"\s+")


_KEYWORD_RE = {kind: re.compile(r"(?<![\w-])(" + "|".join(_pattern(k.word) for k in sorted(
    KEYWORDS, key=lambda k: -len(k.word)) if k.suggests == kind) + r")(?![\w-])", re.IGNORECASE)
    for kind in (DOMESTIC, CHILD_PROTECTION)}


@dataclass(frozen=True)
class Hit:
    signal: str
    suggests: str
    detail: str

    def as_dict(self) -> dict:
        return {"signal": self.signal, "suggests": self.suggests, "detail": self.detail}


# --- the pure signal functions -------------------------------------------------------------------

def narrative_hits(narrative: str) -> list[Hit]:
    """One hit per kind, naming the keywords found (each once, in lower case, in order)."""
    out = []
    for kind, signal in ((DOMESTIC, "narrative.domestic"), (CHILD_PROTECTION, "narrative.child")):
        words = []
        for match in _KEYWORD_RE[kind].finditer(narrative or ""):
            word = " ".join(match.group(1).lower().split())
            if word not in words:
                words.append(word)
        if words:
            out.append(Hit(signal, kind, "narrative mentions " + ", ".join(f'"{w}"' for w in words)))
    return out


@dataclass(frozen=True)
class PersonEvent:
    """Something in a person's history: ``kind`` is domestic or child_protection; ``at`` is when it
    was known; ``what`` describes it without naming the person."""
    person_id: int
    kind: str
    at: datetime
    what: str


def person_hits(events: Iterable[PersonEvent], closed_at: datetime) -> list[Hit]:
    """A hit per kind for history known when the log was closed (events at or before ``closed_at``)."""
    by_kind: dict[str, list[str]] = {}
    for e in sorted(events, key=lambda e: (e.at, e.what)):
        if e.at <= closed_at:
            by_kind.setdefault(e.kind, []).append(f"person {e.person_id}: {e.what}")
    signal = {DOMESTIC: "person.domestic_history", CHILD_PROTECTION: "person.child_protection_history"}
    return [Hit(signal[kind], kind, "; ".join(items[:5]) + (f"; and {len(items) - 5} more" if len(items) > 5 else ""))
            for kind, items in sorted(by_kind.items())]


def address_hits(warnings: Iterable[tuple[str, str, datetime]], closed_at: datetime) -> list[Hit]:
    """``warnings``: (kind, reason, in effect from). A hit per kind in effect when the log was closed."""
    by_kind: dict[str, list[str]] = {}
    for kind, reason, at in sorted(warnings, key=lambda w: (w[2], w[1])):
        if at <= closed_at and kind in PPU_LABELS:
            by_kind.setdefault(kind, []).append(reason)
    return [Hit("address.warning", kind, "address warning: " + "; ".join(reasons[:5]))
            for kind, reasons in sorted(by_kind.items())]


def suggest(hits: list[Hit]) -> str | None:
    """The closing the hits point to: the kind with more hits; on a tie, domestic (a domestic
    closure also brings the PPU to consider any children in the household)."""
    if not hits:
        return None
    domestic = sum(h.suggests == DOMESTIC for h in hits)
    child = sum(h.suggests == CHILD_PROTECTION for h in hits)
    return CHILD_PROTECTION if child > domestic else DOMESTIC


def evaluate(narrative: str, events: Iterable[PersonEvent], warnings: Iterable[tuple[str, str, datetime]],
             closed_at: datetime) -> tuple[list[Hit], str | None]:
    hits = narrative_hits(narrative) + person_hits(events, closed_at) + address_hits(warnings, closed_at)
    return hits, suggest(hits)


# --- running the audit --------------------------------------------------------------------------------

@dataclass
class AuditResult:
    since: datetime
    until: datetime
    examined: int = 0
    flagged: int = 0
    refreshed: int = 0
    already_reviewed: int = 0


def _require_review(session: Session, user: Principal) -> None:
    require(session, user, Action.REVIEW, RECORD, "", user.division_id)


def audit(session: Session, user: Principal, since: datetime | None, until: datetime | None,
          now: datetime) -> AuditResult:
    """Flag logs closed in [since, until) (default the last 30 days) in the user's scope with a
    closing code other than domestic or child protection that have at least one signal."""
    _require_review(session, user)
    session.info.setdefault("user", user)
    until = until or now
    since = since or until - DEFAULT_WINDOW
    result = AuditResult(since, until)
    s = scope(user, RECORD)
    after = 0
    while True:
        page = repo.closed_not_ppu(session, s, since, until, after_id=after, limit=PAGE)
        if not page:
            break
        after = page[-1][0]
        result.examined += len(page)
        _audit_page(session, page, result, now)
    note(session, user, "review", RECORD, "", detail=f"closure audit {since:%Y-%m-%dT%H:%MZ}..{until:%Y-%m-%dT%H:%MZ}: "
                                                     f"examined {result.examined}, flagged {result.flagged}, "
                                                     f"refreshed {result.refreshed}")
    return result


def signals_for(session: Session, page: list[tuple]) -> dict[int, tuple[list[Hit], str | None]]:
    """The signals (and the closing they suggest) for each log of ``page`` (rows as
    :func:`repository.closed_not_ppu` returns them), read-only: the audit writes flags from
    them, and the assurance audits (``beacon.assurance``) count logs closed correctly."""
    out: dict[int, tuple[list[Hit], str | None]] = {}
    ids = [row[0] for row in page]
    people = repo.people_of(session, ids)
    person_ids = sorted({p for ps in people.values() for p in ps})
    events: dict[int, list[tuple[int, PersonEvent]]] = {}   # person -> [(source incident or 0, event)]
    for pid, iid, ref, code, closed in repo.ppu_closures_of(session, person_ids):
        events.setdefault(pid, []).append((iid, PersonEvent(pid, code, closed, f"on log {ref} closed as {PPU_LABELS[code]}")))
    for pid, fid, at in risk_forms_of(session, person_ids):
        events.setdefault(pid, []).append((0, PersonEvent(pid, DOMESTIC, at, f"on domestic abuse risk form {fid}")))
    for pid, rid, at in child_referrals_of(session, person_ids):
        events.setdefault(pid, []).append((0, PersonEvent(pid, CHILD_PROTECTION, at,
                                                          f"referred to children's social care (referral {rid})")))
    warnings: dict[int, list[tuple[int | None, str, str, datetime]]] = {}
    for lid, iid, kind, reason, at in repo.warnings_in_effect(session, [row[4] for row in page if row[4]]):
        warnings.setdefault(lid, []).append((iid, kind, reason, at))
    for iid, _ref, closed_at, narrative, location_id, _division in page:
        mine = [e for pid in people.get(iid, []) for src, e in events.get(pid, []) if src != iid]
        here = [(k, r, at) for src, k, r, at in warnings.get(location_id, []) if src != iid]
        out[iid] = evaluate(narrative, mine, here, closed_at)
    return out


def _audit_page(session: Session, page: list[tuple], result: AuditResult, now: datetime) -> None:
    found = signals_for(session, page)
    flags = repo.flags_for(session, [row[0] for row in page])
    for iid, *_ in page:
        hits, suggested = found[iid]
        if not hits:
            continue
        signals = json.dumps([h.as_dict() for h in hits])
        flag = flags.get(iid)
        if flag is None:
            session.add(ClosureFlag(incident_id=iid, suggested=suggested, signals=signals, flagged_at=now,
                                    status="to_review"))
            result.flagged += 1
        elif flag.status != "to_review":
            result.already_reviewed += 1
        elif flag.signals != signals or flag.suggested != suggested:
            flag.signals, flag.suggested = signals, suggested
            result.refreshed += 1
    session.flush()


# --- reviewing flags --------------------------------------------------------------------------------

def list_flags(session: Session, user: Principal, status: str = "to_review", limit: int = 100, offset: int = 0):
    """Flags in the user's division, oldest first; and how many in all."""
    _require_review(session, user)
    rows, total = repo.list_flags(session, scope(user, RECORD), status, limit, offset)
    places = people_repo.locations_by_id(session, [i.location_id for _, i in rows])
    note(session, user, "list", RECORD, "", detail=f"closure flags ({status}) ids=" + ",".join(str(f.id) for f, _ in rows))
    return rows, total, places


def decide_flag(session: Session, user: Principal, flag_id: int, data: FlagDecisionIn, now: datetime) -> ClosureFlag:
    """Confirm (re-close the log as domestic or child protection, which creates the work item and
    the address warning) or dismiss (with a note saying why)."""
    flag = repo.fetch_flag(session, flag_id)
    if flag is None:
        note(session, user, "review", RECORD, "", "not_found", f"closure flag {flag_id}")
        raise NotFound(f"no closure flag {flag_id}")
    incident = repo.fetch_incident(session, flag.incident_id)
    require(session, user, Action.REVIEW, RECORD, incident.id, incident.division_id)
    if flag.status != "to_review":
        raise Conflict(f"closure flag {flag_id} was already {flag.status} by {flag.reviewed_by}")
    session.info.setdefault("user", user)
    flag.status = "confirmed" if data.decision == "confirm" else "dismissed"
    flag.reviewed_by, flag.reviewed_at, flag.note = user.username, now, data.note
    if data.decision == "dismiss":
        session.flush()
        note(session, user, "review", RECORD, incident.id, detail=f"closure flag {flag_id} dismissed")
        return flag
    kind = data.closing_code or flag.suggested
    previous = incident.closing_code
    incident.closing_code = kind
    session.flush()
    created, _ = service.apply_closures(
        session, user, [service.Closure(incident.id, incident.log_ref, incident.location_id, incident.division_id, kind)],
        now)
    note(session, user, "review", RECORD, incident.id,
         detail=f"closure flag {flag_id} confirmed: re-closed as {kind} (was {previous or 'none'})")
    for wid, _iid in created:
        note(session, user, "create", service.WORK, wid, detail=f"automatic: log {incident.log_ref} re-closed as {kind}")
    return flag


def signals_markdown() -> str:
    """docs/closure-audit.md's tables, generated from SIGNALS and KEYWORDS."""
    lines = ["| id | suggests | signal | rule | source |", "|---|---|---|---|---|"]
    for s in SIGNALS:
        lines.append(f"| `{s.id}` | {s.suggests} | {s.title} | {s.rule} | {s.source} |")
    lines += ["", "| keyword | suggests | source |", "|---|---|---|"]
    for k in KEYWORDS:
        lines.append(f'| "{k.word}" | {k.suggests} | {k.source} |')
    return "\n".join(lines) + "\n"


def risk_forms_of(session: Session, person_ids: Sequence[int]) -> list[tuple[int, int, datetime]]:
    """(person id, risk form id, completed at) for domestic abuse risk forms naming these people as
    victim or perpetrator."""
    out = []
    for part in chunks(sorted(set(person_ids))):
        for fid, victim, perpetrator, at in session.execute(
                select(RiskForm.id, RiskForm.victim_id, RiskForm.perpetrator_id, RiskForm.completed_at)
                .where((among(session, RiskForm.victim_id, part)) | (among(session, RiskForm.perpetrator_id, part)))):
            for pid in {victim, perpetrator} & set(part):
                out.append((pid, fid, at))
    return out


def child_referrals_of(session: Session, person_ids: Sequence[int]) -> list[tuple[int, int, datetime]]:
    """(child id, referral id, created at) for referrals to children's social care about these people."""
    out = []
    for part in chunks(sorted(set(person_ids))):
        out.extend(session.execute(select(ChildReferral.child_id, ChildReferral.id, ChildReferral.created_at)
                                   .where(among(session, ChildReferral.child_id, part))).tuples())
    return out
