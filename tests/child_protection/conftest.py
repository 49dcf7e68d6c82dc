"""Fixtures for child protection tests."""
from __future__ import annotations

import pytest

from tests.child_protection.helpers import Area, build_area


@pytest.fixture
def area(world, sessions) -> Area:
    """Children's social care and an LSCB for the authority of each test division."""
    return build_area(world, sessions)
