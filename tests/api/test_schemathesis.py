"""Generated requests against /openapi.json: no 500, and every answer matches the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from webapp.openapi import document
from webapp.services.demo import seed_demo

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
OPERATIONS = [
    (method.upper(), path) for path, methods in document()["paths"].items() for method in methods
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_generated_requests_never_fail_and_match_the_documented_schema(make_app, method, path):
    seed_demo()
    fuzzed = make_app(WTF_CSRF_ENABLED=False)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", fuzzed)
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()
