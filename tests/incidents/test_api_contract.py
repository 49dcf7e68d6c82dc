"""Contract tests for the incidents API alone (the whole API is in tests/web/test_api_contract.py):
generated requests, valid and invalid, never get a 5xx and responses match the documented schemas."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    positive_data_acceptance,
)

from tests.incidents.conftest import closed, log
from tests.web.helpers import token

schema = schemathesis.pytest.from_fixture("incidents_schema").include(
    path_regex=r"^/api/v1/(incidents|incident-imports|ppu/|closure-audit)")


@pytest.fixture
def incidents_schema(app, client):
    headers = token(client, "supervisor.a")
    client.post("/api/v1/incidents", json=closed(1), headers=headers)
    client.post("/api/v1/incidents", json=closed(2, "ASB", narrative="Partner shouting."), headers=headers)
    client.post("/api/v1/incidents", json=log(3), headers=headers)
    client.post("/api/v1/closure-audit/run", json={}, headers=headers)
    app.state.test_headers = headers
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_incidents_api_never_fails_and_matches_its_contract(case, app):
    case.call_and_validate(headers=app.state.test_headers,
                           excluded_checks=[allow_header_conformance, positive_data_acceptance])
