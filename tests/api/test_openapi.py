"""The OpenAPI 3.1 document is generated from the code, valid, and fuzzed with Schemathesis
in-process (WSGI) with a bounded number of examples: no answer is a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from schemathesis import GenerationMode

from booking.services.api import keys
from tests.api.conftest import problem


def test_the_document_is_valid_openapi_3_1(api):
    document = api.client().get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on an invalid document
    broken = {**document, "paths": {"/x": {"get": {"responses": "none"}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_the_document_describes_keys_problems_and_idempotency(api):
    document = api.client().get("/api/v1/openapi.json").json
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    create = document["paths"]["/api/v1/citizens"]["post"]
    headers = [p for p in create["parameters"] if p["in"] == "header"]
    assert [h["name"] for h in headers] == ["Idempotency-Key"] and headers[0]["required"]
    assert "application/problem+json" in create["responses"]["422"]["content"]
    assert "application/json" in create["responses"]["201"]["content"]
    cpr = document["components"]["schemas"]["CitizenOut"]["properties"]
    assert "cpr_masked" in cpr and "cpr" not in cpr and "cpr_hash" not in cpr


def test_the_document_is_served_from_the_routes(api):
    """A route added to the blueprint appears without editing any spec file."""
    document = api.client().get("/api/v1/openapi.json").json
    assert document["paths"]["/api/v1/slots"]["get"]["operationId"] == "listSlots"
    names = {p["name"] for p in document["paths"]["/api/v1/slots"]["get"]["parameters"]}
    assert {"cursor", "limit", "from_date", "to_date", "channel", "free_only"} <= names


EXAMPLES = 10  # per operation and mode: 13 operations × 2 modes in well under a minute


def test_fuzzing_finds_no_server_error(api):
    """Schemathesis draws valid (positive) and invalid (negative) requests for every operation
    from the document and sends them to the app in-process; none may be answered with a 5xx,
    and every error is problem+json."""
    fuzzed = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api.app)
    auth = {"Authorization": f"Bearer {api.full}"}
    seen: dict[int, int] = {}
    operations = [result.ok() for result in fuzzed.get_all_operations()]
    assert len(operations) == 13

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(case):
                response = case.call(headers=auth)
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
                assert response.status_code < 500, (case.method, case.formatted_path,
                                                    response.text[:500])
                if response.status_code >= 400:
                    media = response.headers.get("content-type", [""])[0]
                    assert media.startswith("application/problem+json"), (
                        case.method, case.formatted_path, response.status_code)

            run()
    assert any(200 <= status < 300 for status in seen) and 422 in seen


def test_every_scope_is_documented_on_some_operation(api):
    document = api.client().get("/api/v1/openapi.json").json
    used = {scope for ops in document["paths"].values() for op in ops.values()
            for requirement in op["security"] for scope in requirement["apiKey"]}
    assert used == set(keys.SCOPES)
    problem(api.get("/api/v1/citizens", key=""), 401, "unauthorized")
