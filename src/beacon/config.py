"""Process configuration (where the database is, secrets) and the force settings table.

Force settings are declared here as data, one row each, with a default, a type and help
text (the datasette pattern). A force changes a setting by storing an override in the
``force_setting`` table; ``beacon.settings_repo`` reads them. Rules take the resolved values
as plain arguments, so they stay pure.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    type: type
    help: str
    rule: str | None = None  # the cited rule in beacon.rules this setting belongs to


SETTINGS: tuple[Setting, ...] = (
    Setting("mp.review_interval_hours.high", 2, int,
            "Hours between supervisory reviews of an open high-risk missing person case. "
            "Force policy; the default follows common practice of an inspector's review within two hours.",
            "mp.supervisory_review"),
    Setting("mp.review_interval_hours.medium", 8, int,
            "Hours between supervisory reviews of an open medium-risk missing person case (force policy).",
            "mp.supervisory_review"),
    Setting("mp.review_interval_hours.low", 24, int,
            "Hours between supervisory reviews of an open low-risk missing person case (force policy).",
            "mp.supervisory_review"),
    Setting("mp.review_interval_hours.absent_from_care", 24, int,
            "Hours between supervisory reviews of an open unauthorised absence from care (force policy).",
            "mp.supervisory_review"),
    Setting("mp.pnc_circulation_hours", 48, int,
            "Hours within which a missing person's details must be on the Police National Computer.",
            "mp.pnc_circulation"),
    Setting("mp.return_interview_hours", 72, int,
            "Hours after a child returns within which an independent return interview is offered.",
            "mp.return_interview"),
    Setting("mp.repeat_location_threshold", 5, int,
            "Reports from one location within the window that make it a repeat location.",
            "mp.repeat_location"),
    Setting("mp.repeat_window_days", 365, int,
            "Days looked back when counting repeat episodes and repeat locations.",
            "mp.repeat_location"),
    Setting("grading.most", 0.6, float,
            "Share of applicable Good criteria that counts as 'most' (Good: all Fair met and most of Good). "
            "The report does not define it; more than half, with a margin, is the documented default.",
            "hmic.grading.good"),
    Setting("grading.vast_majority", 0.85, float,
            "Share of applicable Good criteria that counts as 'the vast majority' (Excellent).",
            "hmic.grading.excellent"),
    Setting("grading.significant_number", 0.25, float,
            "Share of significant Fair criteria not met that makes a force 'well short of a significant "
            "number' (Poor).", "hmic.grading.poor"),
    Setting("grading.significant_number_min", 2, int,
            "The fewest significant Fair criteria not met that can count as 'a significant number'.",
            "hmic.grading.poor"),
    Setting("grading.moderation_margin", 1, int,
            "Criteria either side of a threshold within which a grade is sent to moderation as borderline.",
            "hmic.grading.good"),
    Setting("grading.bound.met_at", 0.85, float,
            "Share of applicable records meeting a bound criterion's audit rule from which the records propose "
            "Met. HMIC's 2007 grading process gives no figure; Beacon reads 'met' as the large majority of "
            "records, the same share as 'the vast majority' (grading.vast_majority). A binding may set a "
            "stricter figure of its own, with its reason, in the criteria library.", "hmic.grading.good"),
    Setting("grading.bound.partly_at", 0.70, float,
            "Share from which the records propose Partly met (below it, Not met): a clear majority of records "
            "comply but a substantial minority, nearly one in three, do not.", "hmic.grading.good"),
    Setting("grading.bound.minimum_records", 20, int,
            "The fewest records a bound rule must apply to (force-wide, or in a division for a per-division "
            "measure) before the records propose a result; fewer give Not evidenced. Twenty is the default "
            "case-file sample size (inspection.file_sample_size): below it a rate rests on too few files.",
            "hmic.grading.good"),
    Setting("grading.live_months", 12, int,
            "Months of records the live provisional grades read, ending with the month graded (the brief: "
            "a rolling year, as an inspection's assessment period).", "hmic.grading.good"),
    Setting("moderation.msf_gap", 2, int,
            "Grades (steps) between a force and the median of its most similar forces that flag the grade "
            "for moderation.", "hmic.grading.good"),
    Setting("inspection.file_sample_size", 20, int,
            "Files in each case-file sample (missing-person reports, risk forms, child protection cases) an "
            "inspection draws, unless it sets its own size when it is created. Beacon draws the files at random "
            "with a seed it generates and records; the inspector chooses neither. The 2007 report's public "
            "protection sample was six files; 20 is Beacon's documented default, not an HMIC standard."),
    Setting("inspection.evidence_months_before", 12, int,
            "Months before an inspection's assessment period from which evidence may date (the force's policies, "
            "plans and minutes in force when the period began). Older evidence, or evidence from the future, is "
            "refused naming gathered_on: the 2007 report grades the force on the period it inspected."),
    Setting("inspection.fieldwork_months", 6, int,
            "Months after an inspection's assessment period ends within which its evidence may be gathered (the "
            "fieldwork: interviews, focus groups and reality checks follow the period they inspect)."),
    Setting("inspection.evidence_expiry_months", 36, int,
            "Year on year: evidence carried from a previous inspection that was gathered more than this many months "
            "before the new inspection's period began is marked expired, and no longer counts as beacon or "
            "innovation evidence. Three years: HMIC's programme of 2006-2008 revisited each framework within it."),
    Setting("inspection.file_sample_max", 50, int,
            "The most files an inspection may set for one case-file sample. The names behind a sample's files may "
            "be revealed to its inspectors without a second inspector's approval, so this bounds the names one "
            "inspection sees unasked (docs/adr/0011-case-file-samples-and-reveals.md)."),
    Setting("da.marac_escalation_callouts", 3, int,
            "Police call-outs to the victim in the 12 months before an incident that make the case a MARAC "
            "referral on potential escalation. 3 is the common threshold; some areas use 5.",
            "da.marac_escalation"),
    Setting("da.instrument", "dash-2009", str,
            "Risk identification instrument for the first officer's domestic abuse form (an id from "
            "beacon.cases.domestic_abuse.instrument.instruments(); gwent-dv1-2007 is illustrative only).",
            "da.dash_score"),
    Setting("da.adult_women_share", 0.41, float,
            "Share of the population who are adult women (16 and over), used to turn division populations "
            "into the denominator of the MARAC benchmark (about 40 cases a year per 10,000 adult women). "
            "0.41 follows ONS mid-year population estimates for England and Wales, where women aged 16 and "
            "over are a little over 40% of all residents; a force with local figures sets its own.",
            "da.marac_benchmark"),
    Setting("da.repeat_window_days", 365, int,
            "Days within which a further domestic incident makes the victim a repeat victim, and within which "
            "incidents at one address are counted for a repeat location.",
            "da.repeat_victim"),
    Setting("da.repeat_location_threshold", 3, int,
            "Domestic or child-protection incidents at one address within the window that make it a repeat "
            "location (force practice; no published threshold).",
            "da.repeat_location"),
    Setting("da.review_working_days", 5, int,
            "Working days after the day a domestic abuse risk form is completed by the end of which the DVO "
            "reviews it (audit rule da.audit.review_on_time). No national time limit is published: this is a "
            "force-set threshold, and 5 working days is Beacon's documented default, not a national standard.",
            "da.audit.review_on_time"),
    Setting("auth.lockout_attempts", 5, int,
            "Failed sign-ins in a row, by any way in (the sign-in page, the API's token endpoint, the CLI), that "
            "lock an account."),
    Setting("auth.lockout_minutes", 15, int,
            "Minutes an account stays locked after too many failed sign-ins (an administrator can unlock it sooner)."),
    Setting("auth.session_hours", 10, int,
            "Hours a signed-in session lasts at most, whatever happens (one shift)."),
    Setting("auth.idle_minutes", 30, int,
            "Minutes without a request after which a signed-in session ends on the server. 30 follows common "
            "practice for systems holding sensitive personal data on shared police workstations."),
    Setting("auth.token_hours", 10, int,
            "Hours an API token lasts before it expires (its holder can revoke it sooner)."),
    Setting("auth.max_tokens_per_user", 5, int,
            "Live API tokens a user may hold; issuing one more revokes the oldest."),
    Setting("auth.address_failures", 20, int,
            "Failed sign-ins from one network address within the window after which that address is refused "
            "(429) until the window has passed: slows guessing across many accounts, which the lock-out cannot."),
    Setting("auth.address_window_minutes", 15, int,
            "Minutes over which failed sign-ins from one address are counted for the rate limit."),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def coerce_setting(name: str, raw: object) -> object:
    """Convert a stored or typed-in value to the setting's type; ValueError names the setting."""
    setting = SETTINGS_BY_NAME.get(name)
    if setting is None:
        raise ValueError(f"{name}: no such setting")
    try:
        value = setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected {setting.type.__name__}, got {raw!r}") from exc
    if isinstance(value, (int, float)) and value <= 0:
        raise ValueError(f"{name}: must be greater than zero")
    if setting.type is float and value > 1:
        raise ValueError(f"{name}: is a share, from 0 to 1")
    return value


def defaults() -> dict[str, object]:
    return {s.name: s.default for s in SETTINGS}


def database_url() -> str:
    return os.environ.get("BEACON_DATABASE_URL", "sqlite:///" + str(instance_dir() / "beacon.db"))


def instance_dir() -> Path:
    path = Path(os.environ.get("BEACON_INSTANCE", Path.cwd() / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """BEACON_SECRET_KEY, or a random key kept in the instance folder (never committed)."""
    if key := os.environ.get("BEACON_SECRET_KEY"):
        return key
    path = instance_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def log_key() -> bytes:
    """The key that signs access-log entries and their checkpoints (ADR 0013): BEACON_LOG_KEY, or a
    random key kept in the instance folder. The database never holds it, so someone who can rewrite
    the database cannot make a rewritten entry verify."""
    if key := os.environ.get("BEACON_LOG_KEY"):
        return key.encode()
    path = instance_dir() / "access-log.key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def log_anchor(database_url: str) -> Path:
    """Where the access log's signed checkpoints are appended: BEACON_LOG_ANCHOR, or a file per
    database in the instance folder. Point it at storage the database's users cannot rewrite (an
    append-only mount, another host) in production."""
    if path := os.environ.get("BEACON_LOG_ANCHOR"):
        return Path(path)
    folder = instance_dir() / "anchors"
    folder.mkdir(exist_ok=True)
    return folder / (_slug(database_url) + ".jsonl")


def access_store_url(database_url: str) -> str:
    """Where reads, sign-ins, sessions and tokens are kept: the same database on PostgreSQL; on
    SQLite a file of its own beside the database (``x.db`` -> ``x.access.db``), so they never wait
    for the main file's write lock (ADR 0013)."""
    if not database_url.startswith("sqlite:///"):
        return database_url
    path = Path(database_url.removeprefix("sqlite:///"))
    return "sqlite:///" + str(path.with_name(path.stem + ".access" + (path.suffix or ".db")))


def _slug(url: str) -> str:
    import re
    without_password = re.sub(r"://([^:/@]+):[^@]*@", r"://\1@", url)
    return re.sub(r"[^A-Za-z0-9._-]+", "_", without_password).strip("_")[:150]


MAX_BODY_BYTES = 256 * 1024


def settings_markdown() -> str:
    """docs/settings.md, generated: ``python -m beacon.config > docs/settings.md``."""
    lines = ["# Force settings", "",
             "Every threshold a force may set. Defaults are declared in `src/beacon/config.py`; a force",
             "changes one with `beacon settings set NAME VALUE` (kept in the `force_setting` table).",
             "Generated by `python -m beacon.config > docs/settings.md`; a test fails when it is stale.", "",
             "| setting | default | rule | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | {s.default} | {f'`{s.rule}`' if s.rule else ''} | {s.help} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(settings_markdown(), end="")
