"""Repeat victims and repeat locations of domestic abuse and child-protection incidents.

Rules (``da.repeat_victim``, ``da.repeat_location``): a repeat victim has a further domestic
incident within the window (default 12 months) of an earlier one; a repeat location has at least
the threshold number of domestic or child-protection incidents within the window. Both numbers are
force settings. The counting is pure (:func:`count_repeats`); :func:`analysis` gathers the
incidents a user may see.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.access.audit import note, require
from beacon.access.policy import Action, Principal, scope
from beacon.cases.incidents.models import (
    DOMESTIC,
    PPU_CLOSINGS,
    Incident,
    IncidentPerson,
)
from beacon.people.models import Location

RECORD = "incident"


@dataclass(frozen=True)
class Seen:
    """One domestic or child-protection incident: when, where, in which division, who was the victim."""
    incident_id: int
    at: datetime
    closing_code: str
    division_id: int | None
    location_id: int | None
    victim_ids: tuple[int, ...] = ()


@dataclass
class RepeatCounts:
    window_days: int
    location_threshold: int
    incidents: int = 0
    victims: int = 0
    repeat_victims: dict[int, int] = field(default_factory=dict)      # person id -> domestic incidents
    repeat_locations: dict[int, int] = field(default_factory=dict)    # location id -> incidents
    by_division: dict[int | None, dict[str, int]] = field(default_factory=dict)

    @property
    def repeat_victim_share(self) -> float | None:
        return len(self.repeat_victims) / self.victims if self.victims else None


def is_repeat(times: Iterable[datetime], window: timedelta) -> bool:
    """Whether any two of the times fall within ``window`` of each other (the later one is the repeat)."""
    ordered = sorted(times)
    return any(b - a <= window for a, b in zip(ordered, ordered[1:]))


def most_in_window(times: Iterable[datetime], window: timedelta) -> int:
    """The largest number of the times inside any one window (two pointers over the sorted times)."""
    ordered, best, start = sorted(times), 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return best


def count_repeats(incidents: Iterable[Seen], window_days: int, location_threshold: int) -> RepeatCounts:
    window = timedelta(days=window_days)
    result = RepeatCounts(window_days, location_threshold)
    victim_times: dict[int, list[datetime]] = defaultdict(list)
    victim_division: dict[int, int | None] = {}
    place_times: dict[int, list[datetime]] = defaultdict(list)
    place_division: dict[int, int | None] = {}
    for seen in incidents:
        result.incidents += 1
        if seen.location_id is not None:
            place_times[seen.location_id].append(seen.at)
            place_division[seen.location_id] = seen.division_id
        if seen.closing_code == DOMESTIC:
            for victim in seen.victim_ids:
                victim_times[victim].append(seen.at)
                victim_division[victim] = seen.division_id
    result.victims = len(victim_times)
    result.repeat_victims = {p: len(t) for p, t in sorted(victim_times.items()) if is_repeat(t, window)}
    result.repeat_locations = {loc: n for loc, t in sorted(place_times.items())
                               if (n := most_in_window(t, window)) >= location_threshold}
    for person, division in victim_division.items():
        row = result.by_division.setdefault(division, {"victims": 0, "repeat_victims": 0, "repeat_locations": 0})
        row["victims"] += 1
        row["repeat_victims"] += person in result.repeat_victims
    for loc in result.repeat_locations:
        row = result.by_division.setdefault(place_division[loc], {"victims": 0, "repeat_victims": 0,
                                                                   "repeat_locations": 0})
        row["repeat_locations"] += 1
    return result


def _incidents(session: Session, division_ids: frozenset[int] | None, since: datetime, until: datetime) -> list[Seen]:
    stmt = (select(Incident.id, Incident.received_at, Incident.closing_code, Incident.division_id,
                   Incident.location_id)
            .where(Incident.closing_code.in_(PPU_CLOSINGS), Incident.received_at >= since,
                   Incident.received_at < until)
            .order_by(Incident.id))
    if division_ids is not None:
        stmt = stmt.where(Incident.division_id.in_(division_ids))
    rows = session.execute(stmt).all()
    victims: dict[int, list[int]] = defaultdict(list)
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 5_000):
        chunk = ids[start:start + 5_000]
        for incident_id, person_id in session.execute(
                select(IncidentPerson.incident_id, IncidentPerson.person_id)
                .where(IncidentPerson.incident_id.in_(chunk), IncidentPerson.role == "victim")):
            victims[incident_id].append(person_id)
    return [Seen(r.id, r.received_at, r.closing_code, r.division_id, r.location_id, tuple(victims.get(r.id, ())))
            for r in rows]


def analysis(session: Session, user: Principal, settings: Mapping[str, object], since: datetime,
             until: datetime) -> tuple[RepeatCounts, dict[int, Location]]:
    """Repeat victims and locations among the domestic and child-protection incidents received in
    [since, until) that the user may see; the windows are counted inside that period."""
    s = scope(user, RECORD)
    if not s.allowed:
        require(session, user, Action.READ, RECORD)
    counts = count_repeats(_incidents(session, s.division_ids, since, until),
                           int(settings["da.repeat_window_days"]), int(settings["da.repeat_location_threshold"]))
    ids = list(counts.repeat_locations)
    places = {loc.id: loc for loc in session.scalars(select(Location).where(Location.id.in_(ids)))} if ids else {}
    note(session, user, "list", RECORD, "", detail=f"repeat analysis {since.date()}..{until.date()}")
    return counts, places
