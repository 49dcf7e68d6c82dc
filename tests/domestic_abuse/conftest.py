"""Fixtures for domestic abuse, MARAC and child referral tests."""
from __future__ import annotations

import pytest

from tests.domestic_abuse.helpers import Partners, build_partners


@pytest.fixture
def partners(world, sessions) -> Partners:
    """Children's social care in divisions A and B; a MARAC in division A only."""
    return build_partners(world, sessions)
