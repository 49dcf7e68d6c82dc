"""Named queries for the organisation: divisions, the councils whose wards lie in them, and the
partner bodies (children's social care, MARAC, LSCB) that serve a division."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from beacon.org.models import Division, Neighbourhood, PartnerBody, Section, Ward

MARAC = "marac"


CHILDRENS_SOCIAL_CARE = "childrens_social_care"


def fetch_division(session: Session, division_id: int) -> Division | None:
    return session.get(Division, division_id)


def divisions(session: Session) -> list[Division]:
    return list(session.scalars(select(Division).order_by(Division.code)))


def division_authorities(session: Session, division_id: int) -> list[int]:
    """The local authorities whose wards lie in the division, in id order."""
    stmt = (select(Ward.local_authority_id).distinct()
            .join(Neighbourhood, Neighbourhood.id == Ward.neighbourhood_id)
            .join(Section, Section.id == Neighbourhood.section_id)
            .where(Section.division_id == division_id))
    return sorted(session.scalars(stmt))


def partners_by_division(session: Session, kind: str, division_id: int | None = None) -> list[tuple[int, PartnerBody]]:
    """(division id, partner body) for every partner body of ``kind`` serving a division (only
    ``division_id``'s when given), by division then name."""
    stmt = (select(Section.division_id, PartnerBody).distinct()
            .join(Ward, Ward.local_authority_id == PartnerBody.local_authority_id)
            .join(Neighbourhood, Neighbourhood.id == Ward.neighbourhood_id)
            .join(Section, Section.id == Neighbourhood.section_id)
            .where(PartnerBody.kind == kind).order_by(Section.division_id, PartnerBody.name))
    if division_id is not None:
        stmt = stmt.where(Section.division_id == division_id)
    return [(d, body) for d, body in session.execute(stmt)]


def authority_of_ward(session: Session, ward_id: int | None) -> int | None:
    if ward_id is None:
        return None
    return session.scalar(select(Ward.local_authority_id).where(Ward.id == ward_id))


def partner_for_division(session: Session, division_id: int, kind: str,
                         prefer_authority: int | None = None) -> PartnerBody | None:
    """The partner body of ``kind`` for one of the division's local authorities: the one for
    ``prefer_authority`` (the household's authority) when the division covers it, else the
    first authority's. None when the division has none (as the report found for MARAC)."""
    authorities = division_authorities(session, division_id)
    if not authorities:
        return None
    bodies = list(session.scalars(select(PartnerBody).where(PartnerBody.kind == kind,
                                                            PartnerBody.local_authority_id.in_(authorities))
                                  .order_by(PartnerBody.id)))
    if not bodies:
        return None
    for body in bodies:
        if prefer_authority is not None and body.local_authority_id == prefer_authority:
            return body
    by_authority = {b.local_authority_id: b for b in reversed(bodies)}
    return next(by_authority[a] for a in authorities if a in by_authority)


def fetch_partner(session: Session, partner_id: int | None) -> PartnerBody | None:
    return session.get(PartnerBody, partner_id) if partner_id is not None else None
