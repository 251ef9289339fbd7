"""Schema fuzzing of the extension endpoints as a commissioner, on real records.

The project-wide fuzz signs in as a council administrator, who may only read; here the writes
are fuzzed too, with the path pointing at an existing contract and extension, so generated
bodies reach the serializers and the services. Nothing may answer 500 or break the schema.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shortbreaks.councils import services
from tests.builders import make_contract
from tests.contracts.test_extensions_services import approve, submitted_extension
from tests.test_api_schema import schema

extension_operations = schema.include(path_regex=r"/extensions/")


@pytest.fixture
def records(two_councils):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    commissioner = two_councils["alpha"]["people"]["commissioner"]
    contract = make_contract(commissioner)
    extension = submitted_extension(commissioner, contract, legal_basis="cpr_exemption")
    approve(commissioner, extension, "finance", "procurement")
    approve(commissioner, extension, "legal", decision="refuse")
    _, token = services.api_token_issue(user=commissioner)
    yield {"contract_id": contract.pk, "extension_id": extension.pk, "token": token}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
@extension_operations.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_extension_operations_never_error_on_generated_input(case, records):
    for name in ("contract_id", "extension_id"):
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = records[name]
    response = case.call(headers={"Authorization": f"Token {records['token']}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
