"""Bad input gets a clear message and changes nothing; never a 500."""

from __future__ import annotations

import html
import io
import json
import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image
from rest_framework.exceptions import ParseError

from contracts.models import ContractDocument
from referrals.models import ReferralDocument
from shortbreaks.councils import services
from shortbreaks.councils.models import Role
from shortbreaks.documents.uploads import DOCX, check_upload
from shortbreaks.parsers import DepthLimitedJSONParser, json_depth
from tests import upload_files as uploads_files
from tests.builders import hold_every_staff_role, make_contract
from tests.per_module import two_councils_per_module

# The two councils and their people are built once for the module (tests/per_module.py).
_two_councils_built, two_councils = two_councils_per_module()

text = st.text(max_size=200)
slow = hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@slow
@given(username=text, password=text)
def test_token_endpoint_never_errors(db, username, password):
    response = Client().post(
        reverse("api-token"),
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code in (400, 429)
    assert response.json()


@slow
@given(slug=text)
def test_switching_to_any_string_is_refused_cleanly(council_a, make_person, slug):
    person = make_person(council_a, Role.AUDITOR)
    if slug == council_a.slug:
        return
    with pytest.raises(ValidationError):
        services.user_switch_council(actor=person, council_slug=slug)
    person.refresh_from_db()
    assert person.active_council == council_a


@slow
@given(since=text, action=text, object_id=text)
def test_access_log_filters_never_error(two_councils, client_for, since, action, object_id):
    manager = two_councils["alpha"]["people"][Role.COUNCIL_ADMIN]
    client = client_for(manager)
    params = {"since": since, "action": action, "object_id": object_id}
    assert client.get(reverse("accesslog:list"), params).status_code == 200
    assert client.get(reverse("api-access-log"), params).status_code in (200, 400)


@pytest.mark.parametrize("body", ["not json", "[]", '{"council": []}', '{"council": null}'])
def test_malformed_api_bodies_are_400s(two_councils, client_for, body):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    response = client_for(person).post(
        reverse("api-switch-council"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()


# ---------------------------------------------------------------------------------------------
# JSON nested too deeply, and bodies too large: clear answers, JSON on the API, never a 500.


def _nested(depth: int) -> str:
    """A body `depth` levels deep that the switch-council endpoint accepts at any depth."""
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return '{"council": "alpha", "nested": ' + inner + "}"


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_json_nested_deeper_than_64_is_a_400_in_json(two_councils, client_for, depth):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    response = client_for(person).post(
        reverse("api-switch-council"), _nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "nested more than 64 levels deep" in response.json()["detail"]


def test_json_nested_64_deep_is_accepted(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    response = client_for(person).post(
        reverse("api-switch-council"), _nested(64), content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_brackets_inside_strings_do_not_count(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    body = json.dumps({"council": "alpha", "note": "[{" * 500 + '\\"]"' * 3})
    response = client_for(person).post(
        reverse("api-switch-council"), body, content_type="application/json"
    )
    assert response.status_code == 200, response.content


def test_the_referral_api_parses_json_with_the_same_limit(two_councils, client_for):
    """A view that names its own parsers uses the depth-limited JSON parser too."""
    person = two_councils["alpha"]["people"][Role.SOCIAL_WORKER]
    response = client_for(person).post(
        reverse("api-referrals"), _nested(65), content_type="application/json"
    )
    assert response.status_code == 400
    assert "64 levels" in response.json()["detail"]


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ('"[[["', 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["\\\\", ["]"]]', 2),
        ('"unterminated [[[', 0),
        ("[" * 70, 70),
    ],
)
def test_json_depth_is_counted_outside_strings(text, depth):
    assert json_depth(text) == depth


def test_the_parser_refuses_depth_before_building_anything():
    parser = DepthLimitedJSONParser()
    assert parser.parse(io.BytesIO(b"[" * 64 + b"]" * 64)) == _list_of_depth(64)
    with pytest.raises(ParseError):
        parser.parse(io.BytesIO(b"[" * 65 + b"]" * 65))
    with pytest.raises(ParseError):
        parser.parse(io.BytesIO(b"\xff\xfe not utf-8"))


def _list_of_depth(depth: int):
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _too_big_json() -> str:
    return json.dumps({"council": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})


def test_a_json_body_over_the_limit_is_a_413_in_json(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    response = client_for(person).post(
        reverse("api-switch-council"), _too_big_json(), content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is too large: send at most 2.5 MB."}
    person.refresh_from_db()
    assert person.active_council == two_councils["alpha"]["council"]


def test_an_anonymous_body_over_the_limit_is_a_413_in_json(db):
    response = Client().post(reverse("api-token"), _too_big_json(), content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_a_form_body_over_the_limit_on_the_api_is_a_413_in_json(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    response = client_for(person).post(
        reverse("api-switch-council"), {"council": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    )
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_a_body_at_the_limit_is_read(two_councils, client_for):
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    padding = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - len(json.dumps({"council": ""}))
    body = json.dumps({"council": "x" * padding})
    assert len(body) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client_for(person).post(
        reverse("api-switch-council"), body, content_type="application/json"
    )
    assert response.status_code == 400  # read, and refused for what it says, not its size
    assert "council" in response.json()


@pytest.mark.parametrize("enforce_csrf", [False, True])
def test_a_page_body_over_the_limit_is_the_products_413_page(council_a, enforce_csrf):
    """With CSRF checks on, the middleware reads the body for the token first: the same 413."""
    users = get_user_model().objects.count()
    client = Client(enforce_csrf_checks=enforce_csrf)
    url = reverse("statements:account-sign-up", args=[council_a.slug])
    client.get(url)  # the CSRF cookie
    token = client.cookies["csrftoken"].value if enforce_csrf else ""
    response = client.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "first_name": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
            "email": "a@example.org",
        },
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "What you sent is too large" in body
    assert "govuk-template" in body  # the product's own layout, not Django's bare page
    assert get_user_model().objects.count() == users


def test_too_many_fields_is_a_400_page_or_json(two_councils, client_for, council_a):
    fields = {f"f{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    page = Client().post(reverse("statements:account-sign-up", args=[council_a.slug]), fields)
    assert page.status_code == 400
    assert "problem with what you sent" in page.content.decode()
    person = two_councils["alpha"]["people"][Role.AUDITOR]
    api = client_for(person).post(reverse("api-switch-council"), fields)
    assert api.status_code == 400
    assert api.json() == {"detail": "The request has too many fields or files."}


# ---------------------------------------------------------------------------------------------
# Uploads are opened as what they claim to be; each malicious one is refused with its reason and
# nothing is stored. (tests/upload_files.py builds every file; nothing binary is committed.)

MALICIOUS = [
    pytest.param(
        uploads_files.pdf_html_after_header, "not a PDF that can be opened", id="pdf-html"
    ),
    pytest.param(uploads_files.pdf_with_document_javascript, "contains JavaScript", id="pdf-js"),
    pytest.param(
        uploads_files.pdf_with_open_action_javascript, "contains JavaScript", id="pdf-openaction"
    ),
    pytest.param(uploads_files.pdf_with_page_additional_action, "contains JavaScript", id="pdf-aa"),
    pytest.param(uploads_files.pdf_with_embedded_file, "other files attached", id="pdf-embedded"),
    pytest.param(uploads_files.pdf_with_launch_action, "starts another program", id="pdf-launch"),
    pytest.param(uploads_files.pdf_without_pages, "has no pages", id="pdf-no-pages"),
    pytest.param(
        lambda: uploads_files.docx_bomb(unpacked=200 * 1024 * 1024),
        "unpacks to more than 50 MB",
        id="docx-200mb",
    ),
    pytest.param(
        lambda: uploads_files.docx_bomb(unpacked=20 * 1024 * 1024),
        "more than 100 times its packed size",
        id="docx-ratio",
    ),
    pytest.param(
        lambda: uploads_files.docx_lying_about_size(real=100_003, claimed=1_003),
        "cannot be opened",
        id="docx-lying-size",
    ),
    pytest.param(
        lambda: uploads_files.docx_bytes(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        "contains macros",
        id="docx-vbaproject",
    ),
    pytest.param(
        lambda: uploads_files.docx_bytes(content_types=uploads_files.MACRO_CONTENT_TYPES),
        "contains macros",
        id="docx-docm-content-type",
    ),
    pytest.param(
        lambda: uploads_files.docx_bytes(extra={"../../evil.sh": b"#!/bin/sh\n"}),
        "named like a folder path",
        id="docx-dotdot",
    ),
    pytest.param(
        lambda: uploads_files.docx_bytes(extra={"/etc/cron.d/evil": b"* * * * * root sh\n"}),
        "named like a folder path",
        id="docx-absolute",
    ),
    pytest.param(
        lambda: uploads_files.docx_bytes(extra={"word\\..\\..\\evil.bat": b"del *\n"}),
        "named like a folder path",
        id="docx-backslash",
    ),
    pytest.param(
        lambda: uploads_files.docx_bytes(
            extra={f"word/media/part{number}.xml": b"<x/>" for number in range(1_000)}
        ),
        "more than 1,000 parts",
        id="docx-too-many-parts",
    ),
    pytest.param(
        lambda: uploads_files.png_claiming(100_000, 100_000),
        "more than 40 million pixels",
        id="png-pixel-bomb",
    ),
    pytest.param(
        lambda: uploads_files.png_claiming(8_000, 6_000),
        "more than 40 million pixels",
        id="png-48-megapixels",
    ),
    pytest.param(uploads_files.png_truncated, "image cannot be opened", id="png-truncated"),
    pytest.param(uploads_files.jpeg_truncated, "image cannot be opened", id="jpeg-cut-short"),
    pytest.param(
        lambda: uploads_files.jpeg_bytes()[:40], "image cannot be opened", id="jpeg-truncated"
    ),
]


def _no_files_stored() -> bool:
    return not any(files for _, _, files in os.walk(settings.MEDIA_ROOT))


@pytest.mark.parametrize(("make", "reason"), MALICIOUS)
def test_each_malicious_file_is_refused_by_the_check_with_its_reason(make, reason):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("upload.bin", make()))
    [message] = refused.value.message_dict["file"]
    assert reason in message


@pytest.fixture
def upload_world(two_councils):
    from tests.referrals.builders import build_world, make_referral

    world = build_world(two_councils)
    alpha = world["alpha"]
    world["referral"] = make_referral(alpha["sw"], alpha["child"])
    world["contract"] = make_contract(two_councils["alpha"]["people"][Role.COMMISSIONER])
    return world


@pytest.mark.parametrize(("make", "reason"), MALICIOUS)
def test_each_malicious_file_is_a_form_error_on_the_referral_page(
    upload_world, client_for, make, reason
):
    referral = upload_world["referral"]
    response = client_for(upload_world["alpha"]["sw"]).post(
        reverse("referrals:referral-document-add", args=[referral.pk]),
        {"file": SimpleUploadedFile("form.bin", make())},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert html.escape(reason) in page
    assert not ReferralDocument.objects.exists()
    assert _no_files_stored()


@pytest.mark.parametrize(("make", "reason"), MALICIOUS)
def test_each_malicious_file_is_a_400_on_the_referral_api(upload_world, client_for, make, reason):
    referral = upload_world["referral"]
    response = client_for(upload_world["alpha"]["sw"]).post(
        reverse("api-referral-documents", args=[referral.pk]),
        {"file": SimpleUploadedFile("form.bin", make())},
    )
    assert response.status_code == 400
    assert reason in response.json()["file"][0]
    assert not ReferralDocument.objects.exists()
    assert _no_files_stored()


CONTRACT_SAMPLES = [
    MALICIOUS[index] for index in (0, 2, 4, 7, 10, 12, 16)
]  # html, OpenAction, embedded, 200 MB, vbaProject, ../, pixel bomb


@pytest.mark.parametrize(("make", "reason"), CONTRACT_SAMPLES)
def test_contract_documents_refuse_the_same_files_page_and_api(
    upload_world, client_for, make, reason
):
    contract = upload_world["contract"]
    client = client_for(upload_world["alpha"]["people"][Role.COMMISSIONER])
    page = client.post(
        reverse("contracts:document-upload", args=[contract.pk]),
        {"title": "Signed contract", "file": SimpleUploadedFile("contract.bin", make())},
    )
    assert page.status_code == 200
    assert html.escape(reason) in page.content.decode()
    api = client.post(
        reverse("api-contract-documents", args=[contract.pk]),
        {"title": "Signed contract", "file": SimpleUploadedFile("contract.bin", make())},
    )
    assert api.status_code == 400
    assert reason in api.json()["file"][0]
    assert not ContractDocument.objects.exists()
    assert _no_files_stored()


def _stored(document) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        (uploads_files.pdf_bytes, "application/pdf"),
        (uploads_files.docx_bytes, DOCX),
        (lambda: uploads_files.png_bytes(exif=True), "image/png"),
        (lambda: uploads_files.jpeg_bytes(exif=True), "image/jpeg"),
    ],
    ids=["pdf", "docx", "png", "jpeg"],
)
def test_good_files_are_accepted_and_images_lose_their_exif(
    upload_world, client_for, make, content_type
):
    referral = upload_world["referral"]
    sent = make()
    response = client_for(upload_world["alpha"]["sw"]).post(
        reverse("referrals:referral-document-add", args=[referral.pk]),
        {"file": SimpleUploadedFile("good.bin", sent)},
    )
    assert response.status_code == 302
    document = ReferralDocument.objects.get()
    assert document.content_type == content_type
    stored = _stored(document)
    assert document.size == len(stored)
    if content_type.startswith("image/"):
        assert uploads_files.EXIF_MARKER.encode() in sent
        assert uploads_files.EXIF_MARKER.encode() not in stored
        assert b"Exif" not in stored
        with Image.open(io.BytesIO(stored)) as image:
            assert not image.getexif()
            assert image.size == (8, 6)
    else:
        assert stored == sent  # documents are kept exactly as they came


def test_a_photo_is_turned_the_right_way_up_before_its_exif_goes(upload_world, client_for):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to show
    picture = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 200, 10)).save(picture, "JPEG", exif=exif)
    response = client_for(upload_world["alpha"]["sw"]).post(
        reverse("referrals:referral-document-add", args=[upload_world["referral"].pk]),
        {"file": SimpleUploadedFile("photo.jpg", picture.getvalue())},
    )
    assert response.status_code == 302
    with Image.open(io.BytesIO(_stored(ReferralDocument.objects.get()))) as image:
        assert image.size == (6, 8)
        assert not image.getexif()


def test_a_good_upload_through_the_api_is_stored(upload_world, client_for):
    response = client_for(upload_world["alpha"]["sw"]).post(
        reverse("api-referral-documents", args=[upload_world["referral"].pk]),
        {"file": SimpleUploadedFile("letter.docx", uploads_files.docx_bytes())},
    )
    assert response.status_code == 201, response.content
    assert ReferralDocument.objects.get().content_type == DOCX


# OPTIONS, as DRF answers it, asked of every API path that names no record, by a person who
# holds every staff role: DRF describes a PUT by reading the record the URL names, and where the
# URL names none (the spend lines' PUT sets a line by year and type) that read was a 500.
def _api_paths_naming_no_record() -> list[str]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return sorted(path for path in paths if "{" not in path)


@pytest.mark.parametrize("path", _api_paths_naming_no_record())
def test_options_never_errors_for_a_person_holding_every_role(two_councils, path):
    alpha = two_councils["alpha"]
    person = hold_every_staff_role(alpha["people"][Role.COUNCIL_ADMIN], alpha["council"])
    token = services.api_token_issue(user=person)[1]
    response = Client().options(path, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code < 500, response.content[:300]
    if path == "/api/v1/spend/":
        assert response.status_code == 200
        assert {"POST", "PUT"} <= set(response.json()["actions"])


def test_options_shows_the_spend_lines_writes_only_to_whom_may_make_them(two_councils):
    people = two_councils["alpha"]["people"]

    def options(role):
        token = services.api_token_issue(user=people[role])[1]
        return Client().options("/api/v1/spend/", HTTP_AUTHORIZATION=f"Token {token}")

    assert options(Role.SOCIAL_WORKER).status_code == 403  # may not read the spend lines at all
    read_only = options(Role.AUDITOR)
    assert read_only.status_code == 200
    assert not {"POST", "PUT"} & set(read_only.json().get("actions", {}))
    assert {"POST", "PUT"} <= set(options(Role.FINANCE_OFFICER).json()["actions"])
