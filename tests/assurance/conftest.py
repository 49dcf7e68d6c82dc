"""The domestic abuse tests' partners: children's social care in divisions A and B, a MARAC in A only."""
from __future__ import annotations

import pytest

from tests.domestic_abuse.helpers import Partners, build_partners


@pytest.fixture
def partners(world, sessions) -> Partners:
    return build_partners(world, sessions)
