"""The OpenAPI description as served: valid by `openapi-spec-validator`, a summary on every
operation, and the error answers each operation can give documented."""

from __future__ import annotations

import copy
import functools
import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_spec_validator import OpenAPIV30SpecValidator

from shortbreaks.councils.models import Role
from shortbreaks.openapi import summary_for

METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def _generated() -> dict:
    """The description drf-spectacular produces (as `/api/schema/` serves it), made once."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


@pytest.fixture
def document():
    return copy.deepcopy(_generated())


def _operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def test_the_schema_is_refused_to_anyone_not_signed_in(db, client):
    assert client.get("/api/schema/", {"format": "json"}).status_code in (401, 403)


def test_the_served_schema_passes_the_openapi_validator(two_councils, client_for, document):
    response = client_for(two_councils["alpha"]["people"][Role.AUDITOR]).get(
        "/api/schema/", {"format": "json"}
    )
    assert response.status_code == 200
    served = response.json()
    assert _errors(served) == []
    assert served["paths"] == document["paths"]


def _errors(document) -> list[str]:
    """Every error `openapi-spec-validator` finds, as text (none for a valid description)."""
    return [error.message for error in OpenAPIV30SpecValidator(document).iter_errors()]


def test_the_generated_schema_passes_the_validator(document):
    assert document["openapi"].startswith("3.0")
    assert _errors(document) == []


def test_the_validator_would_catch_an_empty_default_beside_a_format(document):
    """The check above can fail: the blank email default drf-spectacular writes is refused."""
    broken = dict(document)
    broken["components"] = {
        **document["components"],
        "schemas": {
            **document["components"]["schemas"],
            "Broken": {"type": "string", "format": "email", "default": ""},
        },
    }
    assert any("email" in error for error in _errors(broken))


def test_every_operation_has_a_summary(document):
    missing = [f"{m.upper()} {p}" for m, p, op in _operations(document) if not op.get("summary")]
    assert not missing, missing


def test_every_operation_documents_its_error_answers(document):
    missing = []
    for method, path, operation in _operations(document):
        codes = set(operation["responses"])
        if not any(code.startswith("4") for code in codes):
            missing.append(f"{method.upper()} {path}: no 4xx")
        if "{" in path and "404" not in codes:
            missing.append(f"{method.upper()} {path}: no 404")
        signed_in = {} not in operation.get("security", [{}])
        if signed_in and not {"401", "403"} <= codes:
            missing.append(f"{method.upper()} {path}: no 401 or 403")
        if "requestBody" in operation and "400" not in codes:
            missing.append(f"{method.upper()} {path}: no 400")
    assert not missing, missing


def test_error_answers_are_the_json_the_api_sends(two_councils, client_for, document):
    """A 404 and a 403 as documented: `{"detail": ...}`."""
    schemas = document["components"]["schemas"]
    operation = document["paths"]["/api/v1/contracts/{contract_id}/"]["get"]
    ref = operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"]
    assert schemas[ref.rsplit("/", 1)[1]]["required"] == ["detail"]
    social_worker = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    assert set(client.get("/api/v1/contracts/999999/").json()) == {"detail"}
    assert set(client_for(social_worker).get("/api/v1/spend/").json()) == {"detail"}


def test_a_view_keeps_the_summary_it_gives_itself(document):
    token = document["paths"]["/api/v1/auth/token/"]["post"]
    assert token["summary"].startswith("Sign in")


@pytest.mark.parametrize(
    ("method", "path", "summary"),
    [
        ("get", "/api/v1/contracts/", "List contracts"),
        ("post", "/api/v1/contracts/", "Create a contract"),
        ("get", "/api/v1/contracts/{contract_id}/", "Read a contract"),
        ("patch", "/api/v1/assessments/{assessment_id}/", "Change an assessment"),
        ("post", "/api/v1/contracts/{contract_id}/activate/", "Activate a contract"),
        ("post", "/api/v1/contracts/{contract_id}/lots/", "Create a lot for a contract"),
        (
            "get",
            "/api/v1/referrals/{referral_id}/documents/{document_id}/",
            "Read a document of a referral",
        ),
        ("post", "/api/v1/children/search/", "Search children"),
        ("get", "/api/v1/statements/{statement_id}/check/", "Read the check of a statement"),
    ],
)
def test_summaries_made_from_the_path(method, path, summary):
    assert summary_for(method, path) == summary


def test_a_referral_event_says_its_kind(document):
    """Each event in a referral's history is typed (referrals.models.ReferralEventKind): the API
    says which, as an enum of every kind."""
    from referrals.models import ReferralEventKind

    schemas = document["components"]["schemas"]
    assert "kind" in schemas["ReferralEvent"]["properties"]
    assert "kind" in schemas["ReferralEvent"]["required"]
    assert schemas["ReferralEventKindEnum"]["enum"] == list(ReferralEventKind.values)
