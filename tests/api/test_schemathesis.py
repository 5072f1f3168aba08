"""schemathesis against the live schema (/api/schema/, served by the app): generated requests
to every operation, a bounded number per operation, each sent as the viewer, the editor and the
outsider. No answer may be a server error or fall outside the schema (status code, content
type, body).

Driven through Hypothesis directly: schemathesis' pytest plugin does not run under pytest 9.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import token_create
from api.throttling import TokenRateThrottle

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Per operation: enough to reach the validation answers of each, bounded for CI.
EXAMPLES = 10


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_create(user=user, name='fuzz', days=30)[1]}"}


def test_every_operation_answers_within_the_schema(
    live_app, world, viewer, editor, outsider, monkeypatch
):
    monkeypatch.setattr(TokenRateThrottle, "allow_request", lambda self, request, view: True)
    personas = {"viewer": _bearer(viewer), "editor": _bearer(editor), "outsider": _bearer(outsider)}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", live_app, headers=personas["viewer"]
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_within_the_schema(case):
            for headers in personas.values():
                case.call_and_validate(headers=headers, checks=CHECKS)

        answers_within_the_schema()
