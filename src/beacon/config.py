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
    Setting("moderation.msf_gap", 2, int,
            "Grades (steps) between a force and the median of its most similar forces that flag the grade "
            "for moderation.", "hmic.grading.good"),
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
            "Failed log-ins in a row that lock an account."),
    Setting("auth.lockout_minutes", 15, int,
            "Minutes an account stays locked after too many failed log-ins."),
    Setting("auth.session_hours", 10, int,
            "Hours a log-in session lasts (one shift)."),
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
