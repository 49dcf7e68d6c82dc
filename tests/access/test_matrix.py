"""The access matrix, exhaustively, at the HTTP edge: every user of the test world (a user of each
role in each division, an MV-vetted officer, a second council's partner user) × every record type
in ``MATRIX`` × every action (list, search, read, export, create, update, review, link-by-id) ×
every placement of the record (own division, other division, another council's agency in the same
division, a referral never delivered, vetting above the user's) × both surfaces (the JSON API and
the pages). Two users of one role in the same placement make one cell (officer.a.mv is officer.a
wherever the record needs only RV).

The expected answer of each cell is computed, never written down: ``decide`` from the policy, and
the domain guards declared beside the records (the registry's guard) or in the surface
(``tests/access/matrix_surface.py``: the partner-only update, the 404 for an undelivered
referral, the designated officer's rank). A cell passes when

- allowed: the answer is 2xx (a page's form: a 303 onwards), a list or search holds the record,
  and the access log has the ``ok`` entry: a read of the record, the list or search, the write,
  the link;
- refused: 403 (or what the surface declares: the 404 by which Beacon pretends an undelivered
  referral does not exist, the import's 422 report), a list or search does not hold the record,
  and the access log has the ``denied`` (or declared) entry naming the user and the record.

A record shown inside another's answer (a person's profile, a log's work item, a risk form's
MARAC referral) is a cell too: it must be there exactly when the user may read both.

The matrix runs in two tests (two halves of the record types, both surfaces each), each building
its records once on its own database, collecting every mismatch, and reporting the size and the
allowed and refused counts. Cells where Beacon does
not do what the policy says are named in ``KNOWN`` until fixed.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field, replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from beacon.access.login import principal
from beacon.access.policy import MATRIX, Action, Principal, decide
from beacon.access.records import REGISTRY
from beacon.access.unit_of_work import transaction
from beacon.org.models import User
from beacon.org.roles import Role, Vetting
from tests.access.matrix_surface import (
    ACTIONS,
    BUILD_ORDER,
    CASES,
    NONE,
    OTHER_ROUTES,
    PUBLIC,
    SURFACE,
    SURFACES,
    UNLINKED,
    Rec,
    Way,
    app_routes,
    body_refs,
    build_extras,
    example_path,
    home,
    link_keys,
)
from tests.factories import PASSWORD
from tests.logs import entries, mark, since
from tests.web.helpers import csrf_of, token

POLICY = {"list": Action.READ, "search": Action.READ, "read": Action.READ, "export": Action.READ,
          "create": Action.CREATE, "update": Action.UPDATE, "review": Action.REVIEW, "link": Action.READ}
WRITES = {"create", "update", "review", "close"}
USERS = ("officer.a", "officer.a.mv", "officer.b", "supervisor.a", "supervisor.b", "ppu.a", "ppu.b", "analyst", "chief",
         "inspector", "admin", "partner.a", "partner.b", "partner.east")
TARGETS = ("A", "B")   # the divisions a new record is asked for


@dataclass(frozen=True)
class Known:
    """Cells where Beacon does not do what the policy says, named until they are fixed. Every cell
    ``matches`` picks must fail, and every failing cell must be picked by one, so a fix (or a
    partial fix) fails the test until this list is brought up to date."""
    name: str
    matches: object   # Callable[[Cell], bool]


def _own_or_force(c) -> bool:
    return c.placement.endswith(": own division") or c.placement.endswith(": force-wide user")


KNOWN: list = [   # none open: the two the matrix found (a log's PPU work item shown to officers and
                  # supervisors; a risk form's MARAC referral shown to officers and inspectors) are closed
]


# --- the context the surface's builders and ways use ----------------------------------------------

class Ctx:
    def __init__(self, app, client, world, sessions):
        self.app, self.client, self.world, self.sessions = app, client, world, sessions
        self.records: dict[str, list[Rec]] = {}
        self._counter = itertools.count(1)
        self._pages: dict[str, tuple[TestClient, str]] = {}
        self._codes = {v: k for k, v in world.divisions.items()}
        self._users: dict[str, Principal] = {}

    def n(self) -> int:
        return next(self._counter)

    def div(self, code: str | None) -> int | None:
        return self.world.divisions[code] if code else None

    def code(self, division_id: int) -> str:
        return self._codes[division_id]

    def headers(self, username: str) -> dict[str, str]:
        return token(self.client, username)

    def ok(self, username: str, method: str, url: str, body: dict | None = None) -> dict:
        r = self.client.request(method, url, json=body, headers=self.headers(username))
        assert r.status_code in (200, 201), f"{username} {method} {url}: {r.status_code} {r.text[:500]}"
        return r.json()

    def get(self, model, record_id: int):
        with self.sessions() as s:
            obj = s.get(model, record_id)
            s.expunge(obj)
            return obj

    def version(self, model, record_id: int) -> int:
        return self.get(model, record_id).version

    def set(self, model, record_id: int, **values) -> None:
        with transaction(self.sessions) as s:
            s.execute(update(model).where(model.id == record_id).values(**values))

    def set_active(self, username: str, active: bool) -> None:
        with transaction(self.sessions) as s:
            s.execute(update(User).where(User.username == username).values(active=active))

    def user(self, username: str) -> Principal:
        found = self._users.get(username)
        if found is None:
            with self.sessions() as s:
                found = self._users[username] = principal(s.query(User).filter_by(username=username).one())
        return found

    def page(self, username: str) -> tuple[TestClient, str]:
        """A browser signed in as ``username``, and its session's CSRF token."""
        held = self._pages.get(username)
        if held is None:
            browser = TestClient(self.app)
            csrf = csrf_of(browser.get("/login").text)
            r = browser.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf,
                                             "next": "/"}, follow_redirects=False)
            assert r.status_code == 303, r.text
            held = self._pages[username] = (browser, csrf_of(browser.get("/login").text))
        return held


# --- expectations ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expect:
    allowed: bool
    status: int = 403           # when refused
    outcome: str = "denied"     # the log entry's outcome when refused
    why: str = ""
    logged_type: str = ""       # the record type a refusal is logged against
    logged_id: str | None = None


def checked_as(record_type: str) -> str:
    rt = REGISTRY.get(record_type)
    return rt.checked_as if rt else record_type


def may_read(ctx: Ctx, user: Principal, record_type: str, rec: Rec, action: str, way: Way | None) -> Expect:
    """The policy's answer for an action on an existing record, then the declared guards."""
    surface = SURFACE[record_type]
    policy = POLICY[action]
    logged = checked_as(record_type)
    if surface.reader is not None and policy is Action.READ:
        ok, why = surface.reader(ctx, user, rec)
        if not ok:
            return Expect(False, why=why, logged_type=logged, logged_id=rec.logged_as)
    else:
        decision = decide(user, policy, logged, ctx.div(rec.division), rec.vetting)
        if not decision:
            return Expect(False, why=decision.reason, logged_type=logged, logged_id=rec.logged_as)
    for rule in (*(way.rules if way else ()), *surface.rules):
        if action in rule.actions and rule.refuses(ctx, user, rec):
            return Expect(False, rule.status, rule.outcome, rule.name, logged, rec.logged_as)
    registered = REGISTRY.get(record_type)
    if registered is not None and registered.guard is not None:
        with ctx.sessions() as s:
            reason = registered.guard(s, user, s.get(registered.model, rec.id))
        if reason:
            return Expect(False, why=f"registry guard: {reason}", logged_type=logged, logged_id=rec.logged_as)
    return Expect(True, why="allowed", logged_type=logged, logged_id=rec.logged_as)


def expect(ctx: Ctx, user: Principal, record_type: str, action: str, way: Way, rec: Rec) -> Expect:
    if action == "create":
        decision = decide(user, Action.CREATE, record_type, ctx.div(rec.division))
        found = Expect(bool(decision), why=decision.reason, logged_type=record_type)
        return replace(found, status=way.refusal[0], outcome=way.refusal[1]) if way.refusal and not found.allowed else found
    if action == "link":
        read = may_read(ctx, user, record_type, rec, "link", way)
        target = way.target(ctx, rec, user) if way.target else home(ctx, user)
        create = decide(user, Action.CREATE, way.naming, ctx.div(target))
        if read.allowed and create:
            return Expect(True, why="allowed")
        if read.allowed:   # the reference is readable: the create itself is refused
            return Expect(False, why=f"create {way.naming}: {create.reason}", logged_type=way.naming)
        # the reference is refused; if the create is too, Beacon may check either first
        return Expect(False, why=f"named record: {read.why}", logged_type=read.logged_type, logged_id=read.logged_id,
                      outcome=read.outcome, status=read.status) if create else \
            Expect(False, why=f"both: {read.why}; {create.reason}", logged_type="*", logged_id=None)
    found = may_read(ctx, user, record_type, rec, action, way)
    if not found.allowed and way.refusal:
        return replace(found, status=way.refusal[0], outcome=way.refusal[1])
    if found.allowed and way.host is not None:   # shown inside another record: that one must be readable too
        host_type, host = way.host(ctx, rec)
        seen = may_read(ctx, user, host_type, host, "read", None)
        if not seen.allowed:
            return Expect(False, why=f"{host_type} {host.id} ({host.label}): {seen.why}", logged_type=seen.logged_type,
                          logged_id=seen.logged_id)
    return found


# --- cells ----------------------------------------------------------------------------------------------

@dataclass
class Cell:
    username: str
    role: str
    record_type: str
    action: str
    surface: str
    way: str
    placement: str
    expected: Expect
    status: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.surface} {self.action} {self.record_type} [{self.placement}] as {self.username} via {self.way}"


def placement(ctx: Ctx, user: Principal, rec: Rec, action: str) -> str:
    if action == "create":
        where = "new, force-wide user" if user.division_id is None else (
            "new in own division" if ctx.div(rec.division) == user.division_id else "new in other division")
        return f"{where} ({rec.division})"
    if rec.division is None:
        where = "force-wide record"
    elif user.division_id is None:
        where = "force-wide user"
    else:
        where = "own division" if ctx.div(rec.division) == user.division_id else "other division"
    if not user.vetting.covers(rec.vetting):
        where += f", needs {rec.vetting.value} (user {user.vetting.value})"
    if user.role is Role.PARTNER and "partner_id" in rec.info:
        where += ", own agency" if rec.info["partner_id"] == user.partner_id else ", another agency"
    return f"{rec.label}: {where}"


class Runner:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.cells: list[Cell] = []
        self.at = mark(ctx.sessions)
        self.cache: dict[tuple, tuple] = {}
        self.seen: set[tuple] = set()

    def send(self, surface: str, username: str, way: Way, rec: Rec, user: Principal):
        """The response, and the access-log entries the request wrote."""
        ctx = self.ctx
        url = way.url(ctx, rec, user)
        body = way.body(ctx, rec, user) if way.body else None
        cacheable = way.method == "GET"
        key = (surface, username, url)
        if cacheable and key in self.cache:
            return self.cache[key]
        if surface == "api":
            response = ctx.client.request(way.method, url, json=body if way.method != "GET" else None,
                                          headers=ctx.headers(username))
        else:
            browser, csrf = ctx.page(username)
            if way.method == "GET":
                response = browser.get(url, follow_redirects=False)
            else:
                response = browser.post(url, data={**(body or {}), "csrf_token": csrf}, follow_redirects=False,
                                        files=way.files(ctx, rec, user) if way.files else None)
        written, self.at = since(ctx.sessions, self.at)
        if cacheable:
            self.cache[key] = (response, written)
        return response, written

    def run(self, username: str, record_type: str, action: str, surface: str, way: Way, rec: Rec) -> None:
        ctx = self.ctx
        user = ctx.user(username)
        # a cell is a role in a placement: a second user of the same role, division relation, vetting
        # relation, agency and rank adds nothing (officer.a.mv is officer.a wherever vetting is RV)
        same = (surface, record_type, action, way.method, way.path, rec.label, user.role,
                placement(ctx, user, rec, action), ctx.ranks.get(username))
        if same in self.seen:
            return
        self.seen.add(same)
        exp = expect(ctx, user, record_type, action, way, rec)
        if exp.allowed and way.fresh:
            rec = SURFACE[record_type].fresh(ctx, rec)
            self.at = mark(ctx.sessions)
        cell = Cell(username, user.role.value, record_type, action, surface, f"{way.method} {way.path}",
                    placement(ctx, user, rec, action), exp)
        response, written = self.send(surface, username, way, rec, user)
        cell.status = response.status_code
        self.check(cell, way, rec, user, response, written)
        if exp.allowed and action == "link" and record_type == "person" and 200 <= response.status_code < 400:
            named = [(way.naming, way.target(ctx, rec, user) if way.target else home(ctx, user), Vetting.RV)]
            if way.naming == "police_protection":
                named.append(("child_case", named[0][1], Vetting.RV))
            if way.field and way.field.startswith("children"):
                named.append(("child_referral", named[0][1], Vetting.RV))
            rec.info["named_by"] = [*rec.info["named_by"], *named]
        self.cells.append(cell)

    def check(self, cell: Cell, way: Way, rec: Rec, user: Principal, response, written) -> None:
        exp, action, status = cell.expected, cell.action, response.status_code
        problems = cell.problems
        mine = [e for e in written if e.username == user.username]
        # a list, a search, or a record shown inside another's answer: the record is there or not
        is_list = action in ("list", "search") or way.shows is not None
        hosted = way.host is not None
        passed = 200 <= status < 300 or (cell.surface == "page" and status == 303
                                         and not response.headers.get("location", "").startswith("/login"))
        shown = way.shows(self.ctx, response, rec) if (is_list and passed) else False

        def logged(outcome: str, record_type: str | None, record_id: str | None, actions=None) -> bool:
            return any(e.outcome == outcome and (record_type in (None, "*") or e.record_type == record_type)
                       and (record_id is None or e.record_id == record_id)
                       and (actions is None or e.action in actions) for e in mine)

        if exp.allowed:
            if not passed:
                problems.append(f"expected allowed, got {status}: {response.text[:300]!r}")
            elif is_list and not shown:
                problems.append(f"allowed, but the {action} does not show the record")
            if passed:
                rt = checked_as(cell.record_type)
                if hosted and not logged("ok", None, None):
                    problems.append("allowed, but the record it is shown in was not logged")
                elif hosted:
                    pass
                elif action in ("read", "export") and not logged("ok", rt, rec.logged_as, {"read"}):
                    problems.append("allowed read not logged (no ok read entry naming the record)")
                elif is_list and not logged("ok", rt, None):
                    problems.append(f"allowed {action} not logged")
                elif action == "create" and not logged("ok", rt, None, WRITES):
                    problems.append("allowed create not logged")
                elif action in ("update", "review") and not logged("ok", rt, rec.logged_as, WRITES):
                    problems.append(f"allowed {action} not logged against the record")
                elif action == "link" and not logged("ok", rt, rec.logged_as, {"link"}):
                    problems.append("allowed link not logged (no ok link entry naming the record)")
            return
        # refused
        if is_list:
            if passed and shown:
                problems.append(f"refused ({exp.why}), but the {action} shows the record")
            elif not passed and status != 403:
                problems.append(f"refused {action}: expected 403 or a result without the record, got {status}")
            elif status == 403 and not logged("denied", None if hosted else checked_as(cell.record_type), None):
                problems.append(f"refused {action} (403) not logged as denied")
            return
        if status != exp.status:
            problems.append(f"expected {exp.status} ({exp.why}), got {status}: {response.text[:200]!r}")
        if not logged(exp.outcome, exp.logged_type, exp.logged_id):
            problems.append(f"refusal not logged: no {exp.outcome} entry for {exp.logged_type} "
                            f"{exp.logged_id or ''} by {user.username} (entries: "
                            f"{[(e.action, e.record_type, e.record_id, e.outcome) for e in mine]})")


# The matrix in two halves of about the same cost, so that under xdist they run side by side.
PARTS = {
    "missing persons, people, logs, inspection": ("missing_report", "person", "incident", "ppu_work", "inspection",
                                                  "practice", "user", "setting", "access_log"),
    "domestic abuse and child protection": ("da_form", "marac", "child_referral", "child_case", "police_protection",
                                            "lscb_meeting"),
}
NEEDS = {"person": ("missing_report", "child_case")}   # people are the people of the reports and the case


def run_matrix(ctx: Ctx, record_types=tuple(SURFACE), surfaces=SURFACES) -> Runner:
    runner = Runner(ctx)
    targets = {code: Rec("", f"new in {code}", None, code) for code in TARGETS}
    for phase in (("list", "search", "read", "export"), ("update", "review", "create"), ("link",)):
        for username, record_type, surface in itertools.product(USERS, record_types, surfaces):
            for action in phase:
                for way in SURFACE[record_type].ways(surface, action):
                    if action == "create":
                        recs = [replace(t, type=record_type) for t in targets.values()]
                    else:
                        recs = [r for r in ctx.records[record_type] if way.on is None or r.label in way.on]
                    for rec in recs:
                        runner.run(username, record_type, action, surface, way, rec)
    return runner


# --- the tests --------------------------------------------------------------------------------------------

def test_every_record_type_in_the_matrix_has_a_surface():
    types = {record_type for _, record_type in MATRIX}
    missing = sorted(types - set(SURFACE))
    assert not missing, (f"add a surface entry for {missing} to SURFACE in tests/access/matrix_surface.py: how to make "
                         "a record of it in each placement (build), and for the API and the pages its way in per action "
                         f"({', '.join(ACTIONS)}), or NONE('why there is none')")
    assert not sorted(set(SURFACE) - types), "a surface entry for a record type MATRIX does not have"
    assert set(BUILD_ORDER) == set(SURFACE)
    unreachable = {rt for rt, s in SURFACE.items() if not any(s.ways(side, a) for side in SURFACES for a in ACTIONS)}
    assert unreachable == {"user", "setting", "access_log"}, f"record types with no way in: {sorted(unreachable)}"
    for record_type, surface in SURFACE.items():
        for side in SURFACES:
            declared = getattr(surface, side)
            undeclared = [a for a in ACTIONS if a not in declared]
            assert not undeclared, f"{record_type}: declare {side} {undeclared} (a Way, or NONE('why not'))"
            for action, ways in declared.items():
                assert action in ACTIONS, f"{record_type}: unknown action {action}"
                for way in ([] if isinstance(ways, NONE) else [ways] if isinstance(ways, Way) else ways):
                    assert way.path.startswith("/api/") is (side == "api"), (record_type, side, way.path)
                    if way.fresh:
                        assert surface.fresh is not None, f"{record_type}: a fresh way needs Surface.fresh"
                    if action == "link":
                        assert way.naming and way.field, f"{record_type}: a link way names what it creates, by which field"
                    if action in ("list", "search"):
                        assert way.shows is not None, f"{record_type}: a {action} way says how to see the record"


def test_every_route_is_a_way_of_the_matrix_or_listed(app):
    served = app_routes(app)
    ways = {(w.method, w.path) for s in SURFACE.values() for side in SURFACES for a in ACTIONS for w in s.ways(side, a)}
    unclassified = sorted((m, p) for m, p, _ in served if (m, p) not in ways and (m, p) not in OTHER_ROUTES)
    assert not unclassified, ("a route the access matrix does not know: make it a Way of its record type's surface, or "
                              f"list it in OTHER_ROUTES with the record type it reaches: {unclassified}")
    stale = sorted(set(OTHER_ROUTES) - {(m, p) for m, p, _ in served})
    assert not stale, f"OTHER_ROUTES lists routes the app does not serve: {stale}"
    stale_ways = sorted(ways - {(m, p) for m, p, _ in served})
    assert not stale_ways, f"ways for routes the app does not serve: {stale_ways}"
    assert {v for v in OTHER_ROUTES.values() if v} <= set(SURFACE)


def test_every_record_number_a_body_names_is_a_link_way(app):
    """Each sensitive record number an API body takes (test_references.CASES among them) is a
    link-by-id way of the named record type's surface, or listed in UNLINKED with the reason."""
    missing = sorted(set(CASES) - link_keys())
    assert not missing, f"link ways for these test_references.CASES: {missing}"
    sensitive = {r for r in body_refs(app) if r[3].startswith("@") or REGISTRY[r[3]].sensitive}
    assert sensitive, "no route takes a record number: the route walk is broken"
    unlinked = sorted(sensitive - link_keys() - set(UNLINKED))
    assert not unlinked, f"add a link way (the surface of the record type named) for: {unlinked}"
    assert set(UNLINKED) <= sensitive, "UNLINKED lists a field no route takes"


def test_without_a_credential_every_api_route_is_401_and_every_page_signs_in(app, world):
    problems = []
    browser = TestClient(app)
    csrf = csrf_of(browser.get("/login").text)
    for method, path, is_api in app_routes(app):
        if (method, path) in PUBLIC:
            continue
        url = example_path(path)
        if is_api:
            r = browser.request(method, url)
            if r.status_code != 401:
                problems.append(f"{method} {path}: {r.status_code}, not 401")
        elif method == "GET":
            r = browser.get(url, follow_redirects=False)
            if r.status_code == 303 and not r.headers["location"].startswith("/login"):   # a start page that moves on
                r = browser.get(r.headers["location"], follow_redirects=False)
            if r.status_code not in (302, 303, 307) or not r.headers["location"].startswith("/login"):
                problems.append(f"{method} {path}: {r.status_code} {r.headers.get('location')}, not to /login")
        else:
            r = browser.request(method, url, data={"csrf_token": csrf}, follow_redirects=False)
            if r.status_code not in (302, 303, 307) or not r.headers["location"].startswith("/login"):
                problems.append(f"{method} {path}: {r.status_code} {r.headers.get('location')}, not to /login")
    assert not problems, "\n".join(problems)


def test_the_parts_of_the_matrix_are_every_record_type_once():
    assert sorted(t for part in PARTS.values() for t in part) == sorted(SURFACE)


@pytest.mark.parametrize("part", PARTS)
def test_the_access_matrix(part, app, client, world, sessions, record_property):
    """Both surfaces for the record types of one part, on a database of its own."""
    started = time.monotonic()
    ctx = Ctx(app, client, world, sessions)
    build_extras(ctx)
    types = PARTS[part]
    wanted = set(types) | {need for t in types for need in NEEDS.get(t, ())}
    for record_type in BUILD_ORDER:
        ctx.records[record_type] = SURFACE[record_type].build(ctx) if record_type in wanted else []
    built = time.monotonic()
    runner = run_matrix(ctx, types)
    cells = runner.cells
    failed = {c.key: c for c in cells if c.problems}
    known = {c.key: k.name for c in cells for k in KNOWN if k.matches(c)}
    unexpected = {key: c for key, c in failed.items() if key not in known}
    held = sorted(f"{key}\n    ({name})" for key, name in known.items() if key not in failed)

    allowed = sum(c.expected.allowed for c in cells)
    by_side = {side: (sum(c.expected.allowed for c in cells if c.surface == side),
                      sum(not c.expected.allowed for c in cells if c.surface == side)) for side in SURFACES}
    hidden = sorted({f"{c.surface} {c.record_type} {c.action} [{c.placement}] as {c.username}" for c in cells
                     if not c.expected.allowed and c.expected.status == 404 and c.action not in ("list", "search")})
    summary = (f"access matrix ({part}): {len(cells)} cells, {allowed} allowed, {len(cells) - allowed} refused "
               f"(API {by_side['api'][0]}/{by_side['api'][1]}, pages {by_side['page'][0]}/{by_side['page'][1]}), "
               f"{len(hidden)} of them 404 by design, {len(known)} known holes; built in {built - started:.1f}s, "
               f"ran in {time.monotonic() - built:.1f}s")
    print(summary + "".join(f"\n  404 by design: {h}" for h in hidden))   # shown with -rP (and on a failure)
    record_property("access_matrix", summary)

    # every way in was seen to let someone in and to keep someone out
    outcomes: dict[tuple, set[bool]] = {}
    for c in cells:
        outcomes.setdefault((c.record_type, c.action, c.way), set()).add(c.expected.allowed)
    one_sided = sorted(f"{k}: {'allowed' if v == {True} else 'refused'} for everyone" for k, v in outcomes.items()
                       if len(v) < 2)
    assert not one_sided, "a way the matrix never sees both ways:\n" + "\n".join(one_sided)

    # every pair in MATRIX and every role was exercised, wherever the record type has a way in
    reachable = {rt for rt in types if any(SURFACE[rt].ways(side, a) for side in SURFACES for a in ACTIONS)}
    seen = {(c.role, c.record_type) for c in cells}
    assert {(r.value, rt) for r, rt in MATRIX if rt in reachable} <= seen
    assert {r.value for r in Role} <= {c.role for c in cells}
    assert {(c.surface, c.record_type) for c in cells} == {(side, rt) for rt in reachable for side in SURFACES
                                                          if any(SURFACE[rt].ways(side, a) for a in ACTIONS)}
    assert allowed and len(cells) - allowed
    # the refusals are in the chains tests/logs.py reads
    assert len(entries(sessions, outcome="denied")) >= sum(1 for c in cells if not c.expected.allowed
                                                          and c.expected.outcome == "denied" and c.status == 403
                                                          and c.action not in ("list", "search"))
    assert not held, "these KNOWN holes hold now: take them off KNOWN (or narrow it):\n" + "\n".join(held)
    report = "\n".join(f"{k}\n    expected {'allowed' if c.expected.allowed else 'refused: ' + c.expected.why}; "
                       f"got {c.status}: " + "; ".join(c.problems) for k, c in sorted(unexpected.items()))
    assert not unexpected, f"{summary}\n{len(unexpected)} cells do not hold:\n{report}"
