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


def _schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    return schema


schema = _schema()


@pytest.fixture
def token(two_councils):
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction; Django's test client switches that off in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    admin = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    # A fresh token for each operation: DELETE /api/v1/auth/token/ ends the one it is sent with.
    yield services.api_token_issue(user=admin)[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_errors_on_generated_input(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
