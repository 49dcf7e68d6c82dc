"""The surface of the access matrix: for every record type in ``beacon.access.policy.MATRIX``, how
to make records of it in each placement, and the ways in to it per action, over the JSON API and
the pages. ``tests/access/test_matrix.py`` walks role × record type × action × placement over
these ways and holds every answer against the policy (``decide``) and the declared domain guards.

Adding a record type to MATRIX without an entry in ``SURFACE`` fails the matrix test, naming what
to add. An entry declares every action, for the API and for the pages: a ``Way`` (one or more),
or ``NONE("why there is no such way in")``. A route of the app that no way uses must be listed in
``OTHER_ROUTES`` with the record type it reaches (or ``None``: no record), so a new route cannot
slip past the matrix unclassified.

Placements: records are held in division A (the world's officer.a, supervisor.a, ppu.a, partner.a
are at home there; officer.b, supervisor.b, ppu.b, partner.b are in the other division; analyst,
chief, inspector and admin are force-wide), with one at each vetting level above RV where the
record type has vetting (missing-person reports), and referrals sent to a second council's agency
in division A (``partner.east``), or never delivered. New records (create) are made in A and in B.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from beacon.access.policy import Action, Principal, decide, scope
from beacon.access.unit_of_work import transaction
from beacon.cases.child_protection.models import ChildCase, ChildReferral
from beacon.cases.child_protection.protection import DESIGNATED_RANKS
from beacon.cases.domestic_abuse.models import MaracReferral, RiskForm
from beacon.cases.incidents.models import Incident, WorkItem
from beacon.cases.missing_persons.models import MissingReport
from beacon.inspection.models import FrameworkGrade, Inspection
from beacon.org.models import PartnerBody, User
from beacon.org.roles import Rank, Role, Vetting
from tests.access.test_references import CASES, CONCERN
from tests.child_protection.helpers import build_area, factors, give_rank
from tests.domestic_abuse.helpers import add_council, answers, form_payload
from tests.factories import _HASH, report_payload
from tests.web.helpers import api_routes

ACTIONS = ("list", "search", "read", "export", "create", "update", "review", "link")
SURFACES = ("api", "page")


# --- what a surface entry is made of ------------------------------------------------------

@dataclass
class Rec:
    """A record in a placement (``label``), or, for create, the division a new record is asked for."""
    type: str
    label: str
    id: int | None
    division: str | None             # division code, None: held force-wide
    vetting: Vetting = Vetting.RV
    log_id: str | None = None        # the record id the access log names, when not ``id``
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def logged_as(self) -> str:
        return self.log_id if self.log_id is not None else str(self.id)


@dataclass(frozen=True)
class NONE:
    """No such way in to the record type (the reason says why); the matrix asserts it is declared."""
    reason: str


@dataclass(frozen=True)
class Rule:
    """A domain rule beyond the matrix, declared here with where Beacon enforces it. ``refuses`` is
    given (ctx, user, record); ``status`` 404 marks the cells where Beacon pretends the record does
    not exist (and logs ``outcome``)."""
    name: str
    actions: frozenset[str]
    refuses: Callable[[Any, Principal, Rec], bool]
    status: int = 403
    outcome: str = "denied"


@dataclass(frozen=True)
class Way:
    method: str
    path: str                                     # the route as the app declares it (route coverage)
    url: Callable[[Any, Rec, Principal], str]
    body: Callable[[Any, Rec, Principal], dict] | None = None
    shows: Callable[[Any, Any, Rec], bool] | None = None     # list/search: is the record in the response
    on: frozenset[str] | None = None              # the placements (labels) this way acts on; None: all
    fresh: bool = False                           # an allowed cell gets a record of its own (one-off change)
    naming: str | None = None                     # link: the record type the request creates
    field: str | None = None                      # link: the field that names the record
    target: Callable[[Any, Rec, Principal], str] | None = None   # link: the division the new record is in
    rules: tuple[Rule, ...] = ()
    refusal: tuple[int, str] | None = None        # (status, log outcome) when Beacon refuses otherwise than 403
    files: Callable[[Any, Rec, Principal], dict] | None = None    # a multipart upload (pages)
    # the record shown inside another record's page or answer (a person's profile, a form's
    # MARAC referral): (its record type, the record); the user must be able to read both
    host: Callable[[Any, Rec], tuple[str, Rec]] | None = None
    note: str = ""


Ways = Way | Sequence[Way] | NONE


@dataclass
class Surface:
    build: Callable[[Any], list[Rec]]
    api: dict[str, Ways]
    page: dict[str, Ways]
    fresh: Callable[[Any, Rec], Rec] | None = None   # a new record in the placement of ``rec``
    rules: tuple[Rule, ...] = ()
    reader: Callable[[Any, Principal, Rec], tuple[bool, str]] | None = None   # read rule other than decide
    note: str = ""

    def ways(self, surface: str, action: str) -> list[Way]:
        found = getattr(self, surface).get(action)
        if found is None or isinstance(found, NONE):
            return []
        return [found] if isinstance(found, Way) else list(found)


READS = frozenset({"list", "search", "read", "export", "update", "review", "link"})


# --- helpers the builders and ways share ----------------------------------------------------

def home(ctx, user: Principal) -> str:
    """The division a user makes new records in: their own, or A for a force-wide user."""
    return ctx.code(user.division_id) if user.division_id else "A"


def _ids(key: str) -> Callable[[Any, Any, Rec], bool]:
    """An API list response holds the record: ``key`` names the list of items, each with an ``id``."""
    def shows(ctx, response, rec: Rec) -> bool:
        body = response.json()
        items = body[key] if key else body
        return any(item.get("id") == rec.id for item in items)
    return shows


def _href(pattern: str) -> Callable[[Any, Any, Rec], bool]:
    """A page holds a link to the record: ``pattern`` with ``{id}``."""
    def shows(ctx, response, rec: Rec) -> bool:
        return f'href="{pattern.format(id=rec.id)}"' in response.text
    return shows


def _text(key: str) -> Callable[[Any, Any, Rec], bool]:
    def shows(ctx, response, rec: Rec) -> bool:
        return rec.info[key] in response.text
    return shows


def _day(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _moment(prefix: str, at: datetime) -> dict[str, str]:
    """A GOV.UK date and time input (UK local time: these tests' clock is in GMT, November)."""
    return {**_day(prefix, at.date()), f"{prefix}-time": at.strftime("%H:%M")}


TAKEN = datetime(2026, 11, 26, 20, 0, tzinfo=timezone.utc)
SEEN = datetime(2026, 11, 27, 1, 30, tzinfo=timezone.utc)


def api(path: str) -> Callable[[Any, Rec, Principal], str]:
    """A URL from a path template: ``{id}`` the record, ``{div}`` the record's division id."""
    return lambda ctx, rec, user: path.format(id=rec.id, div=ctx.div(rec.division) if rec.division else "")


def const(path: str) -> Callable[[Any, Rec, Principal], str]:
    return lambda ctx, rec, user: path


# --- missing-person reports -----------------------------------------------------------------

MP_SURNAME = "Matrixcase"


def build_missing(ctx) -> list[Rec]:
    """Reports in A: one at RV and one at MV about the same person (P1), one at SC about another (P3)."""
    def report(forename: str, **more) -> dict:
        person = {"forename": forename, "surname": MP_SURNAME, "date_of_birth": "2013-05-04", "gender": "female"}
        body = report_payload(**{"person": person, **more})
        return ctx.ok("officer.a", "POST", "/api/v1/missing-persons", body)

    rv = report("Mxone")
    p1 = rv["person_id"]
    mv = report("", person=None, person_id=p1)
    ctx.set(MissingReport, mv["id"], vetting_required=Vetting.MV)
    sc = report("Mxthree")
    ctx.set(MissingReport, sc["id"], vetting_required=Vetting.SC)
    named_p1 = [("missing_report", "A", Vetting.RV), ("missing_report", "A", Vetting.MV)]
    named_p3 = [("missing_report", "A", Vetting.SC)]
    return [Rec("missing_report", "A", rv["id"], "A", info={"person_id": p1, "subject": p1, "named_by": named_p1}),
            Rec("missing_report", "A/MV", mv["id"], "A", Vetting.MV,
                info={"person_id": p1, "subject": p1, "named_by": named_p1}),
            Rec("missing_report", "A/SC", sc["id"], "A", Vetting.SC,
                info={"person_id": sc["person_id"], "subject": sc["person_id"], "named_by": named_p3})]


def fresh_missing(ctx, rec: Rec) -> Rec:
    r = ctx.ok("officer.a", "POST", "/api/v1/missing-persons",
               report_payload(person={"forename": "Fresh", "surname": f"Freshcase{ctx.n()}", "gender": "female",
                                      "date_of_birth": "2013-05-04"}))
    if rec.vetting is not Vetting.RV:
        ctx.set(MissingReport, r["id"], vetting_required=rec.vetting)
    return replace(rec, id=r["id"], info={"person_id": r["person_id"]})


def _mp_body(ctx, rec: Rec, user) -> dict:
    return report_payload(person={"forename": "New", "surname": f"Newcase{ctx.n()}", "gender": "male"},
                          division_id=ctx.div(rec.division))


def _mp_form(ctx, rec: Rec, user) -> dict:
    return {"forename": "New", "surname": f"Pagecase{ctx.n()}", "gender": "male",
            "home_address": "2 Sample Road, Testtown", "home_postcode": "NP20 1AA",
            "last_seen_address": "Bus station, Testtown", "last_seen_postcode": "", **_moment("last_seen", SEEN),
            "circumstances": "Did not come home.", "reported_by_name": "Parent", "reported_by_relationship": "father",
            "risk_grade": "medium", "rationale": "Fifteen, out late, phone off.", "division_id": str(ctx.div(rec.division))}


def _subject(ctx, rec: Rec) -> tuple[str, Rec]:
    """The person a record is about, as named by the records the fixture made."""
    return "person", Rec("person", "subject", rec.info["subject"], rec.division, info={"named_by": rec.info["named_by"]})


def profile(side: str, part: str, href: str | None = None) -> Way:
    """The record in its subject's profile (the person page lists each domain's records)."""
    if side == "api":
        return Way("GET", "/api/v1/people/{person_id}", lambda ctx, rec, user: f"/api/v1/people/{rec.info['subject']}",
                   shows=lambda ctx, response, rec: any(row.get("id") == rec.id for p in response.json()["parts"]
                                                        if p["key"] == part for row in p["rows"]),
                   host=_subject, note="in the subject's profile")
    return Way("GET", "/people/{person_id:int}", lambda ctx, rec, user: f"/people/{rec.info['subject']}",
               shows=_href(href), host=_subject, note="in the subject's profile")


def _queued(ctx, response, rec: Rec) -> bool:
    body = response.json()
    return any(i["report"]["id"] == rec.id for k in ("new_high_risk", "overdue", "due_soon") for i in body[k])


MISSING = Surface(
    build=build_missing, fresh=fresh_missing,
    api={
        "list": [Way("GET", "/api/v1/missing-persons", const("/api/v1/missing-persons?limit=200"), shows=_ids("results")),
                 # new high-risk reports not yet reviewed: every fixture, until the review cells run
                 Way("GET", "/api/v1/supervisor/queue", const("/api/v1/supervisor/queue"), shows=_queued),
                 profile("api", "missing")],
        "search": Way("GET", "/api/v1/missing-persons", const(f"/api/v1/missing-persons?q={MP_SURNAME}"),
                      shows=_ids("results")),
        "read": Way("GET", "/api/v1/missing-persons/{report_id}", api("/api/v1/missing-persons/{id}")),
        "export": NONE("no export of missing-person reports"),
        "create": Way("POST", "/api/v1/missing-persons", const("/api/v1/missing-persons"), _mp_body),
        "update": Way("PATCH", "/api/v1/missing-persons/{report_id}", api("/api/v1/missing-persons/{id}"),
                      lambda ctx, rec, user: {"version": ctx.version(MissingReport, rec.id),
                                              "circumstances": f"Seen at the station ({ctx.n()})."}),
        "review": Way("POST", "/api/v1/missing-persons/{report_id}/reviews", api("/api/v1/missing-persons/{id}/reviews"),
                      lambda ctx, rec, user: {"version": ctx.version(MissingReport, rec.id),
                                              "notes": "Reviewed the enquiry plan."}),
        "link": NONE("no input body names a missing-person report"),
    },
    page={
        "list": [Way("GET", "/missing-persons", const("/missing-persons"), shows=_href("/missing-persons/{id}")),
                 Way("GET", "/supervisor", const("/supervisor"), shows=_href("/missing-persons/{id}")),
                 Way("GET", "/supervisor/fragment", const("/supervisor/fragment"), shows=_href("/missing-persons/{id}")),
                 profile("page", "missing", "/missing-persons/{id}")],
        "search": Way("GET", "/missing-persons", const(f"/missing-persons?q={MP_SURNAME}"),
                      shows=_href("/missing-persons/{id}")),
        "read": Way("GET", "/missing-persons/{report_id:int}", api("/missing-persons/{id}")),
        "export": NONE("no export of missing-person reports"),
        "create": Way("POST", "/missing-persons/new", const("/missing-persons/new"), _mp_form),
        "update": Way("POST", "/missing-persons/{report_id:int}/{form_name}", api("/missing-persons/{id}/actions"),
                      lambda ctx, rec, user: {"text": "Checked the bus station CCTV."}),
        "review": Way("POST", "/missing-persons/{report_id:int}/{form_name}", api("/missing-persons/{id}/review"),
                      lambda ctx, rec, user: {"version": str(ctx.version(MissingReport, rec.id)),
                                              "notes": "Reviewed the enquiry plan."}),
        "link": NONE("no form names a missing-person report by number"),
    },
)


# --- people ------------------------------------------------------------------------------------

def build_people(ctx) -> list[Rec]:
    """P1, named by the RV and the MV report in A; P3, named only by the SC report; and a child
    named only on a child protection case in A."""
    mp = {r.label: r for r in ctx.records["missing_report"]}
    case = ctx.records["child_case"][0]
    return [Rec("person", P1, mp["A"].info["person_id"], "A", info={"named_by": list(mp["A"].info["named_by"])}),
            Rec("person", P3, mp["A/SC"].info["person_id"], "A", Vetting.SC,
                info={"named_by": list(mp["A/SC"].info["named_by"])}),
            Rec("person", "child named by a child case", case.info["child_id"], "A",
                info={"named_by": [("child_case", "A", Vetting.RV)]})]


P1 = "P1 named by an RV and an MV report"
P3 = "P3 named only by an SC report"
LINKED = frozenset({P1, P3})


def person_reader(ctx, user: Principal, rec: Rec) -> tuple[bool, str]:
    """A force-wide reader of people reads anyone; anyone else, a person named by a record they
    may read in their own division at their vetting (``beacon.access.references.person_refusal``)."""
    people = scope(user, "person")
    if not people.allowed:
        return False, f"role {user.role.value} may not read person"
    if people.division_ids is None:
        return True, "force-wide"
    for record_type, div, vetting in rec.info["named_by"]:
        if decide(user, Action.READ, "person", ctx.div(div)) and decide(user, Action.READ, record_type, ctx.div(div), vetting):
            return True, f"named by a {record_type} the user may read"
    return False, "no record naming the person is one the user may read"


def _reports(ctx, rec, user) -> dict:
    return {"division_id": ctx.div(home(ctx, user))}


PERSON_LINKS = [
    # (method, path, field) of test_references.CASES, the record type the request creates
    Way("POST", "/api/v1/missing-persons", const("/api/v1/missing-persons"), naming="missing_report", field="person_id",
        body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/missing-persons", "person_id", "person")][2](None, rec.id),
                                     **_reports(ctx, rec, user)}),
    Way("POST", "/api/v1/domestic-abuse/forms", const("/api/v1/domestic-abuse/forms"), naming="da_form",
        field="victim_id",
        body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/domestic-abuse/forms", "victim_id", "person")][2](None, rec.id),
                                     **_reports(ctx, rec, user)}),
    Way("POST", "/api/v1/domestic-abuse/forms", const("/api/v1/domestic-abuse/forms"), naming="da_form",
        field="perpetrator_id",
        body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/domestic-abuse/forms", "perpetrator_id", "person")][2](
            None, rec.id), **_reports(ctx, rec, user)}),
    Way("POST", "/api/v1/domestic-abuse/forms", const("/api/v1/domestic-abuse/forms"), naming="da_form",
        field="children.person_id",
        body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/domestic-abuse/forms", "children.person_id", "person")][2](
            None, rec.id), **_reports(ctx, rec, user)}),
    Way("POST", "/api/v1/child-referrals", const("/api/v1/child-referrals"), naming="child_referral", field="child_id",
        body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/child-referrals", "child_id", "person")][2](None, rec.id),
                                     **_reports(ctx, rec, user)}),
    # a child has one open case per division: each allowed cell names a child of its own
    Way("POST", "/api/v1/child-cases", const("/api/v1/child-cases"), naming="child_case", field="child_id", fresh=True,
        body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/child-cases", "child_id", "person")][2](None, rec.id),
                                     **_reports(ctx, rec, user)}),
    Way("POST", "/api/v1/police-protection", const("/api/v1/police-protection"), naming="police_protection",
        field="child_id",
        body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/police-protection", "child_id", "person")][2](None, rec.id),
                                     **_reports(ctx, rec, user)}),
]


def fresh_person(ctx, rec: Rec) -> Rec:
    """A new child named only by a report of the placement's vetting in A."""
    report = fresh_missing(ctx, Rec("missing_report", rec.label, None, "A", rec.vetting))
    return replace(rec, id=report.info["person_id"], info={"named_by": [("missing_report", "A", rec.vetting)]})


PEOPLE = Surface(
    build=build_people, reader=person_reader, fresh=fresh_person,
    note="A person has no division of their own: they are readable where a record naming them is.",
    api={
        "list": NONE("no list of people: a person is found through the records naming them"),
        "search": NONE("no search of people"),
        "read": Way("GET", "/api/v1/people/{person_id}", api("/api/v1/people/{id}")),
        "export": NONE("no export of people"),
        "create": NONE("a person is recorded only as part of another record (a report, a form, a referral...)"),
        "update": NONE("no way to change a person"),
        "review": NONE("a person is not reviewed"),
        "link": [replace(w, on=LINKED) for w in PERSON_LINKS],
    },
    page={
        "list": NONE("no list of people"),
        "search": NONE("no search of people"),
        "read": Way("GET", "/people/{person_id:int}", api("/people/{id}")),
        "export": NONE("no export of people"),
        "create": NONE("a person is recorded only as part of another record"),
        "update": NONE("no way to change a person"),
        "review": NONE("a person is not reviewed"),
        "link": Way("POST", "/domestic-abuse/new", const("/domestic-abuse/new"), naming="da_form", field="victim_id",
                    on=LINKED,
                    body=lambda ctx, rec, user: {**_da_form(ctx, Rec("da_form", "", None, home(ctx, user)), user),
                                                 "victim_id": str(rec.id)}),
    },
)


# --- incidents and the PPU's work items -------------------------------------------------------

def _log(ref: str, division: str | None = "A", **more) -> dict:
    return {"log_ref": ref, "received_at": "2026-11-26T20:00:00+00:00", "address": "1 Matrix Road, Testport",
            "division": division, "narrative": "Neighbours heard shouting.", **more}


def build_incidents(ctx) -> list[Rec]:
    r = ctx.ok("officer.a", "POST", "/api/v1/incidents",
               _log("MX-A-1", people=[{"forename": "Ina", "surname": "Logperson", "role": "victim"}]))
    subject = r["people"][0]["person_id"]
    return [Rec("incident", "A", r["id"], "A", info={"log_ref": "MX-A-1", "subject": subject,
                                                     "named_by": [("incident", "A", Vetting.RV)]}),
            _flag(ctx)]


def _open_log(ctx) -> dict:
    return ctx.ok("officer.a", "POST", "/api/v1/incidents", _log(f"MX-OPEN-{ctx.n()}"))


def _flag(ctx) -> Rec:
    """A log in A closed with another code though its narrative names a partner, flagged by the
    closure audit (run by division A's supervisor)."""
    ref = f"MX-FLAG-{ctx.n()}"
    log = ctx.ok("officer.a", "POST", "/api/v1/incidents",
                 _log(ref, closed_at="2026-11-26T21:00:00+00:00", closing_code="advice",
                      narrative="Her husband was shouting at her in the street."))
    ctx.ok("supervisor.a", "POST", "/api/v1/closure-audit/run", {})
    flags = ctx.ok("supervisor.a", "GET", "/api/v1/closure-audit/flags?limit=500")["flags"]
    flag = next(f for f in flags if f["incident_id"] == log["id"])
    return Rec("incident", FLAGGED, flag["id"], "A", log_id=str(log["id"]), info={"log_ref": ref})


def fresh_incident(ctx, rec: Rec) -> Rec:
    """An open log in A of its own (closing one is once only), or a closure flag of its own."""
    if rec.label == FLAGGED:
        return _flag(ctx)
    log = _open_log(ctx)
    return replace(rec, id=log["id"], info={**rec.info, "log_ref": log["log_ref"]})


FLAGGED = "A/closure flag"
LOG = frozenset({"A"})


def _import(ctx, rec: Rec, user) -> dict:
    ref = f"MX-IMP-{ctx.n()}"
    content = ("log_ref,received_at,address,division\n"
               f"{ref},2026-11-26T21:00:00+00:00,5 Import Lane,{rec.division}\n").encode()
    return {"file": ("logs.csv", content, "text/csv")}


def _dismiss(ctx, rec, user) -> dict:
    return {"decision": "dismiss", "note": "An argument about a parking space, no abuse."}


INCIDENTS = Surface(
    build=build_incidents, fresh=fresh_incident,
    note="A log (A) and a closure-audit flag on another log in A (its review: confirm or dismiss).",
    api={
        "list": replace(profile("api", "incidents"), on=LOG),
        "search": NONE("no API search of logs"),
        "read": Way("GET", "/api/v1/incidents/{incident_id}", api("/api/v1/incidents/{id}"), on=LOG),
        "export": NONE("no export of logs"),
        "create": Way("POST", "/api/v1/incidents", const("/api/v1/incidents"),
                      lambda ctx, rec, user: _log(f"MX-NEW-{ctx.n()}", rec.division)),
        "update": [
            # the feed is idempotent on log_ref: a changed log is an update of the existing record
            Way("POST", "/api/v1/incidents", const("/api/v1/incidents"), on=LOG,
                body=lambda ctx, rec, user: _log(rec.info["log_ref"], narrative=f"Shouting again ({ctx.n()}).",
                                                 people=[{"forename": "Ina", "surname": "Logperson", "role": "victim"}])),
            # closing is once only: each allowed cell closes a log of its own
            Way("POST", "/api/v1/incidents/{incident_id}/closure", api("/api/v1/incidents/{id}/closure"), on=LOG,
                fresh=True, body=lambda ctx, rec, user: {"version": ctx.version(Incident, rec.id), "closing_code": "advice"})],
        # a flag is decided once: each allowed cell dismisses a flag of its own
        "review": Way("POST", "/api/v1/closure-audit/flags/{flag_id}", api("/api/v1/closure-audit/flags/{id}"),
                      _dismiss, on=frozenset({FLAGGED}), fresh=True),
        "link": [Way("POST", "/api/v1/domestic-abuse/forms", const("/api/v1/domestic-abuse/forms"), naming="da_form",
                     field="incident_id", on=LOG,
                     body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/domestic-abuse/forms", "incident_id",
                                                           "incident")][2](None, rec.id), **_reports(ctx, rec, user)}),
                 Way("POST", "/api/v1/child-referrals", const("/api/v1/child-referrals"), naming="child_referral",
                     field="incident_id", on=LOG,
                     body=lambda ctx, rec, user: {**CASES[("POST", "/api/v1/child-referrals", "incident_id",
                                                           "incident")][2](None, rec.id), **_reports(ctx, rec, user)})],
    },
    page={
        "list": [Way("GET", "/incidents", const("/incidents"), shows=_href("/incidents/{id}"), on=LOG),
                 replace(profile("page", "incidents", "/incidents/{id}"), on=LOG)],
        # finding a log by its reference opens it (303); a log the user may not read is a 403
        "search": Way("GET", "/incidents", lambda ctx, rec, user: f"/incidents?log_ref={rec.info['log_ref']}", on=LOG,
                      shows=lambda ctx, response, rec: response.headers.get("location") == f"/incidents/{rec.id}"),
        "read": Way("GET", "/incidents/{incident_id:int}", api("/incidents/{id}"), on=LOG),
        "export": NONE("no export of logs"),
        # the import is all or nothing, with every row's problem listed: a division the user may
        # not write is a row error, so the refusal is a 422 report logged "rejected"
        "create": Way("POST", "/incidents/import", const("/incidents/import"), lambda ctx, rec, user: {"format": "csv"},
                      files=_import, refusal=(422, "rejected")),
        "update": Way("POST", "/incidents/{incident_id:int}/close", api("/incidents/{id}/close"), on=LOG, fresh=True,
                      body=lambda ctx, rec, user: {"version": str(ctx.version(Incident, rec.id)), "closing": "other",
                                                   "other_code": "advice"}),
        "review": Way("POST", "/incidents/closure-audit/{flag_id:int}", api("/incidents/closure-audit/{id}"), _dismiss,
                      on=frozenset({FLAGGED}), fresh=True),
        "link": [Way("POST", "/domestic-abuse/new", const("/domestic-abuse/new"), naming="da_form", field="incident_id",
                     on=LOG, body=lambda ctx, rec, user: {**_da_form(ctx, Rec("da_form", "", None, home(ctx, user)), user),
                                                          "incident_id": str(rec.id)}),
                 Way("POST", "/referrals/new", const("/referrals/new"), naming="child_referral", field="incident_id",
                     on=LOG, body=lambda ctx, rec, user: {**_referral_form(ctx, Rec("child_referral", "", None,
                                                                                    home(ctx, user)), user),
                                                          "incident_id": str(rec.id)})],
    },
)


def build_work(ctx) -> list[Rec]:
    r = ctx.ok("officer.a", "POST", "/api/v1/incidents",
               _log("MX-PPU-1", closed_at="2026-11-26T21:00:00+00:00", closing_code="domestic"))
    item = ctx.ok("ppu.a", "GET", f"/api/v1/incidents/{r['id']}")["work_item"]   # the officer sees only sent_to_ppu
    return [Rec("ppu_work", "A", item["id"], "A", info={"log_ref": "MX-PPU-1", "incident_id": r["id"]})]


def _log_of(ctx, rec: Rec) -> tuple[str, Rec]:
    return "incident", Rec("incident", "the work item's log", rec.info["incident_id"], rec.division)


def _work_update(ctx, rec: Rec, user) -> dict:
    item = ctx.get(WorkItem, rec.id)
    return {"version": item.version, "status": "open" if item.status == "in_progress" else "in_progress"}


PPU_WORK = Surface(
    build=build_work,
    api={
        "list": Way("GET", "/api/v1/ppu/work-items", const("/api/v1/ppu/work-items?limit=500"), shows=_ids("items")),
        "search": Way("GET", "/api/v1/ppu/work-items", lambda ctx, rec, user: f"/api/v1/ppu/work-items?log_ref={rec.info['log_ref']}",
                      shows=_ids("items")),
        # the log's answer includes its work item
        "read": Way("GET", "/api/v1/incidents/{incident_id}", lambda ctx, rec, user: f"/api/v1/incidents/{rec.info['incident_id']}",
                    shows=lambda ctx, response, rec: (response.json().get("work_item") or {}).get("id") == rec.id,
                    host=_log_of, note="in its log"),
        "export": NONE("no export of work items"),
        "create": NONE("a work item is made by Beacon when a log is closed as domestic or child protection"),
        "update": Way("POST", "/api/v1/ppu/work-items/{item_id}", api("/api/v1/ppu/work-items/{id}"), _work_update),
        "review": NONE("a work item is not reviewed"),
        "link": NONE("no input body names a work item"),
    },
    page={
        "list": Way("GET", "/ppu/work-items", const("/ppu/work-items"),
                    shows=lambda ctx, response, rec: f'action="/ppu/work-items/{rec.id}"' in response.text
                    or re.search(rf'data-signature="(?:[^"]*;)?{rec.id}:', response.text) is not None),
        "search": NONE("the queue page has no search"),
        "read": Way("GET", "/incidents/{incident_id:int}", lambda ctx, rec, user: f"/incidents/{rec.info['incident_id']}",
                    shows=lambda ctx, response, rec: f"Work item {rec.id} (" in response.text, host=_log_of,
                    note="in its log"),
        "export": NONE("no export of work items"),
        "create": NONE("a work item is made by Beacon"),
        "update": Way("POST", "/ppu/work-items/{item_id:int}", api("/ppu/work-items/{id}"),
                      lambda ctx, rec, user: {k: str(v) for k, v in _work_update(ctx, rec, user).items()}),
        "review": NONE("a work item is not reviewed"),
        "link": NONE("no form names a work item"),
    },
)


# --- domestic abuse risk forms and MARAC -------------------------------------------------------

def _da_body(ctx, rec: Rec, user) -> dict:
    n = ctx.n()
    return form_payload(victim={"forename": "Vera", "surname": f"Davictim{n}", "date_of_birth": "1990-04-02",
                                "gender": "female"},
                        perpetrator={"forename": "Pat", "surname": f"Daharm{n}", "gender": "male"},
                        division_id=ctx.div(rec.division))


def _da_form(ctx, rec: Rec, user) -> dict:
    n = ctx.n()
    fields = {"victim_forename": "Vera", "victim_surname": f"Dapage{n}", "victim_gender": "female",
              "perpetrator_forename": "Pat", "perpetrator_surname": f"Dapageharm{n}",
              "home_address": "3 Example Street, Testport", "home_postcode": "NP20 2AB",
              "children_in_household": "0", "division_id": str(ctx.div(rec.division))}
    fields.update({f"q_{q}": "yes" if yes else "no" for q, yes in answers(14).items()})
    return fields


def build_forms(ctx) -> list[Rec]:
    form = ctx.ok("officer.a", "POST", "/api/v1/domestic-abuse/forms", _da_body(ctx, Rec("da_form", "", None, "A"), None))
    return [Rec("da_form", "A", form["id"], "A", info={"subject": form["victim_id"],
                                                       "named_by": [("da_form", "A", Vetting.RV)]})]


def fresh_form(ctx, rec: Rec) -> Rec:
    form = ctx.ok("officer.a", "POST", "/api/v1/domestic-abuse/forms", _da_body(ctx, rec, None))
    return replace(rec, id=form["id"])


DA_FORMS = Surface(
    build=build_forms, fresh=fresh_form,
    api={
        "list": [Way("GET", "/api/v1/domestic-abuse/queue", const("/api/v1/domestic-abuse/queue"), shows=_ids("items")),
                 profile("api", "da_forms")],
        "search": NONE("no search of risk forms"),
        "read": Way("GET", "/api/v1/domestic-abuse/forms/{form_id}", api("/api/v1/domestic-abuse/forms/{id}")),
        "export": NONE("no export of risk forms"),
        "create": Way("POST", "/api/v1/domestic-abuse/forms", const("/api/v1/domestic-abuse/forms"), _da_body),
        "update": NONE("MATRIX grants update of da_form (ppu, supervisor) but a form is changed only by its "
                       "review (Action.REVIEW): there is no update route"),
        # a form is reviewed once: each allowed cell reviews a form of its own
        "review": Way("POST", "/api/v1/domestic-abuse/forms/{form_id}/review",
                      api("/api/v1/domestic-abuse/forms/{id}/review"), fresh=True,
                      body=lambda ctx, rec, user: {"version": ctx.version(RiskForm, rec.id), "notes": "DVO review done."}),
        "link": NONE("no input body names a risk form (a MARAC referral is made from the form's own URL)"),
    },
    page={
        "list": [Way("GET", "/domestic-abuse/queue", const("/domestic-abuse/queue"), shows=_href("/domestic-abuse/forms/{id}")),
                 profile("page", "da_forms", "/domestic-abuse/forms/{id}")],
        "search": NONE("no search of risk forms"),
        "read": Way("GET", "/domestic-abuse/forms/{form_id:int}", api("/domestic-abuse/forms/{id}")),
        "export": NONE("no export of risk forms"),
        "create": Way("POST", "/domestic-abuse/new", const("/domestic-abuse/new"), _da_form),
        "update": NONE("no update of a risk form other than its review"),
        "review": Way("POST", "/domestic-abuse/forms/{form_id:int}/{action}", api("/domestic-abuse/forms/{id}/review"),
                      fresh=True, body=lambda ctx, rec, user: {"version": str(ctx.version(RiskForm, rec.id)),
                                                               "notes": "DVO review done."}),
        "link": NONE("no form names a risk form by number"),
    },
)


def _refer(ctx, form_id: int) -> dict:
    return ctx.ok("ppu.a", "POST", f"/api/v1/domestic-abuse/forms/{form_id}/marac-referral",
                  {"version": ctx.version(RiskForm, form_id)})


def _marac_action(ctx) -> tuple[int, int, int, int]:
    """A referral in A discussed at a new meeting, with an action: (referral, meeting, action, form)."""
    form = fresh_form(ctx, Rec("da_form", "A", None, "A"))
    referral = _refer(ctx, form.id)
    meeting = ctx.ok("ppu.a", "POST", f"/api/v1/marac/divisions/{ctx.div('A')}/meetings",
                     {"held_on": "2026-11-20", "agencies_present": ["Police"], "referral_ids": [referral["id"]]})
    action = ctx.ok("ppu.a", "POST", f"/api/v1/marac/meetings/{meeting['id']}/actions",
                    {"referral_id": referral["id"], "text": "Safety planning visit", "owner_agency": "Police"})
    return referral["id"], meeting["id"], action["id"], form.id


def build_marac(ctx) -> list[Rec]:
    referral, meeting, action, form = _marac_action(ctx)
    return [Rec("marac", "A", referral, "A", info={"form_id": form}),
            Rec("marac", "A/action", action, "A", log_id=f"action/{action}", info={"referral_id": referral})]


def fresh_marac(ctx, rec: Rec) -> Rec:
    referral, meeting, action, form = _marac_action(ctx)
    if rec.label == "A/action":
        return replace(rec, id=action, log_id=f"action/{action}", info={"referral_id": referral})
    return replace(rec, id=referral, info={"form_id": form})


def _form_of(ctx, rec: Rec) -> tuple[str, Rec]:
    return "da_form", Rec("da_form", "the referral's risk form", rec.info["form_id"], rec.division)


def _meeting_of(ctx, rec: Rec, user) -> int:
    """The meeting where the referral was discussed (a user of B: division B's meeting)."""
    if home(ctx, user) == "B":
        return ctx.meeting_b
    return ctx.get(MaracReferral, rec.id).meeting_id


MEETING = {"held_on": "2026-11-21", "agencies_present": ["Police", "IDVA"]}
MARAC_ON = frozenset({"A"})

MARAC = Surface(
    build=build_marac, fresh=fresh_marac,
    note="MARAC referrals (read, listed per division), meetings (create) and actions (update).",
    api={
        "list": Way("GET", "/api/v1/marac/divisions/{division_id}", api("/api/v1/marac/divisions/{div}"),
                    shows=_ids("referrals"), on=MARAC_ON),
        "search": NONE("no search of MARAC referrals"),
        "read": [Way("GET", "/api/v1/marac/referrals/{referral_id}", api("/api/v1/marac/referrals/{id}"), on=MARAC_ON),
                 # the risk form's answer names its MARAC referral and carries the referral's criteria
                 Way("GET", "/api/v1/domestic-abuse/forms/{form_id}", on=MARAC_ON, host=_form_of, note="in its risk form",
                     url=lambda ctx, rec, user: f"/api/v1/domestic-abuse/forms/{rec.info['form_id']}",
                     shows=lambda ctx, response, rec: response.json().get("marac_referral_id") == rec.id)],
        "export": NONE("no export of MARAC records"),
        "create": Way("POST", "/api/v1/marac/divisions/{division_id}/meetings", api("/api/v1/marac/divisions/{div}/meetings"),
                      lambda ctx, rec, user: dict(MEETING)),
        # an action is done once: each allowed cell completes an action of its own
        "update": Way("POST", "/api/v1/marac/actions/{action_id}/done", api("/api/v1/marac/actions/{id}/done"),
                      on=frozenset({"A/action"}), fresh=True),
        "review": NONE("MARAC records are not reviewed (MATRIX grants no review)"),
        "link": [Way("POST", "/api/v1/marac/divisions/{division_id}/meetings", naming="marac", field="referral_ids",
                     url=lambda ctx, rec, user: f"/api/v1/marac/divisions/{ctx.div(home(ctx, user))}/meetings",
                     body=lambda ctx, rec, user: CASES[("POST", "/api/v1/marac/divisions/{division_id}/meetings",
                                                        "referral_ids", "marac")][2](None, rec.id), on=MARAC_ON),
                 Way("POST", "/api/v1/marac/meetings/{meeting_id}/actions", naming="marac", field="referral_id",
                     url=lambda ctx, rec, user: f"/api/v1/marac/meetings/{_meeting_of(ctx, rec, user)}/actions",
                     body=lambda ctx, rec, user: CASES[("POST", "/api/v1/marac/meetings/{meeting_id}/actions",
                                                        "referral_id", "marac")][2](None, rec.id),
                     target=lambda ctx, rec, user: rec.division, on=MARAC_ON)],
    },
    page={
        "list": Way("GET", "/marac/divisions/{division_id:int}", api("/marac/divisions/{div}"),
                    shows=_href("/marac/referrals/{id}"), on=MARAC_ON),
        "search": NONE("no search of MARAC referrals"),
        "read": [Way("GET", "/marac/referrals/{referral_id:int}", api("/marac/referrals/{id}"), on=MARAC_ON),
                 # the risk form's page says when, by whom and on which criteria it was referred
                 Way("GET", "/domestic-abuse/forms/{form_id:int}", on=MARAC_ON, host=_form_of, note="in its risk form",
                     url=lambda ctx, rec, user: f"/domestic-abuse/forms/{rec.info['form_id']}",
                     shows=lambda ctx, response, rec: "Referred to " in response.text)],
        "export": NONE("no export of MARAC records"),
        "create": Way("POST", "/marac/divisions/{division_id:int}/meetings", api("/marac/divisions/{div}/meetings"),
                      lambda ctx, rec, user: {**_day("held_on", date(2026, 11, 21)), "agencies": ["Police", "IDVA"]}),
        "update": Way("POST", "/marac/actions/{action_id:int}/done", api("/marac/actions/{id}/done"),
                      on=frozenset({"A/action"}), fresh=True, body=lambda ctx, rec, user: {}),
        "review": NONE("MARAC records are not reviewed"),
        "link": [Way("POST", "/marac/divisions/{division_id:int}/meetings", naming="marac", field="referral_ids",
                     url=lambda ctx, rec, user: f"/marac/divisions/{ctx.div(home(ctx, user))}/meetings",
                     body=lambda ctx, rec, user: {**_day("held_on", date(2026, 11, 22)), "agencies": ["Police"],
                                                  "referral_ids": [str(rec.id)]}, on=MARAC_ON),
                 Way("POST", "/marac/meetings/{meeting_id:int}/actions", naming="marac", field="referral_id",
                     url=lambda ctx, rec, user: f"/marac/meetings/{_meeting_of(ctx, rec, user)}/actions",
                     body=lambda ctx, rec, user: {f"m{_meeting_of(ctx, rec, user)}_{k}": v for k, v in
                                                  {"referral_id": str(rec.id), "text": "Home visit",
                                                   "owner_agency": "Police"}.items()},
                     target=lambda ctx, rec, user: rec.division, on=MARAC_ON)],
    },
)


# --- referrals to children's social care -------------------------------------------------------

def _referral_body(ctx, rec: Rec, user) -> dict:
    return {"child": {"forename": "Ash", "surname": f"Refnew{ctx.n()}"}, "concern": CONCERN,
            "division_id": ctx.div(rec.division)}


def _referral_form(ctx, rec: Rec, user) -> dict:
    return {"forename": "Ash", "surname": f"Refpage{ctx.n()}", "concern": CONCERN,
            "division_id": str(ctx.div(rec.division))}


def _refer_child(ctx, partner_id: int | None = None) -> dict:
    body = {"child": {"forename": "Ref", "surname": f"Refcase{ctx.n()}"}, "concern": CONCERN}
    if partner_id is not None:
        body["partner_id"] = partner_id
    return ctx.ok("officer.a", "POST", "/api/v1/child-referrals", body)


def build_referrals(ctx) -> list[Rec]:
    """Delivered to division A's first council and acknowledged; delivered to the second council
    in A (Eastvale) and acknowledged by it; to the first council while it had no inbox (never
    delivered); and to a third council in A that has no inbox at all (sending fails every time)."""
    out = []
    own = _refer_child(ctx)
    ctx.ok("partner.a", "POST", f"/api/v1/child-referrals/{own['id']}/acknowledgement", {"version": own["version"]})
    out.append(Rec("child_referral", "A", own["id"], "A", info={"partner_id": own["partner_id"], "delivery": "delivered",
                                                               "subject": own["child_id"]}))
    east = _refer_child(ctx, ctx.eastvale)
    ctx.ok("partner.east", "POST", f"/api/v1/child-referrals/{east['id']}/acknowledgement", {"version": east["version"]})
    out.append(Rec("child_referral", "A/other agency", east["id"], "A",
                   info={"partner_id": ctx.eastvale, "delivery": "delivered", "subject": east["child_id"]}))
    ctx.set_active("partner.a", False)
    failed = _refer_child(ctx)
    ctx.set_active("partner.a", True)
    assert failed["delivery"] == "failed", failed
    out.append(Rec("child_referral", "A/undelivered", failed["id"], "A",
                   info={"partner_id": failed["partner_id"], "delivery": "failed", "subject": failed["child_id"]}))
    unsent = _refer_child(ctx, ctx.nowhere)
    assert unsent["delivery"] == "failed", unsent
    out.append(Rec("child_referral", "A/no inbox", unsent["id"], "A", info={"partner_id": ctx.nowhere,
                                                                           "delivery": "failed", "subject": unsent["child_id"]}))
    for rec in out:
        rec.info["named_by"] = [("child_referral", "A", Vetting.RV)]
    return out


def _partner_of(ctx, user: Principal) -> int | None:
    return ctx.user(user.username).partner_id


NOT_DELIVERED = Rule(
    "a partner never received an undelivered referral: Beacon answers 404, as if it did not exist "
    "(beacon.cases.child_protection.referrals._load), logged not_found",
    READS, lambda ctx, user, rec: (user.role is Role.PARTNER and rec.info["partner_id"] == _partner_of(ctx, user)
                                   and rec.info["delivery"] != "delivered"),
    status=404, outcome="not_found")
PARTNER_ONLY = Rule(
    "only the partner agency acknowledges a referral or records its outcome (referrals._partner_only)",
    frozenset({"update"}), lambda ctx, user, rec: user.role is not Role.PARTNER)


def _outcome(ctx, rec: Rec, user) -> dict:
    return {"version": ctx.version(ChildReferral, rec.id), "outcome": f"Strategy discussion held ({ctx.n()})."}


REFERRALS = Surface(
    build=build_referrals, rules=(NOT_DELIVERED,),
    note="The partner-agency guard is the registry's (records.py: child_referral guard).",
    api={
        "list": [Way("GET", "/api/v1/child-referrals", const("/api/v1/child-referrals?limit=200"), shows=_ids("items")),
                 profile("api", "child_referrals")],
        "search": NONE("no search of referrals"),
        "read": Way("GET", "/api/v1/child-referrals/{referral_id}", api("/api/v1/child-referrals/{id}")),
        "export": NONE("no export of referrals"),
        "create": Way("POST", "/api/v1/child-referrals", const("/api/v1/child-referrals"), _referral_body),
        # recording the outcome may be repeated (the fixtures were acknowledged when made)
        "update": Way("POST", "/api/v1/child-referrals/{referral_id}/outcome", api("/api/v1/child-referrals/{id}/outcome"),
                      _outcome, rules=(PARTNER_ONLY,)),
        # sending again: to the council with no inbox it fails again, so the cell may be repeated
        "review": Way("POST", "/api/v1/child-referrals/{referral_id}/delivery", api("/api/v1/child-referrals/{id}/delivery"),
                      lambda ctx, rec, user: {"version": ctx.version(ChildReferral, rec.id)},
                      on=frozenset({"A/no inbox"})),
        "link": Way("POST", "/api/v1/child-cases", const("/api/v1/child-cases"), naming="child_case", field="referral_id",
                    fresh=True, target=lambda ctx, rec, user: rec.division, on=frozenset({"A"}),
                    body=lambda ctx, rec, user: CASES[("POST", "/api/v1/child-cases", "referral_id", "child_referral")][2](
                        None, rec.id)),
    },
    page={
        "list": [Way("GET", "/referrals/inbox", const("/referrals/inbox"), shows=_href("/referrals/{id}")),
                 profile("page", "child_referrals", "/referrals/{id}")],
        "search": NONE("no search of referrals"),
        "read": Way("GET", "/referrals/{referral_id:int}", api("/referrals/{id}")),
        "export": NONE("no export of referrals"),
        "create": Way("POST", "/referrals/new", const("/referrals/new"), _referral_form),
        "update": Way("POST", "/referrals/{referral_id:int}/{form_name}", api("/referrals/{id}/outcome"),
                      lambda ctx, rec, user: {k: str(v) for k, v in _outcome(ctx, rec, user).items()},
                      rules=(PARTNER_ONLY,)),
        "review": Way("POST", "/referrals/{referral_id:int}/{form_name}", api("/referrals/{id}/send"),
                      lambda ctx, rec, user: {"version": str(ctx.version(ChildReferral, rec.id))},
                      on=frozenset({"A/no inbox"})),
        "link": Way("POST", "/child-protection/cases/new", const("/child-protection/cases/new"), naming="child_case",
                    field="referral_id", fresh=True, target=lambda ctx, rec, user: rec.division, on=frozenset({"A"}),
                    body=lambda ctx, rec, user: {"referral_id": str(rec.id)}),
    },
)


def fresh_referral(ctx, rec: Rec) -> Rec:
    made = _refer_child(ctx)
    return replace(rec, id=made["id"], info={"partner_id": made["partner_id"], "delivery": made["delivery"]})


REFERRALS.fresh = fresh_referral


# --- child protection cases, police protection, LSCB meetings ------------------------------------

def _open_case(ctx, username: str = "ppu.a") -> dict:
    return ctx.ok(username, "POST", "/api/v1/child-cases",
                  {"child": {"forename": "Kit", "surname": f"Casechild{ctx.n()}", "date_of_birth": "2019-06-01"},
                   "concern": "Bruising seen on the child's arm at school."})


def build_cases(ctx) -> list[Rec]:
    case = _open_case(ctx)
    return [Rec("child_case", "A", case["id"], "A", info={"child_id": case["child_id"], "subject": case["child_id"],
                                                         "named_by": [("child_case", "A", Vetting.RV)]})]


def fresh_case(ctx, rec: Rec) -> Rec:
    case = _open_case(ctx)
    return replace(rec, id=case["id"], info={"child_id": case["child_id"]})


def _decision_form(ctx, rec, user) -> dict:
    from beacon.cases.child_protection.agreement import agreement
    return {"decision": "Strategy discussion to be held with social care.",
            **{f"factor-{f}": "absent" for f in agreement().factor_ids}}


CASES_SURFACE = Surface(
    build=build_cases, fresh=fresh_case,
    api={
        "list": [Way("GET", "/api/v1/child-cases", const("/api/v1/child-cases?limit=500"), shows=_ids("items")),
                 profile("api", "child_cases")],
        "search": NONE("no search of child protection cases"),
        "read": Way("GET", "/api/v1/child-cases/{case_id}", api("/api/v1/child-cases/{id}")),
        "export": NONE("no export of cases"),
        "create": Way("POST", "/api/v1/child-cases", const("/api/v1/child-cases"),
                      lambda ctx, rec, user: {"child": {"forename": "Kit", "surname": f"Casenew{ctx.n()}"},
                                              "concern": "Bruising seen at school.", "division_id": ctx.div(rec.division)}),
        "update": Way("POST", "/api/v1/child-cases/{case_id}/steps/{step}",
                      api("/api/v1/child-cases/{id}/steps/strategy-discussion"),
                      lambda ctx, rec, user: {"version": ctx.version(ChildCase, rec.id), "on": "2026-11-20"}),
        "review": Way("POST", "/api/v1/child-cases/{case_id}/decisions", api("/api/v1/child-cases/{id}/decisions"),
                      lambda ctx, rec, user: {"decision": "Strategy discussion to be held with social care.",
                                              "factors": factors()}),
        "link": Way("POST", "/api/v1/police-protection", const("/api/v1/police-protection"), naming="police_protection",
                    field="case_id", target=lambda ctx, rec, user: rec.division,
                    body=lambda ctx, rec, user: CASES[("POST", "/api/v1/police-protection", "case_id", "child_case")][2](
                        None, rec.id)),
    },
    page={
        "list": [Way("GET", "/child-protection/cases", const("/child-protection/cases"),
                     shows=_href("/child-protection/cases/{id}")),
                 profile("page", "child_cases", "/child-protection/cases/{id}")],
        "search": NONE("no search of child protection cases"),
        "read": Way("GET", "/child-protection/cases/{case_id:int}", api("/child-protection/cases/{id}")),
        "export": NONE("no export of cases"),
        "create": Way("POST", "/child-protection/cases/new", const("/child-protection/cases/new"),
                      lambda ctx, rec, user: {"forename": "Kit", "surname": f"Casepage{ctx.n()}",
                                              "concern": "Bruising seen at school.",
                                              "division_id": str(ctx.div(rec.division))}),
        "update": Way("POST", "/child-protection/cases/{case_id:int}/steps", api("/child-protection/cases/{id}/steps"),
                      lambda ctx, rec, user: {"version": str(ctx.version(ChildCase, rec.id)),
                                              "step": "strategy-discussion", **_day("on", date(2026, 11, 20))}),
        "review": Way("POST", "/child-protection/cases/{case_id:int}/decisions/{kind}",
                      api("/child-protection/cases/{id}/decisions/decision"), _decision_form),
        "link": Way("POST", "/child-protection/police-protection/new", const("/child-protection/police-protection/new"),
                    naming="police_protection", field="case_id", target=lambda ctx, rec, user: rec.division,
                    body=lambda ctx, rec, user: {"case_id": str(rec.id), "notes": "Found alone at home.",
                                                 **_moment("taken_at", TAKEN)}),
    },
)


def _protect(ctx) -> dict:
    return ctx.ok("officer.a", "POST", "/api/v1/police-protection",
                  {"child": {"forename": "Pip", "surname": f"Protected{ctx.n()}", "date_of_birth": "2018-02-02"},
                   "taken_at": TAKEN.isoformat(), "notes": "Found alone at home, aged eight."})


def build_protections(ctx) -> list[Rec]:
    p = _protect(ctx)
    return [Rec("police_protection", "A", p["id"], "A",
                info={"taken_by": p["taken_by"], "subject": p["child_id"],
                      "named_by": [("police_protection", "A", Vetting.RV), ("child_case", "A", Vetting.RV)]})]


def fresh_protection(ctx, rec: Rec) -> Rec:
    p = _protect(ctx)
    return replace(rec, id=p["id"], info={"taken_by": p["taken_by"]})


DESIGNATED = Rule(
    "the designated officer's review needs a staff record of inspector rank or above "
    "(beacon.cases.child_protection.protection.designated_rank_problem)",
    frozenset({"review"}), lambda ctx, user, rec: ctx.ranks.get(user.username) not in DESIGNATED_RANKS)
INDEPENDENT = Rule(
    "the designated officer is not the officer who took the child (protection.review)",
    frozenset({"review"}), lambda ctx, user, rec: rec.info["taken_by"] in {user.display_name, user.username})


def _protection_body(ctx, rec, user) -> dict:
    return {"child": {"forename": "Pip", "surname": f"Protnew{ctx.n()}"}, "taken_at": TAKEN.isoformat(),
            "notes": "Found alone at home.", "division_id": ctx.div(rec.division)}


PROTECTIONS = Surface(
    build=build_protections, fresh=fresh_protection, rules=(DESIGNATED, INDEPENDENT),
    api={
        "list": [Way("GET", "/api/v1/police-protection", const("/api/v1/police-protection?limit=500"), shows=_ids("items")),
                 profile("api", "police_protection")],
        "search": NONE("no search of police protections"),
        "read": Way("GET", "/api/v1/police-protection/{protection_id}", api("/api/v1/police-protection/{id}")),
        "export": NONE("no export of police protections"),
        "create": Way("POST", "/api/v1/police-protection", const("/api/v1/police-protection"), _protection_body),
        "update": NONE("MATRIX grants the PPU update of police_protection, but the only change is the "
                       "designated officer's review (Action.REVIEW): there is no update route"),
        # the review is once only: each allowed cell reviews a protection of its own
        "review": Way("POST", "/api/v1/police-protection/{protection_id}/designated-review",
                      api("/api/v1/police-protection/{id}/designated-review"), fresh=True,
                      body=lambda ctx, rec, user: {"notes": "Reviewed the grounds: protection justified."}),
        "link": NONE("no input body names a police protection"),
    },
    page={
        "list": Way("GET", "/child-protection/police-protection", const("/child-protection/police-protection"),
                    shows=_href("/child-protection/police-protection/{id}")),
        "search": NONE("no search of police protections"),
        "read": Way("GET", "/child-protection/police-protection/{protection_id:int}",
                    api("/child-protection/police-protection/{id}")),
        "export": NONE("no export of police protections"),
        "create": Way("POST", "/child-protection/police-protection/new", const("/child-protection/police-protection/new"),
                      lambda ctx, rec, user: {"forename": "Pip", "surname": f"Protpage{ctx.n()}",
                                              "notes": "Found alone at home.", **_moment("taken_at", TAKEN),
                                              "division_id": str(ctx.div(rec.division))}),
        "update": NONE("no update of a police protection other than its review"),
        "review": Way("POST", "/child-protection/police-protection/{protection_id:int}/review",
                      api("/child-protection/police-protection/{id}/review"), fresh=True,
                      body=lambda ctx, rec, user: {"notes": "Reviewed the grounds: protection justified."}),
        "link": NONE("no form names a police protection"),
    },
)


def build_lscb(ctx) -> list[Rec]:
    attendee = "DS Matrix Attendee"
    m = ctx.ok("ppu.a", "POST", "/api/v1/lscb-meetings", {"lscb_id": ctx.area.lscb["A"], "held_on": "2026-06-01",
                                                         "police_attended": True, "attendee": attendee})
    return [Rec("lscb_meeting", "A", m["id"], "A", info={"marker": attendee})]


def _lscb_day(ctx) -> date:
    return date(2026, 1, 1) + timedelta(days=ctx.n() % 300)


LSCB = Surface(
    build=build_lscb,
    note="An LSCB meeting belongs to the divisions its authority's wards lie in (here A).",
    api={
        "list": Way("GET", "/api/v1/lscb-meetings", const("/api/v1/lscb-meetings"), shows=_ids("items")),
        "search": NONE("no search of LSCB meetings"),
        "read": NONE("no route reads one LSCB meeting: they are read in the list"),
        "export": NONE("no export of LSCB meetings"),
        "create": Way("POST", "/api/v1/lscb-meetings", const("/api/v1/lscb-meetings"),
                      lambda ctx, rec, user: {"lscb_id": ctx.area.lscb[rec.division], "held_on": _lscb_day(ctx).isoformat(),
                                              "police_attended": False}),
        "update": NONE("MATRIX grants the PPU update of lscb_meeting, but there is no route to change a meeting"),
        "review": NONE("MATRIX grants review of lscb_meeting (ppu, supervisor), but there is no review route"),
        "link": NONE("no input body names an LSCB meeting"),
    },
    page={
        "list": Way("GET", "/child-protection/lscb", const("/child-protection/lscb"), shows=_text("marker")),
        "search": NONE("no search of LSCB meetings"),
        "read": NONE("no page for one LSCB meeting"),
        "export": NONE("no export of LSCB meetings"),
        "create": Way("POST", "/child-protection/lscb/meetings", const("/child-protection/lscb/meetings"),
                      lambda ctx, rec, user: {"lscb_id": str(ctx.area.lscb[rec.division]), **_day("held_on", _lscb_day(ctx)),
                                              "police_attended": "no"}),
        "update": NONE("no route to change an LSCB meeting"),
        "review": NONE("no review route for LSCB meetings"),
        "link": NONE("no form names an LSCB meeting"),
    },
)


# --- inspections and developing practice --------------------------------------------------------

def _inspection_body(ctx) -> dict:
    return {"force_id": ctx.world.force_id, "title": f"Matrix inspection {ctx.n()}", "framework_ids": ["missing_persons"],
            "period_start": "2006-04-01", "period_end": "2007-04-01"}


def build_inspections(ctx) -> list[Rec]:
    """An inspection, graded (so it may be moderated: the inspector's review): its significant Fair
    criteria assessed, since a framework that is not evidenced has no grade to moderate."""
    from beacon.inspection.service import library

    i = ctx.ok("inspector", "POST", "/api/v1/inspections", _inspection_body(ctx))
    for c in library("hmic-2007").framework(FRAMEWORK).criteria:
        if c.significant:
            ctx.ok("inspector", "PUT", f"/api/v1/inspections/{i['id']}/assessments/{c.id}",
                   {"result": "met", "justification": "Matrix inspection: seen in the file sample."})
    grades = ctx.ok("inspector", "POST", f"/api/v1/inspections/{i['id']}/grades")
    assert [g["framework_id"] for g in grades] == [FRAMEWORK], grades
    return [Rec("inspection", "force-wide", i["id"], None)]


FRAMEWORK = "missing_persons"


def _grade_version(ctx, rec: Rec) -> int:
    with ctx.sessions() as s:
        return s.scalars(select(FrameworkGrade.version).where(FrameworkGrade.inspection_id == rec.id,
                                                               FrameworkGrade.framework_id == FRAMEWORK)).one()


MODERATION = "The engine's grade stands on the evidence of the file sample."


def fresh_inspection(ctx, rec: Rec) -> Rec:
    return replace(rec, id=ctx.ok("inspector", "POST", "/api/v1/inspections", _inspection_body(ctx))["id"])


def _advance(ctx, rec, user) -> dict:
    return {"version": ctx.version(Inspection, rec.id), "status": "fieldwork"}


INSPECTIONS = Surface(
    build=build_inspections, fresh=fresh_inspection,
    api={
        "list": NONE("no API list of inspections"),
        "search": NONE("no search of inspections"),
        "read": Way("GET", "/api/v1/inspections/{inspection_id}", api("/api/v1/inspections/{id}")),
        "export": [Way("GET", "/api/v1/inspections/{inspection_id}/export.json", api("/api/v1/inspections/{id}/export.json")),
                   Way("GET", "/api/v1/inspections/{inspection_id}/export.csv", api("/api/v1/inspections/{id}/export.csv"))],
        "create": Way("POST", "/api/v1/inspections", const("/api/v1/inspections"),
                      lambda ctx, rec, user: _inspection_body(ctx)),
        # planned -> fieldwork happens once: each allowed cell advances an inspection of its own
        "update": Way("POST", "/api/v1/inspections/{inspection_id}/status", api("/api/v1/inspections/{id}/status"),
                      _advance, fresh=True),
        # moderating the engine's grade (repeatable: each sends the grade's current version)
        "review": Way("POST", "/api/v1/inspections/{inspection_id}/grades/{framework_id}/moderation",
                      api(f"/api/v1/inspections/{{id}}/grades/{FRAMEWORK}/moderation"),
                      lambda ctx, rec, user: {"version": _grade_version(ctx, rec), "grade": "fair",
                                              "rationale": MODERATION}),
        "link": Way("POST", "/api/v1/practice", const("/api/v1/practice"), naming="practice", field="inspection_id",
                    body=lambda ctx, rec, user: {**_practice_body(ctx), "inspection_id": rec.id},
                    target=lambda ctx, rec, user: None),
    },
    page={
        "list": Way("GET", "/inspections", const("/inspections"), shows=_href("/inspections/{id}")),
        "search": NONE("no search of inspections"),
        "read": Way("GET", "/inspections/{inspection_id:int}", api("/inspections/{id}")),
        "export": [Way("GET", "/inspections/{inspection_id:int}/report", api("/inspections/{id}/report")),
                   Way("GET", "/inspections/{inspection_id:int}/report.pdf", api("/inspections/{id}/report.pdf"))],
        "create": Way("POST", "/inspections", const("/inspections"),
                      lambda ctx, rec, user: {"title": f"Matrix page inspection {ctx.n()}", "force_id": str(ctx.world.force_id),
                                              "framework_ids": ["missing_persons"], **_day("period_start", date(2006, 4, 1)),
                                              **_day("period_end", date(2007, 4, 1))}),
        "update": Way("POST", "/inspections/{inspection_id:int}/status", api("/inspections/{id}/status"),
                      lambda ctx, rec, user: {k: str(v) for k, v in _advance(ctx, rec, user).items()}, fresh=True),
        "review": Way("POST", "/inspections/{inspection_id:int}/frameworks/{framework_id}/moderation",
                      api(f"/inspections/{{id}}/frameworks/{FRAMEWORK}/moderation"),
                      lambda ctx, rec, user: {"version": str(_grade_version(ctx, rec)), "grade": "fair",
                                              "rationale": MODERATION}),
        "link": NONE("no page form names an inspection by number"),
    },
)


def _practice_body(ctx) -> dict:
    return {"force_id": ctx.world.force_id, "framework_id": "missing_persons", "title": f"Matrix practice {ctx.n()}",
            "problem": "Reports were not reviewed.", "solution": "A review list.", "outcomes": "Reviews on time.",
            "force_contact": "DI Example"}


def build_practice(ctx) -> list[Rec]:
    body = {**_practice_body(ctx), "title": "Matrixpractice register entry"}
    p = ctx.ok("inspector", "POST", "/api/v1/practice", body)
    return [Rec("practice", "force-wide", p["id"], None, info={"marker": body["title"]})]


PRACTICE = Surface(
    build=build_practice,
    note="Developing practice is not declared in the record-type registry (records.py): it is not sensitive.",
    api={
        "list": Way("GET", "/api/v1/practice", const("/api/v1/practice"), shows=_ids("")),
        "search": Way("GET", "/api/v1/practice", const("/api/v1/practice?q=matrixpractice"), shows=_ids("")),
        "read": NONE("no route reads one practice entry: they are read in the register"),
        "export": NONE("no export of the register"),
        "create": Way("POST", "/api/v1/practice", const("/api/v1/practice"), lambda ctx, rec, user: _practice_body(ctx)),
        "update": NONE("MATRIX grants update of practice (inspector, chief) but there is no route to change an entry"),
        "review": NONE("practice is not reviewed"),
        "link": NONE("no input body names a practice entry"),
    },
    page={
        "list": Way("GET", "/practice", const("/practice"), shows=_text("marker")),
        "search": Way("GET", "/practice", const("/practice?q=matrixpractice"), shows=_text("marker")),
        "read": NONE("no page for one practice entry"),
        "export": NONE("no export of the register"),
        "create": NONE("no page form adds a practice entry (the API does)"),
        "update": NONE("no route to change an entry"),
        "review": NONE("practice is not reviewed"),
        "link": NONE("no form names a practice entry"),
    },
)


# --- users, settings and the access log: no HTTP surface ------------------------------------------

def _cli_only(what: str) -> dict[str, NONE]:
    reason = (f"{what} are administered with the `beacon` command line only: no page or API route reads or "
              f"changes them, and no service asks the matrix about this record type")
    return {action: NONE(reason) for action in ACTIONS}


def no_records(ctx) -> list[Rec]:
    return []


USERS = Surface(build=no_records, api=_cli_only("user accounts"), page=_cli_only("user accounts"))
SETTINGS = Surface(build=no_records, api=_cli_only("force settings"), page=_cli_only("force settings"))
ACCESS_LOG = Surface(build=no_records, api=_cli_only("the access log's entries"), page=_cli_only("the access log's entries"))


SURFACE: dict[str, Surface] = {
    "missing_report": MISSING,
    "person": PEOPLE,
    "incident": INCIDENTS,
    "ppu_work": PPU_WORK,
    "da_form": DA_FORMS,
    "marac": MARAC,
    "child_referral": REFERRALS,
    "child_case": CASES_SURFACE,
    "police_protection": PROTECTIONS,
    "lscb_meeting": LSCB,
    "inspection": INSPECTIONS,
    "practice": PRACTICE,
    "user": USERS,
    "setting": SETTINGS,
    "access_log": ACCESS_LOG,
}
# built in this order: people are the people of the reports and the case
BUILD_ORDER = ("missing_report", "child_case", "person", "incident", "ppu_work", "da_form", "marac", "child_referral",
               "police_protection", "lscb_meeting", "inspection", "practice", "user", "setting", "access_log")


# --- the world the matrix runs in ------------------------------------------------------------------

RANKS = {"supervisor.a": Rank.INSP, "ppu.b": Rank.DI, "ppu.a": Rank.DS}   # supervisor.b has no staff record


def build_extras(ctx) -> None:
    """Partner agencies, a MARAC in B too, a second council in A with its own duty team user
    (partner.east), a third council in A with no inbox, LSCBs, staff ranks."""
    world, sessions = ctx.world, ctx.sessions
    ctx.area = build_area(world, sessions)
    with transaction(sessions) as s:
        b = s.get(PartnerBody, ctx.area.csc["B"])
        s.add(PartnerBody(force_id=world.force_id, kind="marac", name="Otherby MARAC", local_authority_id=b.local_authority_id))
        for name in ("Eastvale", "Nowhere"):
            la, _ward = add_council(s, world, "A", name)
            body = PartnerBody(force_id=world.force_id, kind="childrens_social_care", name=f"{name} Children's Services",
                               local_authority_id=la.id)
            s.add(body)
            s.flush()
            if name == "Eastvale":
                ctx.eastvale = body.id
                s.add(User(username="partner.east", password_hash=_HASH, role=Role.PARTNER, vetting=Vetting.RV,
                           division_id=world.divisions["A"], partner_id=body.id, display_name="Test partner.east"))
            else:
                ctx.nowhere = body.id
    for username, rank in RANKS.items():
        give_rank(world, sessions, username, rank)
    ctx.ranks = dict(RANKS)
    ctx.meeting_b = ctx.ok("ppu.b", "POST", f"/api/v1/marac/divisions/{world.divisions['B']}/meetings",
                           {"held_on": "2026-11-20", "agencies_present": ["Police"]})["id"]


# --- routes: every route of the app is a way of the matrix, or listed here -----------------------

OTHER_ROUTES: dict[tuple[str, str], str | None] = {
    # not records: signing in and out, the start page, API documentation, tokens
    ("GET", "/login"): None, ("POST", "/login"): None, ("POST", "/logout"): None, ("GET", "/"): None,
    ("GET", "/api/docs"): None,
    ("POST", "/api/v1/tokens"): None, ("GET", "/api/v1/tokens"): None, ("DELETE", "/api/v1/tokens/current"): None,
    ("DELETE", "/api/v1/tokens/{token_id}"): None,
    ("GET", "/api/v1/domestic-abuse/instrument"): None, ("GET", "/api/v1/child-cases/agreement"): None,
    # forms to fill in (the create is the POST); lists and analyses built from the record types below
    ("GET", "/missing-persons/new"): "missing_report", ("GET", "/domestic-abuse/new"): "da_form",
    ("GET", "/referrals/new"): "child_referral", ("GET", "/child-protection/cases/new"): "child_case",
    ("GET", "/child-protection/police-protection/new"): "police_protection", ("GET", "/incidents/import"): "incident",
    ("GET", "/child-protection"): None,
    ("GET", "/missing-persons/{report_id:int}"): "missing_report",
    ("POST", "/api/v1/missing-persons/{report_id}/grades"): "missing_report",
    ("POST", "/api/v1/missing-persons/{report_id}/actions"): "missing_report",
    ("POST", "/api/v1/missing-persons/{report_id}/pnc"): "missing_report",
    ("POST", "/api/v1/missing-persons/{report_id}/closure"): "missing_report",
    ("GET", "/api/v1/missing-persons-analysis/repeats"): "missing_report", ("GET", "/missing-persons/repeats"): "missing_report",
    ("GET", "/domestic-abuse/repeats"): "da_form",
    ("POST", "/api/v1/incident-imports"): "incident",
    ("POST", "/api/v1/closure-audit/run"): "incident", ("GET", "/api/v1/closure-audit/flags"): "incident",
    ("GET", "/incidents/closure-audit"): "incident", ("POST", "/incidents/closure-audit/run"): "incident",
    ("GET", "/ppu/work-items/fragment"): "ppu_work",
    ("GET", "/api/v1/domestic-abuse/backlog"): "da_form",
    ("POST", "/api/v1/domestic-abuse/forms/{form_id}/marac-referral"): "marac",
    ("GET", "/api/v1/marac/benchmark"): "marac", ("GET", "/marac"): "marac", ("GET", "/marac/benchmark"): "marac",
    ("POST", "/api/v1/child-referrals/{referral_id}/acknowledgement"): "child_referral",
    ("POST", "/api/v1/supervisor/child-referrals/escalations"): "child_referral",
    ("GET", "/api/v1/supervisor/child-referrals"): "child_referral", ("GET", "/referrals"): "child_referral",
    ("POST", "/api/v1/child-cases/{case_id}/joint-decision"): "child_case",
    ("POST", "/api/v1/child-cases/{case_id}/closure"): "child_case",
    ("GET", "/child-protection/cases/{case_id:int}/decisions/{kind}"): "child_case",
    ("GET", "/api/v1/lscb-meetings/attendance"): "lscb_meeting",
    # inspection work beyond the matrix's actions: stages, evidence, samples, reveals, grading
    ("POST", "/api/v1/inspections/{inspection_id}/corrections"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/evidence"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/evidence/{evidence_id}"): "inspection",
    ("POST", "/api/v1/inspections/{inspection_id}/evidence"): "inspection",
    ("POST", "/api/v1/inspections/{inspection_id}/computed-evidence"): "inspection",
    ("POST", "/api/v1/inspections/{inspection_id}/evidence/{evidence_id}/withdrawal"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/evidence/{evidence_id}/cases/{record_id}/identity"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/reveals"): "inspection",
    ("POST", "/api/v1/inspections/{inspection_id}/reveals"): "inspection",
    ("POST", "/api/v1/inspections/{inspection_id}/reveals/{reveal_id}/decision"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/reveals/{reveal_id}/identity"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/assessments"): "inspection",
    ("PUT", "/api/v1/inspections/{inspection_id}/assessments/{criterion_id}"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/proposals"): "inspection",
    ("POST", "/api/v1/inspections/{inspection_id}/grades"): "inspection",
    ("GET", "/api/v1/inspections/{inspection_id}/grades"): "inspection",
    ("GET", "/api/v1/national"): "inspection", ("GET", "/national"): "inspection",
    ("GET", "/api/v1/live-grades"): "inspection", ("GET", "/live-grades"): "inspection",
    ("POST", "/api/v1/inspections/{inspection_id}/grades/{framework_id}/confirmation"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/frameworks/{framework_id}/confirmation"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/grades"): "inspection",
    ("GET", "/inspections/{inspection_id:int}/frameworks/{framework_id}"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/frameworks/{framework_id}/evidence"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/frameworks/{framework_id}/computed-evidence"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/frameworks/{framework_id}/assessments/{criterion_id}"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/frameworks/{framework_id}/assessments/{criterion_id}/accept"): "inspection",
    ("GET", "/inspections/{inspection_id:int}/evidence/{evidence_id:int}"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/evidence/{evidence_id:int}/withdrawal"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/evidence/{evidence_id:int}/cases/{record_id:int}/identity"): "inspection",
    ("GET", "/inspections/{inspection_id:int}/reveals"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/reveals"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/reveals/{reveal_id:int}/decision"): "inspection",
    ("POST", "/inspections/{inspection_id:int}/reveals/{reveal_id:int}/identity"): "inspection",
}
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/api/docs"), ("POST", "/api/v1/tokens")}


def app_routes(app) -> list[tuple[str, str, bool]]:
    """(method, path, is_api) for every route the app serves with an endpoint."""
    return sorted({(method, path, path.startswith("/api/")) for path, route in api_routes(app) for method in route.methods})


def body_refs(app) -> set[tuple[str, str, str, str]]:
    """(method, path, field, kind) for every record number an API route's body names."""
    from beacon.schemas import Strict
    from tests.access.test_references import _ref_paths

    out = set()
    for path, route in api_routes(app):
        model = route.body_field.field_info.annotation if route.body_field is not None else None
        if isinstance(model, type) and issubclass(model, Strict):
            out |= {(method, path, field, kind) for field, kind in _ref_paths(model) for method in route.methods}
    return out


def example_path(path: str) -> str:
    """A route path with its parameters filled with a plausible value."""
    values = {"step": "strategy-discussion", "kind": "decision", "form_name": "review", "action": "review",
              "framework_id": "missing_persons", "criterion_id": "mp.f.chief-officer-lead"}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "1"), path)


def link_keys() -> set[tuple[str, str, str, str]]:
    """(method, path, field, kind) of every API link way, to hold against test_references.CASES."""
    out = set()
    for kind, surface in SURFACE.items():
        for way in surface.ways("api", "link"):
            out.add((way.method, way.path, way.field, kind))
    return out


# Record numbers a body names that no link way covers, and why.
UNLINKED = {
    ("PUT", "/api/v1/inspections/{inspection_id}/assessments/{criterion_id}", "evidence_ids", "evidence"):
        "evidence is checked as its inspection (records.py: matrix='inspection'), which only inspectors write",
    ("POST", "/api/v1/inspections/{inspection_id}/reveals", "record_id", "@record_type"):
        "names a record of the kind record_type gives; only inspectors ask, and they read every division's records",
    ("POST", "/api/v1/inspections", "starts_from", "inspection"):
        "names the published inspection a new one starts from; only inspectors create inspections and they read "
        "every inspection (tests/inspection/test_year_on_year.py checks an unpublished or unknown one is refused)",
}

__all__ = ["ACTIONS", "BUILD_ORDER", "CASES", "NONE", "OTHER_ROUTES", "PUBLIC", "UNLINKED", "Rec", "Rule", "SURFACE",
           "SURFACES", "Surface", "Way", "app_routes", "body_refs", "build_extras", "example_path", "home", "link_keys"]
