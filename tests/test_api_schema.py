"""Schema fuzzing: every operation in the OpenAPI schema, with generated input, never errors."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from tests.builders import hold_every_staff_role
from tests.per_module import two_councils_per_module


def _schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    return schema


schema = _schema()

# Whatever an operation writes is rolled back with its test's own transaction, so the councils
# and their people are built once for the module (tests/per_module.py), not for each operation.
_two_councils_built, two_councils = two_councils_per_module()


def _takes_no_input(context) -> bool:
    """No parameters and no body: every generated request is the same request (the token is
    the test's own), so the first example already says all that more would."""
    operation = context.operation  # as written in the schema: its parameters are read later
    definition = operation.definition.raw
    path_item = operation.schema.raw_schema["paths"][operation.path]
    return not (
        definition.get("parameters") or path_item.get("parameters") or "requestBody" in definition
    )


operations_with_input = schema.exclude(_takes_no_input)
operations_without_input = schema.include(_takes_no_input)

# Derandomized: each run sends the same requests, so a failure seen once is seen again (and on
# every machine); nothing is kept in or replayed from the example database between runs.
FUZZING = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def token(two_councils):
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's test client switches that off in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # A person holding every staff role, so that each operation's input reaches its serializers
    # and services rather than stopping at a refusal (a council administrator alone is refused
    # most operations).
    alpha = two_councils["alpha"]
    person = hold_every_staff_role(alpha["people"][Role.COUNCIL_ADMIN], alpha["council"])
    # A fresh token for each operation: DELETE /api/v1/auth/token/ ends the one it is sent with.
    yield services.api_token_issue(user=person)[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The requests each operation's test has sent, as sent. Examples that differ only where the test
# overrides them (the `Authorization` header, which is always the test's own token) become the
# same request: about a quarter of the examples. Sending one again would only ask what its first
# sending answered, so it is skipped.
_sent: set[str] = set()


def _as_sent(case, headers) -> str:
    return repr(sorted(case.as_transport_kwargs(headers=headers).items()))


def assert_no_error_and_schema_kept(case, token):
    headers = {"Authorization": f"Token {token}"}  # a fresh token per test: keys are per test
    request = _as_sent(case, headers)
    if request in _sent:
        return
    _sent.add(request)
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.django_db(transaction=False)
@operations_with_input.parametrize()
@FUZZING
def test_no_operation_errors_on_generated_input(case, token):
    assert_no_error_and_schema_kept(case, token)


@pytest.mark.django_db(transaction=False)
@operations_without_input.parametrize()
@settings(FUZZING, max_examples=1)
def test_no_operation_without_input_errors(case, token):
    assert_no_error_and_schema_kept(case, token)
