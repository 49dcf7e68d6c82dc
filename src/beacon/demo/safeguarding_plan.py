"""The synthetic force's safeguarding year, planned in order: domestic incidents and their risk
forms, child-protection incidents, misclosed logs, the live records, the DVO's reviews, MARAC,
the referrals of children and their acknowledgements, cases, police protection and the LSCBs.
Above the planners it calls (``safeguarding``, ``safeguarding_children``, ``safeguarding_live``,
``safeguarding_marac``), so none of them imports another's plan."""
from __future__ import annotations

import random
from datetime import date, datetime

from beacon.demo import safeguarding_live as live
from beacon.demo import safeguarding_marac as marac
from beacon.demo.places import Addresses, Geography
from beacon.demo.safeguarding import SafeguardingMaker
from beacon.demo.safeguarding_children import ChildrenMaker
from beacon.demo.workforce import Workforce


def plan(rng: random.Random, geo: Geography, wf: Workforce, addresses: Addresses, staff_users: dict[int, int],
         settings: dict, now: datetime, first_person_id: int) -> SafeguardingMaker:
    """Plan the year and the live records; new addresses are added to ``addresses``."""
    m = SafeguardingMaker(rng, geo, wf, addresses, staff_users, settings, now, first_person_id)
    kids = ChildrenMaker(m)
    m.plan_domestic()
    kids.plan_incidents()
    m.plan_misclosed()
    live.plan_live_incidents(m, kids)
    m.order_forms()
    m.review_year()
    marac.plan_referrals(m)
    marac.plan_meetings(m, until=date(2007, 8, 31))
    live.plan_live_meetings(m)
    marac.hear_referrals(m)
    kids.refer_form_children()
    kids.acknowledge_year()
    live.plan_live_children(m, kids)
    kids.plan_cases()
    kids.plan_protection()
    kids.plan_lscb()
    m.finish()
    kids.finish()
    return m
