"""The referrals API: logging, transitions and 409s, documents and downloads, roles, tenancy."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from referrals.models import Referral, ReferralDocument, ReferralStatus
from referrals.services import documents as document_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.documents.uploads import MAX_UPLOAD_BYTES, PDF, PNG
from tests.conftest import MARKER_B
from tests.referrals.builders import make_child, make_referral, screened_referral
from tests.referrals.test_uploads import HTML_BYTES, PDF_BYTES, PNG_BYTES
from tests.roles import NOT_CHILD_READERS

STORED_NAME = re.compile(r"^referrals/\d+/[0-9a-f]{32}\.pdf$")
OUTCOMES = [
    ReferralStatus.ACCEPTED_FOR_ASSESSMENT,
    ReferralStatus.SIGNPOSTED_UNIVERSAL,
    ReferralStatus.REFERRED_TARGETED,
    ReferralStatus.NO_FURTHER_ACTION,
]


@pytest.fixture
def sw(world, client_for):
    return client_for(world["alpha"]["sw"])


def create_data(child) -> dict:
    return {
        "child": child.pk,
        "received_on": "2025-01-06",
        "source": "2A",
        "primary_need": "N2",
        "request": "Weekend breaks for the family.",
        "referrer": "SENCo, Meole Brace School",
    }


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def detail_url(referral) -> str:
    return reverse("api-referral", args=[referral.pk])


def transition_url(referral) -> str:
    return reverse("api-referral-transition", args=[referral.pk])


def documents_url(referral) -> str:
    return reverse("api-referral-documents", args=[referral.pk])


def document_url(document) -> str:
    return reverse("api-referral-document", args=[document.referral_id, document.pk])


def file(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------------------------------------
# Logging and reading referrals


def test_a_social_worker_logs_a_referral(world, sw):
    child = world["alpha"]["child"]
    response = post(sw, reverse("api-referrals"), create_data(child))
    assert response.status_code == 201, response.json()
    body = response.json()
    referral = Referral.objects.get()
    assert body["id"] == referral.pk
    assert body["child"] == child.pk and body["child_name"] == child.full_name
    assert body["status"] == "received" and body["status_date"] == "2025-01-06"
    assert body["source"] == "2A" and body["primary_need"] == "N2"
    assert body["referrer"] == "SENCo, Meole Brace School"
    assert body["documents"] == []
    assert [e["to_status"] for e in body["events"]] == ["received"]
    assert referral.created_by == world["alpha"]["sw"]


def test_bad_input_gives_field_messages(world, sw):
    response = post(sw, reverse("api-referrals"), {"received_on": "31/13/2025", "source": "ZZ"})
    assert response.status_code == 400
    body = response.json()
    assert {"child", "received_on", "source", "primary_need", "request"} <= set(body)
    future = {**create_data(world["alpha"]["child"]), "received_on": "2999-01-01"}
    response = post(sw, reverse("api-referrals"), future)
    assert response.status_code == 400
    assert response.json() == {"received_on": ["The date received cannot be in the future."]}
    assert not Referral.objects.exists()


def test_another_councils_child_is_refused_as_a_missing_one(world, sw):
    foreign = post(sw, reverse("api-referrals"), create_data(world["bravo"]["child"]))
    missing = post(
        sw, reverse("api-referrals"), {**create_data(world["bravo"]["child"]), "child": 999_999}
    )
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["child"][0].replace(str(world["bravo"]["child"].pk), "ID") == (
        missing.json()["child"][0].replace("999999", "ID")
    )
    assert not Referral.objects.exists()


def test_the_list_filters_by_child_and_status_and_holds_only_the_council(world, sw):
    alpha = world["alpha"]
    other_child = make_child(alpha["sw"], last_name="Other")
    received = make_referral(alpha["sw"], alpha["child"])
    screened = screened_referral(alpha["sw"], other_child)
    make_referral(world["bravo"]["sw"], world["bravo"]["child"])
    body = sw.get(reverse("api-referrals")).json()
    assert {r["id"] for r in body["results"]} == {received.pk, screened.pk}
    assert MARKER_B not in str(body)
    by_child = sw.get(reverse("api-referrals"), {"child": other_child.pk}).json()
    assert [r["id"] for r in by_child["results"]] == [screened.pk]
    by_status = sw.get(reverse("api-referrals"), {"status": "received"}).json()
    assert [r["id"] for r in by_status["results"]] == [received.pk]
    assert sw.get(reverse("api-referrals"), {"status": "lost"}).status_code == 400
    for bad in ("99999999999999999999999", "1.5", "-1", "x"):
        assert sw.get(reverse("api-referrals"), {"child": bad}).status_code == 400, bad
    foreign_child = sw.get(reverse("api-referrals"), {"child": world["bravo"]["child"].pk})
    assert foreign_child.json()["results"] == []


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_query_count_is_pinned(world, sw, count, django_assert_num_queries):
    alpha = world["alpha"]
    for index in range(count):
        make_referral(alpha["sw"], make_child(alpha["sw"], last_name=f"Listed{index}"))
    # Session and person, roles and council, one page of referrals with their children, and
    # the session's last-seen time (with their savepoints).
    with django_assert_num_queries(10):  # 9, and the access log's row
        response = sw.get(reverse("api-referrals"))
    assert len(response.json()["results"]) == count


def test_the_detail_has_history_and_documents_and_is_logged(world, sw):
    alpha = world["alpha"]
    referral = screened_referral(alpha["sw"], alpha["child"])
    document_services.referral_document_add(
        actor=alpha["sw"], referral=referral, upload=file("form.pdf", PDF_BYTES)
    )
    body = sw.get(detail_url(referral)).json()
    assert [(e["from_status"], e["to_status"]) for e in body["events"]] == [
        ("", "received"),
        ("received", "screening"),
        ("screening", "accepted_for_assessment"),
    ]
    assert [e["kind"] for e in body["events"]] == ["received", "screen", "accept_for_assessment"]
    assert body["events"][-1]["reason"] == "Screened by the team."
    assert body["events"][-1]["actor"]
    [document] = body["documents"]
    assert document["original_name"] == "form.pdf" and document["content_type"] == PDF
    assert document["download_url"] == reverse(
        "api-referral-document", args=[referral.pk, document["id"]]
    )
    assert AccessLogEntry.objects.filter(
        action="view", object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()


def test_another_councils_referral_is_exactly_as_missing(world, sw):
    bravo = world["bravo"]
    referral = make_referral(bravo["sw"], bravo["child"])
    document = document_services.referral_document_add(
        actor=bravo["sw"], referral=referral, upload=file("b.pdf", PDF_BYTES)
    )
    pairs = [
        (detail_url(referral), reverse("api-referral", args=[999_999])),
        (documents_url(referral), reverse("api-referral-documents", args=[999_999])),
        (document_url(document), reverse("api-referral-document", args=[999_999, 999_999])),
    ]
    for foreign_url, missing_url in pairs:
        foreign, missing = sw.get(foreign_url), sw.get(missing_url)
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json().keys() == missing.json().keys() == {"detail"}
        assert MARKER_B not in foreign.content.decode()
    foreign = post(sw, transition_url(referral), {"status": "screening"})
    missing = post(sw, reverse("api-referral-transition", args=[999_999]), {"status": "screening"})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    upload = sw.post(documents_url(referral), {"file": file("x.pdf", PDF_BYTES)})
    assert upload.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "received"
    assert ReferralDocument.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Transitions


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_transition(world, sw, outcome):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    response = post(sw, transition_url(referral), {"status": "screening", "on": "2025-01-07"})
    assert response.status_code == 200
    assert response.json()["status"] == "screening"
    assert response.json()["status_date"] == "2025-01-07"
    response = post(sw, transition_url(referral), {"status": outcome, "reason": "Decided."})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == outcome
    assert body["events"][-1]["from_status"] == "screening"
    assert body["events"][-1]["reason"] == "Decided."


def test_a_step_the_state_forbids_is_a_409_with_the_reason(world, sw):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    response = post(sw, transition_url(referral), {"status": "no_further_action", "reason": "x"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Only a referral in screening can end with no further action."
    }
    done = screened_referral(world["alpha"]["sw"], world["alpha"]["child"])
    response = post(sw, transition_url(done), {"status": "referred_targeted", "reason": "x"})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only a referral in screening can be referred to targeted services."
    )
    response = post(sw, transition_url(referral), {"status": "received"})
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.status == "received"


def test_an_outcome_without_reason_and_a_bad_status_are_400(world, sw):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    post(sw, transition_url(referral), {"status": "screening"})
    response = post(sw, transition_url(referral), {"status": "accepted_for_assessment"})
    assert response.status_code == 400
    assert response.json() == {"reason": ["Enter the reason."]}
    assert post(sw, transition_url(referral), {"status": "lost"}).status_code == 400
    response = post(sw, transition_url(referral), {"status": "signposted_universal", "reason": "x",
                                                    "on": "2024-01-01"})  # fmt: skip
    assert response.status_code == 400 and "on" in response.json()
    referral.refresh_from_db()
    assert referral.status == "screening"


# ---------------------------------------------------------------------------------------------
# Documents


def test_upload_list_and_download(world, sw):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    response = sw.post(
        documents_url(referral), {"file": file("../../Referral form.pdf", PDF_BYTES),
                                  "description": "Signed form"}
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    document = ReferralDocument.objects.get()
    assert body["id"] == document.pk and body["content_type"] == PDF
    assert body["original_name"] == "Referral form.pdf"
    assert body["description"] == "Signed form" and body["size"] == len(PDF_BYTES)
    assert STORED_NAME.match(document.file.name)

    listed = sw.get(documents_url(referral)).json()
    assert [d["id"] for d in listed["results"]] == [document.pk]

    download = sw.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == PDF
    assert download["Content-Disposition"] == 'attachment; filename="Referral form.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert streamed(download) == PDF_BYTES
    assert (
        AccessLogEntry.objects.filter(
            action="download",
            object_type="referrals.referraldocument",
            object_id=str(document.pk),
            user=world["alpha"]["sw"],
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", HTML_BYTES, "The selected file must be a PDF"),
        ("notes.txt", b"Just some notes.", "The selected file must be a PDF"),
        (
            "huge.pdf",
            PDF_BYTES + b"\0" * (MAX_UPLOAD_BYTES + 1 - len(PDF_BYTES)),
            "The file must be smaller than 10 MB.",
        ),
    ],
)
def test_a_refused_file_is_a_400_with_the_reason(world, sw, name, content, message):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    response = sw.post(documents_url(referral), {"file": file(name, content)})
    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert not ReferralDocument.objects.exists()


def test_an_upload_without_a_file_is_a_400(world, sw):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    response = sw.post(documents_url(referral), {"description": "No file"})
    assert response.status_code == 400
    assert "file" in response.json()


def test_a_download_is_typed_from_the_bytes(world, sw):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    sw.post(documents_url(referral), {"file": file("scan.pdf", PNG_BYTES)})
    document = ReferralDocument.objects.get()
    assert document.content_type == PNG
    response = sw.get(document_url(document))
    assert response["Content-Type"] == PNG
    assert streamed(response) == PNG_BYTES


def test_a_document_is_only_reached_through_its_own_referral(world, sw):
    alpha = world["alpha"]
    first = make_referral(alpha["sw"], alpha["child"])
    second = make_referral(alpha["sw"], alpha["child"])
    document = document_services.referral_document_add(
        actor=alpha["sw"], referral=first, upload=file("a.pdf", PDF_BYTES)
    )
    url = reverse("api-referral-document", args=[second.pk, document.pk])
    assert sw.get(url).status_code == 404
    assert not AccessLogEntry.objects.filter(action="download").exists()


# ---------------------------------------------------------------------------------------------
# Who may do what


@pytest.mark.parametrize("role", NOT_CHILD_READERS)
def test_roles_without_childrens_records_get_403(world, client_for, role):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    document = document_services.referral_document_add(
        actor=alpha["sw"], referral=referral, upload=file("a.pdf", PDF_BYTES)
    )
    client = client_for(alpha["people"][role])
    for url in (reverse("api-referrals"), detail_url(referral), documents_url(referral),
                document_url(document)):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 403, (role, url)
        assert alpha["child"].full_name not in response.content.decode()
    assert post(client, reverse("api-referrals"), create_data(alpha["child"])).status_code == 403
    assert post(client, transition_url(referral), {"status": "screening"}).status_code == 403
    assert (
        client.post(documents_url(referral), {"file": file("b.pdf", PDF_BYTES)}).status_code == 403
    )
    referral.refresh_from_db()
    assert referral.status == "received"
    assert ReferralDocument.objects.count() == 1


def test_an_auditor_reads_but_cannot_log_move_or_upload(world, client_for):
    alpha = world["alpha"]
    referral = make_referral(alpha["sw"], alpha["child"])
    document = document_services.referral_document_add(
        actor=alpha["sw"], referral=referral, upload=file("a.pdf", PDF_BYTES)
    )
    auditor = client_for(alpha["people"]["auditor"])
    assert auditor.get(reverse("api-referrals")).status_code == 200
    assert auditor.get(detail_url(referral)).json()["id"] == referral.pk
    assert auditor.get(documents_url(referral)).status_code == 200
    assert streamed(auditor.get(document_url(document))) == PDF_BYTES
    assert post(auditor, reverse("api-referrals"), create_data(alpha["child"])).status_code == 403
    assert post(auditor, transition_url(referral), {"status": "screening"}).status_code == 403
    assert (
        auditor.post(documents_url(referral), {"file": file("b.pdf", PDF_BYTES)}).status_code == 403
    )
    assert Referral.objects.count() == 1 and ReferralDocument.objects.count() == 1


def test_a_team_manager_logs_and_moves_referrals(world, client_for):
    alpha = world["alpha"]
    client = client_for(alpha["tm"])
    response = post(client, reverse("api-referrals"), create_data(alpha["child"]))
    assert response.status_code == 201
    referral = Referral.objects.get()
    assert post(client, transition_url(referral), {"status": "screening"}).status_code == 200


def test_signed_out_callers_get_401(world):
    referral = make_referral(world["alpha"]["sw"], world["alpha"]["child"])
    client = Client()
    assert client.get(reverse("api-referrals")).status_code == 401
    assert client.get(detail_url(referral)).status_code == 401
    assert post(client, transition_url(referral), {"status": "screening"}).status_code == 401
