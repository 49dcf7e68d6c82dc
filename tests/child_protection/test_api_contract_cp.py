"""Schemathesis over the child protection API paths only, as a PPU user who may write: no 5xx,
and responses match the documented schemas (tests/web/test_api_contract.py covers every path as
a supervisor)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    positive_data_acceptance,
)

from tests.child_protection.helpers import open_case, step
from tests.web.helpers import token

# The filter goes on the lazy schema: one applied inside the fixture is ignored, and every path
# of the API would be run again here.
schema = schemathesis.pytest.from_fixture("cp_schema").include(
    path_regex=r"^/api/v1/(child-cases|police-protection|lscb-meetings)")


@pytest.fixture
def cp_schema(app, client, area):
    step(client, open_case(client), "strategy-discussion", "2026-11-20")
    app.state.test_headers = token(client, "ppu.a")
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_child_protection_api_never_fails(case, app):
    case.call_and_validate(headers=app.state.test_headers,
                           excluded_checks=[allow_header_conformance, positive_data_acceptance])
