"""How many missing-person narratives still name a children's home when an inspector reads them.

    .venv/bin/beacon demo --reset && .venv/bin/python bench/place_names.py [--as inspector]

Reads every missing-person report through the presenter the API and the pages use
(``beacon.cases.missing_persons.present.detail``) as the given user (pseudonymised for an inspector), and counts
the reports whose circumstances (the narrative) still contain the name of any children's home
(``Location.kind == "care_home"``: the address's first part, "Bryn House" of "Bryn House, 12 Oak
Road"), and the reports where any free-text field does (circumstances, found by, grade
rationales, review notes, enquiry actions). Whole words, any case. The database is
``BEACON_DATABASE_URL`` (default the instance folder's ``beacon.db``). Not a test: it prints the
figures and writes nothing.
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from beacon import settings_repo
from beacon.access.login import acting_as
from beacon.cases.missing_persons.models import MissingReport
from beacon.cases.missing_persons.present import detail
from beacon.db import make_engine, session_factory
from beacon.people.models import Location


def care_home_pattern(names: list[str]) -> re.Pattern:
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split())) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as", dest="as_user", default="inspector", help="the reader (default: the demo inspector)")
    args = parser.parse_args(argv)
    factory = session_factory(make_engine())
    with factory() as session:
        user = acting_as(session, args.as_user)
        if user is None:
            print(f"no user {args.as_user!r}: build the demo first (beacon demo --reset)", file=sys.stderr)
            return 2
        homes = [a.split(",")[0].strip() for a in session.scalars(select(Location.address)
                                                                  .where(Location.kind == "care_home"))]
        if not homes:
            print("no children's homes in this database", file=sys.stderr)
            return 2
        pattern = care_home_pattern(homes)
        settings = settings_repo.load(session)
        now = datetime.now(timezone.utc)
        narratives = any_text = total = 0
        reports = session.scalars(select(MissingReport).order_by(MissingReport.id).options(
            selectinload(MissingReport.assessments), selectinload(MissingReport.reviews),
            selectinload(MissingReport.actions), selectinload(MissingReport.home_location),
            selectinload(MissingReport.last_seen_location), selectinload(MissingReport.found_location)))
        for report in reports:
            out = detail(user, report, now, settings)
            total += 1
            texts = [out.circumstances, out.found_by, *(g.rationale for g in out.grades),
                     *(r.notes for r in out.reviews), *(a.text for a in out.actions)]
            narratives += bool(pattern.search(out.circumstances or ""))
            any_text += any(pattern.search(t or "") for t in texts)
    print(f"read as {user.username} ({user.role.value}{', pseudonymised' if user.pseudonymised else ''}): "
          f"{len(set(homes))} children's homes")
    print(f"narratives naming a children's home: {narratives:,} of {total:,} reports")
    print(f"reports with a children's home named in any free-text field: {any_text:,} of {total:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
