"""Contract tests: schemathesis generates requests from the OpenAPI spec (valid and invalid);
no response may be a 5xx, and responses must match the documented schemas and status codes."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    positive_data_acceptance,
)

from tests.factories import report_payload
from tests.web.helpers import token

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(app, client):
    headers = token(client, "supervisor.a")
    client.post("/api/v1/missing-persons", json=report_payload(), headers=headers)
    app.state.test_headers = headers
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_contract(case, app):
    if case.path == "/api/v1/tokens":
        return  # generated passwords only exercise the lock-out, tested on its own
    # Two checks are left out, for reasons the schema cannot carry:
    # - Starlette answers 405 with only the first matching route's methods in Allow (the 405
    #   itself is right);
    # - a schema-valid body can still break a rule across fields or records (last seen before
    #   the person was born, a report closed twice), which is a 409 or 422, not acceptance.
    case.call_and_validate(headers=app.state.test_headers,
                           excluded_checks=[allow_header_conformance, positive_data_acceptance])
