"""The `beacon` command. Each command is a thin call into the library."""
from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy import select

from beacon import config, migrate, settings_repo
from beacon.access.unit_of_work import transaction
from beacon.db import make_engine, session_factory, utcnow

app = typer.Typer(help="Beacon: protecting vulnerable people, graded continuously.", no_args_is_help=True)
audit_app = typer.Typer(help="The access log.", no_args_is_help=True)
mp_app = typer.Typer(help="Missing persons.", no_args_is_help=True)
settings_app = typer.Typer(help="Force settings.", no_args_is_help=True)
criteria_app = typer.Typer(help="Inspection criteria libraries.", no_args_is_help=True)
inspection_app = typer.Typer(help="Inspections.", no_args_is_help=True)
assurance_app = typer.Typer(help="Audits against the cited rules (the inspection's computed evidence).",
                            no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(mp_app, name="mp")
app.add_typer(settings_app, name="settings")
app.add_typer(criteria_app, name="criteria")
app.add_typer(inspection_app, name="inspection")
app.add_typer(assurance_app, name="assurance")
console = Console()


def _as_user(session, username: str):
    """The user ``--as`` names, signed in with their own credential, as the web and the API sign
    people in (one lock-out, one failure count, one log): their API token (BEACON_TOKEN), their
    password (BEACON_PASSWORD, or asked for at the terminal), or else an operator's explicit
    override with a reason (BEACON_OPERATOR_OVERRIDE), logged with the operator's login name."""
    import getpass
    import os

    from beacon.access import tokens
    from beacon.access.audit import note
    from beacon.access.login import principal, sign_in
    from beacon.access.store import store_for
    from beacon.errors import BeaconError
    from beacon.org.models import User

    store, now = store_for(session.get_bind()), utcnow()
    operator = getpass.getuser()
    if token := os.environ.get("BEACON_TOKEN"):
        found = tokens.holder(store, token, now)
        user = session.get(User, found[0]) if found else None
        if user is None or user.username != username.strip().lower() or not user.active:
            raise typer.BadParameter(f"BEACON_TOKEN is not a live token of {username!r}", param_hint="--as")
    else:
        password = os.environ.get("BEACON_PASSWORD")
        override = os.environ.get("BEACON_OPERATOR_OVERRIDE", "").strip()
        if password is None and not override and sys.stdin.isatty():
            password = getpass.getpass(f"Password for {username}: ")
        if password is not None:
            try:
                user = sign_in(session, store, username, password, via="cli", address=f"cli:{operator}", now=now,
                               settings=settings_repo.load(session))
            except BeaconError as exc:
                raise typer.BadParameter(f"{username}: {exc}", param_hint="--as") from None
        elif len(override) >= 10:
            user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
            if user is None:
                raise typer.BadParameter(f"no user {username!r}", param_hint="--as")
            note(session, principal(user), "override", "user", user.id, "ok",
                 f"operator {operator} acted as {user.username} without their credential: {override}")
        else:
            raise typer.BadParameter(
                f"acting as {username} needs their credential: their password (asked for at a terminal, or "
                "BEACON_PASSWORD), their API token (BEACON_TOKEN), or an operator's override with the reason in "
                "BEACON_OPERATOR_OVERRIDE (at least 10 characters; it is logged)", param_hint="--as")
    session.info["user"] = acting = principal(user)
    return acting


def report_files(inspection_id: int, as_user, fmt: str = "pdf", directory: str | Path = ".",
                   database_url: str | None = None) -> list[Path]:
    """What ``beacon report INSPECTION_ID --as USER --format pdf|html|both --out DIR`` does: write
    the report as the user (their access applies and is logged) and return the files written.
    ``as_user`` is a function from the session to the signed-in user (the CLI signs them in), or
    for Beacon's own work (the demo) a username it acts as."""
    from beacon import settings_repo
    from beacon.access.login import acting_as
    from beacon.access.unit_of_work import transaction
    from beacon.db import make_engine, session_factory
    from beacon.errors import Invalid
    from beacon.reports.inspection_report import report_context
    from beacon.reports.render import write_files
    if fmt not in ("pdf", "html", "both"):
        raise Invalid({"format": "must be pdf, html or both"})
    with transaction(session_factory(make_engine(database_url))) as session:
        user = as_user(session) if callable(as_user) else acting_as(session, as_user)
        if user is None:
            raise Invalid({"as": f"no user {as_user!r}"})
        context = report_context(session, user, inspection_id, settings_repo.load(session))
    formats = ("html", "pdf") if fmt == "both" else (fmt,)
    return list(write_files(context, directory, formats).values())


@app.command("migrate")
def migrate_cmd(url: str = typer.Option(None, help="Database URL (default BEACON_DATABASE_URL or the SQLite file).")):
    """Bring the database schema up to date."""
    url = url or config.database_url()
    migrate.upgrade(url)
    _analyze(url)
    console.print("Database is up to date.")


@app.command()
def demo(reset: bool = typer.Option(False, help="Delete the SQLite demo database first."),
         seed: int = typer.Option(2007, help="Seed for the synthetic force.")):
    """Build the synthetic Gwent (migrating first) and print how to sign in."""
    from beacon.demo.build import DEMO_PASSWORD, build

    url = config.database_url()
    if reset and url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    migrate.upgrade(url)
    engine = make_engine(url)
    with Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        task = progress.add_task("Building the force", total=None)

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total)

        summary = build(engine, seed=seed, progress=report)
    _analyze(url)
    _write_demo_reports(url)
    table = Table(title="Demo users (password: " + DEMO_PASSWORD + ")")
    table.add_column("Username")
    table.add_column("Role")
    table.add_column("Division")
    for username, role, division in summary.users:
        table.add_row(username, role, division)
    console.print(table)


def _analyze(url: str) -> None:
    """SQLite plans well only with statistics (PostgreSQL keeps its own): without them the name
    search walks a whole division (bench/results/missing_persons_findings.md)."""
    if url.startswith("sqlite"):
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        engine.dispose()


def _write_demo_reports(url: str) -> None:
    """Write Gwent's 2007 report as HTML and PDF into the instance folder; the app links them too."""
    from beacon.inspection.repository import latest_published
    from beacon.org.models import Force

    with transaction(session_factory(make_engine(url))) as session:
        gwent = session.scalars(select(Force).where(Force.code == "gwent")).first()
        inspection = latest_published(session, "hmic-2007").get(gwent.id) if gwent else None
    if inspection is None:
        return
    folder = config.instance_dir() / "reports"
    folder.mkdir(exist_ok=True)
    paths = report_files(inspection.id, "inspector", "both", folder, database_url=url)
    console.print("Gwent's 2007 inspection report: " + ", ".join(str(p) for p in paths)
                  + f"  (in the app: /inspections/{inspection.id}/report and .pdf)")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          proxy_headers: bool = typer.Option(
              True, help="Believe X-Forwarded-Proto and X-Forwarded-For from the proxies in --forwarded-allow-ips: "
                         "behind a reverse proxy that terminates TLS, Beacon then knows the request came over HTTPS."),
          forwarded_allow_ips: str = typer.Option(
              None, help="Comma-separated addresses of the trusted proxies, or '*' (default: the FORWARDED_ALLOW_IPS "
                         "variable, else 127.0.0.1 and ::1).")):
    """Serve the web app and API (docs/guide.md: running behind TLS)."""
    import gc

    import uvicorn

    from beacon.web.app import create_app

    console.print(f"Beacon is at http://{host}:{port}/  (API docs at /api/docs). Sign in with a demo user "
                  "above, for example officer.a or supervisor.a.")
    app = create_app()
    # The framework's and app's long-lived objects leave the collector's generations, so full
    # collections triggered by large responses stay short (bench/results/missing_persons_findings.md).
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=proxy_headers,
                forwarded_allow_ips=forwarded_allow_ips)


@audit_app.command("verify")
def audit_verify():
    """Verify the access log: both chains' sequence, links, hashes and signatures, against the signed
    checkpoints outside the database; exit 1 at the first entry that does not fit."""
    from beacon.access.log import verify

    engine = make_engine()
    with transaction(session_factory(engine)) as session:
        result = verify(session)
    for chain in result.chains:
        tail = chain.entries - chain.anchored_seq
        console.print(f"{chain.chain} chain: {chain.entries} entries"
                      + (f", checkpointed to {chain.anchored_seq}" if chain.anchored_seq else "")
                      + (f" ({tail} after the last checkpoint, verified by their signatures)" if chain.ok and tail > 0
                         else ""))
    if result.ok:
        console.print(f"Access log intact: {result.entries} entries.")
    else:
        console.print(f"[red]Access log broken[/red] at entry {result.first_bad_seq}: {result.problem}.")
        raise typer.Exit(1)


@mp_app.command("queue")
def mp_queue(as_user: str = typer.Option(..., "--as", help="Username whose access applies.")):
    """The supervisor's list: new high-risk, overdue and due-soon reviews."""
    from beacon.cases.missing_persons import service

    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        at = utcnow()
        for title, rows in zip(("New high risk", "Overdue", "Due soon"), service.supervisor_queue(session, user, at)):
            console.print(f"[bold]{title}[/bold] ({len(rows)})")
            for r in rows:
                console.print(f"  {r.reference}  {r.risk_grade.label:<32} due {r.next_review_due_at:%Y-%m-%d %H:%M}Z")


@mp_app.command("search")
def mp_search(q: str = typer.Argument(""), as_user: str = typer.Option(..., "--as"),
              limit: int = typer.Option(20, min=1, max=500), as_json: bool = typer.Option(False, "--json")):
    """Search reports as a given user would see them."""
    from beacon.cases.missing_persons import present, service

    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        rows, more = service.search(session, user, q=q, limit=limit)
        out = [present.summary(user, r, utcnow()) for r in rows]
    if as_json:
        sys.stdout.write(json.dumps([o.model_dump(mode="json") for o in out], indent=2) + "\n")
        return
    for o in out:
        console.print(f"{o.reference}  {o.name:<28} {o.risk_grade.label:<32} {o.status:<7} {o.reported_at:%Y-%m-%d}")
    if more:
        console.print("(more: raise --limit)")


@mp_app.command("figures")
def mp_figures(as_user: str = typer.Option(..., "--as"), year_from: str = "2006-04-01", year_to: str = "2007-04-01"):
    """Reports by risk grade in a period (default the 2006/07 year the 2007 inspection counted)."""
    from beacon.access.policy import scope
    from beacon.cases.missing_persons import repository
    from beacon.rules.clocks import LONDON

    start = datetime.fromisoformat(year_from).replace(tzinfo=LONDON)  # the force's year runs midnight
    end = datetime.fromisoformat(year_to).replace(tzinfo=LONDON)      # to midnight, UK time
    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        counts = repository.count_by_grade(session, scope(user, "missing_report"), start, end)
    for grade, n in sorted(counts.items(), key=lambda kv: kv[0].value):
        console.print(f"{grade.label:<34} {n:>7,}")
    console.print(f"{'Total':<34} {sum(counts.values()):>7,}")


@settings_app.command("list")
def settings_list():
    """Every force setting, its value and what it means."""
    with transaction(session_factory(make_engine())) as session:
        values = settings_repo.load(session)
    for s in config.SETTINGS:
        console.print(f"[bold]{s.name}[/bold] = {values[s.name]}  (default {s.default})\n  {s.help}")


@settings_app.command("set")
def settings_set(name: str, value: str, by: str = typer.Option("cli", help="Who is making the change.")):
    """Change a force setting."""
    from beacon.cases.missing_persons import service
    from beacon.errors import Invalid

    try:
        with transaction(session_factory(make_engine())) as session:
            new = settings_repo.save(session, name, value, by)
            if name.startswith("mp.review_interval_hours."):
                count = service.reschedule_open(session, settings_repo.load(session))
                console.print(f"Rescheduled the next review of {count} open report(s).")
    except Invalid as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{name} = {new}")


@app.command("report")
def report_cmd(inspection_id: int, as_user: str = typer.Option("inspector", "--as"),
               fmt: str = typer.Option("pdf", "--format", help="pdf, html or both"),
               out: Path = typer.Option(Path("."), "--out", help="Folder to write the report to.")):
    """Write an inspection report (HTML and PDF from the same template)."""
    from beacon.errors import Invalid

    try:
        for path in report_files(inspection_id, lambda session: _as_user(session, as_user), fmt, out):
            console.print(str(path))
    except Invalid as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@criteria_app.command("check")
def criteria_check(paths: list[str] = typer.Argument(None, help="YAML files (default: every file in criteria/).")):
    """Validate criteria libraries strictly; exit 1 naming each problem."""
    from beacon.inspection.criteria import criteria_check_command
    from beacon.inspection.service import CRITERIA_DIR

    files = paths or sorted(str(p) for p in CRITERIA_DIR.glob("*.yaml"))
    raise typer.Exit(criteria_check_command(files))


@inspection_app.command("grade")
def inspection_grade(inspection_id: int, as_user: str = typer.Option("inspector", "--as")):
    """Run the grading engine on an inspection and explain each grade."""
    import json as _json

    from beacon.errors import BeaconError
    from beacon.inspection import service
    from beacon.inspection.grading import GradeDecision

    try:
        with transaction(session_factory(make_engine())) as session:
            user = _as_user(session, as_user)
            rows = service.grade(session, user, inspection_id, settings_repo.load(session), utcnow())
            for row in rows:
                decision = GradeDecision.from_json(_json.loads(row.explanation))
                flag = " (provisional: for moderation)" if row.provisional else ""
                console.print(f"[bold]{row.framework_id}[/bold]: {row.engine_label}{flag}"
                              + (f"; moderated to {row.moderated_grade.label}" if row.moderated_grade else ""))
                for reason in decision.reasons:
                    console.print(f"  - {reason}")
                for why in decision.moderation:
                    console.print(f"  ! {why}")
    except BeaconError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


@inspection_app.command("explain")
def inspection_explain(inspection_id: int, as_user: str = typer.Option("inspector", "--as"),
                       as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")):
    """Why each grade of an inspection is what it is, and what would change it (read-only: works on
    a published inspection too)."""
    import json as _json

    from beacon.errors import BeaconError
    from beacon.inspection import explain
    from beacon.inspection.types import grade_label

    try:
        with transaction(session_factory(make_engine())) as session:
            user = _as_user(session, as_user)
            found = explain.explain(session, user, inspection_id, settings_repo.load(session))
            names = explain.division_names(session)
            if as_json:
                print(_json.dumps(explain.to_json(found), indent=2))
                return
            for e in found:
                moderated = (f" (engine {e.kept.engine_label}, moderated)"
                             if e.kept and e.kept.moderated_grade else "")
                console.print(f"[bold]{e.framework.id}[/bold]: {grade_label(e.grade)}{moderated}")
                for reason in e.engine.reasons:
                    console.print(f"  - {reason}")
                for b in e.bound:
                    said = ("not assessed" if b.assessed is None else "accepted" if not b.overridden
                            else f"overridden to {b.assessed.value.replace('_', ' ')}: {b.override_reason}")
                    console.print(f"  * {b.criterion_id} proposed {b.proposed.proposal.result.value.replace('_', ' ')}"
                                  f" ({said}): {b.proposed.proposal.explain(names)}")
                for direction, route in e.routes.items():
                    console.print(f"  {direction}: " + (route.sentence(names) if route else "no route"))
    except BeaconError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


grade_app = typer.Typer(help="Live grades: every framework graded each month from the records.",
                        no_args_is_help=True)
app.add_typer(grade_app, name="grade")


@grade_app.command("live")
def grade_live(month: str = typer.Option(None, help="YYYY-MM to compute (default: this month)."),
               since: str = typer.Option(None, "--from", help="YYYY-MM: compute every month from this one."),
               every: bool = typer.Option(False, "--all", help="Every month whose period holds records."),
               library_id: str = typer.Option("hmic-2007", "--library")):
    """Compute and keep the live grades (a scheduled job: run it monthly, or after an import), and
    print them with what moved them since the month before."""
    from datetime import date as _date

    from beacon.inspection import live, live_grades
    from beacon.inspection.types import grade_label
    from beacon.rules.clocks import add_months

    def parse(text: str, option: str) -> _date:
        try:
            return _date.fromisoformat(text + "-01")
        except ValueError:
            raise typer.BadParameter(f"{text!r} is not a month like 2007-03", param_hint=option) from None

    now = utcnow()
    this = live.month_of(now.date())
    with transaction(session_factory(make_engine())) as session:
        settings = settings_repo.load(session)
        if every:
            span = int(settings["grading.live_months"])  # type: ignore[call-overload]
            months = sorted({m2 for m in live_grades.months_with_records(session)
                             for m2 in live.months_between(m, min(this, add_months(m, span - 1)))})
        elif since:
            months = live.months_between(parse(since, "--from"), parse(month, "--month") if month else this)
        else:
            months = [parse(month, "--month") if month else this]
        rows = live_grades.refresh(session, library_id, months, settings, now,
                                   progress=lambda i, n: console.print(f"  {i}/{n} months", end="\r"))
        last = max(r.month for r in rows) if rows else None
        for r in sorted((r for r in rows if r.month == last), key=lambda r: r.framework_id):
            console.print(f"[bold]{r.framework_id}[/bold] {r.month:%B %Y} "
                          f"({r.period_start:%b %Y} to {r.period_end:%b %Y}): {grade_label(r.grade)} (provisional)")
    console.print(f"Kept the live grades of {len(months)} month(s).")


incidents_app = typer.Typer(help="Command-and-control incidents: import and the closure audit.", no_args_is_help=True)
app.add_typer(incidents_app, name="incidents")


@incidents_app.command("import")
def incidents_import(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
                     fmt: str = typer.Option(None, "--format", help="csv or json (default: from the file's extension)."),
                     as_user: str = typer.Option(..., "--as", help="Username whose access applies.")):
    """Import a CSV or JSON file of logs: every row is checked first, and nothing is imported if any
    row has an error (each is listed by row and field). Exit 1 when the file is rejected."""
    from beacon.cases.incidents import importer

    fmt = (fmt or file.suffix.lstrip(".")).lower()
    if fmt not in importer.FORMATS:
        raise typer.BadParameter("use csv or json", param_hint="--format")
    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        report = importer.import_file(session, user, file, fmt, file.name, utcnow(),
                                      progress=lambda stage, n: console.print(f"  {stage} {n:,} rows"))
    console.print(f"Import {report.batch_id} ({report.filename}): {report.detail}")
    for e in report.errors:
        console.print(f"  row {e['row']}, {e['field']}: {e['message']}", markup=False)
    if report.errors_truncated:
        console.print(f"  (only the first {len(report.errors)} errors are listed)")
    if report.status == "rejected":
        raise typer.Exit(1)


@incidents_app.command("audit")
def incidents_audit(as_user: str = typer.Option(..., "--as", help="A supervisor: the audit covers their division."),
                    days: int = typer.Option(30, min=1, max=3660, help="Audit logs closed in this many days before now.")):
    """Flag logs closed with another code that show signs they were domestic or child protection
    incidents (docs/closure-audit.md), for a supervisor to confirm or dismiss."""
    from datetime import timedelta

    from beacon.assurance import closure_audit
    from beacon.errors import BeaconError

    at = utcnow()
    try:
        with transaction(session_factory(make_engine())) as session:
            user = _as_user(session, as_user)
            r = closure_audit.audit(session, user, at - timedelta(days=days), at, at)
            rows, total, _ = closure_audit.list_flags(session, user, "to_review", limit=50)
            console.print(f"Examined {r.examined:,} closed logs: {r.flagged} newly flagged, {r.refreshed} refreshed; "
                          f"{total} to review.")
            for flag, incident in rows:
                console.print(f"  {incident.log_ref}  closed as {incident.closing_code!r}, suggested {flag.suggested}",
                              markup=False)
    except BeaconError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


referrals_app = typer.Typer(help="Referrals to children's social care.", no_args_is_help=True)
app.add_typer(referrals_app, name="referrals")


@referrals_app.command("escalate")
def referrals_escalate():
    """Escalate every referral not acknowledged within 1 working day of being sent to the
    supervisor's list (run it on a schedule, for example every 15 minutes)."""
    from beacon.cases.child_protection import referrals

    with transaction(session_factory(make_engine())) as session:
        rows = referrals.escalate_overdue(session, utcnow())
        for r in rows:
            console.print(f"  referral {r.id}: due {r.due_at:%Y-%m-%d %H:%M}Z, not acknowledged")
    console.print(f"Escalated {len(rows)} referral(s).")


cp_app = typer.Typer(help="Child protection cases and police protection.", no_args_is_help=True)
app.add_typer(cp_app, name="child-protection")
lscb_app = typer.Typer(help="Local Safeguarding Children Board meetings.", no_args_is_help=True)
app.add_typer(lscb_app, name="lscb")


def _refused(exc) -> None:
    console.print(f"[red]{exc}[/red]")
    raise typer.Exit(1)


@cp_app.command("due")
def cp_due(as_user: str = typer.Option(..., "--as", help="Username whose access applies."),
           division: str = typer.Option("", help="Division code (default: the user's division, or every division)."),
           as_json: bool = typer.Option(False, "--json")):
    """The caseload: open cases with the next step due or overdue, soonest first."""
    from beacon.cases.child_protection import cases
    from beacon.cases.child_protection import present as case_views
    from beacon.errors import BeaconError
    from beacon.org.models import Division

    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        division_id = None
        if division:
            division_id = session.scalar(select(Division.id).where(Division.code == division))
            if division_id is None:
                raise typer.BadParameter(f"no division {division!r}", param_hint="--division")
        today = cases.today_of(utcnow())
        try:
            rows = cases.caseload(session, user, today, division_id)
        except BeaconError as exc:
            _refused(exc)
        out = [case_views.summary(user, r.case, None, today, r.steps) for r in rows]
    if as_json:
        sys.stdout.write(json.dumps([o.model_dump(mode="json") for o in out], indent=2) + "\n")
        return
    for o in out:
        step = o.next_step
        what = f"{step.label:<36} due {step.due_on:%Y-%m-%d}  {step.status_label}" if step else "strategy discussion not recorded"
        console.print(f"case {o.id:<6} {what}")
    console.print(f"{len(out)} open case(s); {sum(1 for o in out if o.next_step and o.next_step.status == 'overdue')} overdue.")


@cp_app.command("protections")
def cp_protections(as_user: str = typer.Option(..., "--as", help="Username whose access applies.")):
    """Police protections awaiting the designated officer's review, longest waiting first."""
    from beacon.cases.child_protection import protection
    from beacon.errors import BeaconError

    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        try:
            rows = protection.list_protections(session, user, awaiting_review=True)
        except BeaconError as exc:
            _refused(exc)
        for p in rows:
            console.print(f"  police protection {p.id}: taken {p.taken_at:%Y-%m-%d %H:%M}Z by {p.taken_by}, case {p.case_id}")
    console.print(f"{len(rows)} awaiting designated officer review.")


@lscb_app.command("attendance")
def lscb_attendance(as_user: str = typer.Option(..., "--as", help="Username whose access applies."),
                    from_on: str = typer.Option("", "--from", help="First day, YYYY-MM-DD (default 12 months ago)."),
                    to_on: str = typer.Option("", "--to", help="Last day, YYYY-MM-DD (default today).")):
    """Per LSCB: meetings held over the period and how many had no police representation."""
    from datetime import date

    from beacon.cases.child_protection import lscb
    from beacon.errors import BeaconError

    try:
        start_in = date.fromisoformat(from_on) if from_on else None
        end_in = date.fromisoformat(to_on) if to_on else None
    except ValueError as exc:
        raise typer.BadParameter(f"dates are written YYYY-MM-DD ({exc})") from None
    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        try:
            start, end = lscb.period(utcnow(), start_in, end_in)
            rows = lscb.attendance(session, user, start, end)
        except BeaconError as exc:
            _refused(exc)
        console.print(f"LSCB meetings {start:%Y-%m-%d} to {end:%Y-%m-%d}")
        for r in rows:
            console.print(f"  {r.lscb.name:<48} {r.meetings:>3} held, {r.without_police:>3} without police")
        console.print(f"  {'Total':<48} {sum(r.meetings for r in rows):>3} held, "
                      f"{sum(r.without_police for r in rows):>3} without police")



@assurance_app.command("audit")
def assurance_audit(area: str = typer.Argument(..., help="mp, da or cp"),
                    as_user: str = typer.Option(..., "--as", help="A user who reads every division (analyst, chief, inspector)."),
                    date_from: str = typer.Option("2006-04-01", "--from", help="First day, YYYY-MM-DD."),
                    date_to: str = typer.Option("2007-04-01", "--to", help="Day after the last, YYYY-MM-DD."),
                    as_json: bool = typer.Option(False, "--json", help="Everything, with the record ids behind each figure.")):
    """Compliance with each audit rule, force-wide and by division (default 2006/07)."""
    from datetime import date, time

    from beacon.assurance import force_audit
    from beacon.errors import BeaconError
    from beacon.org.models import Division
    from beacon.rules.clocks import LONDON

    if area not in force_audit.AREAS:
        raise typer.BadParameter(f"choose one of {', '.join(force_audit.AREAS)}", param_hint="AREA")
    try:
        first, after = date.fromisoformat(date_from), date.fromisoformat(date_to)
    except ValueError as exc:
        raise typer.BadParameter(f"dates are YYYY-MM-DD: {exc}", param_hint="--from/--to") from None
    if after <= first:
        raise typer.BadParameter("--to must be after --from", param_hint="--to")
    since = datetime.combine(first, time(0), tzinfo=LONDON).astimezone(UTC)
    until = datetime.combine(after, time(0), tzinfo=LONDON).astimezone(UTC)
    with transaction(session_factory(make_engine())) as session:
        user = _as_user(session, as_user)
        try:
            result = force_audit.run(session, user, area, since, until, settings_repo.load(session), utcnow())
        except BeaconError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
        names = {str(d.id): d.name for d in session.scalars(select(Division).order_by(Division.code))}
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2, default=str) + "\n")
        return
    table = Table(title=f"{force_audit.AREAS[area][2]}: {first:%d %b %Y} to {after:%d %b %Y} (exclusive)")
    table.add_column("Rule", no_wrap=True)
    table.add_column("What it checks", ratio=1)
    for column in ("Met", "Of", "Rate"):
        table.add_column(column, justify="right", no_wrap=True)
    for rule_id, rate in result.rates.items():
        shown = "-" if rate.rate is None else f"{rate.rate:.0%}"
        table.add_row(rule_id, rate.title, f"{rate.met:,}", f"{rate.applicable:,}", shown)
    console.print(table)
    divisions = [d for d in names if d in result.by_division]
    if divisions:
        split = Table(title="By division (met of applicable)")
        split.add_column("Rule", no_wrap=True)
        for d in divisions:
            split.add_column(names[d], justify="right")
        for rule_id in result.rates:
            cells = [result.by_division[d].get(rule_id) for d in divisions]
            split.add_row(rule_id, *("-" if not c or not c.applicable else
                                     f"{c.met:,}/{c.applicable:,} ({c.rate:.0%})" for c in cells))
        console.print(split)
    if result.backlog is not None:
        backlog = result.backlog
        parts = ", ".join(f"{names.get(str(d), f'division {d}')}: {row.unreviewed}"
                          for d, row in backlog.by_division.items())
        console.print(f"Forms awaiting review as at {backlog.as_of[:10]}: {backlog.total:,} ({parts})")


if __name__ == "__main__":
    app()
