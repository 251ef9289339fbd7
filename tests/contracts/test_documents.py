"""Documents kept with a contract: the lead council uploads; readers download as attachments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import ContractDocument, ContractEvent
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from tests.builders import make_contract
from tests.upload_files import pdf_bytes

PDF = pdf_bytes()  # a real PDF: uploads are opened, not only sniffed
PNG_THAT_IS_HTML = b"<html><script>alert(1)</script></html>"


@pytest.fixture
def alpha(two_councils):
    return two_councils["alpha"]["people"]


@pytest.fixture
def joint(two_councils, alpha):
    """Alpha leads; bravo takes part."""
    return make_contract(
        alpha[Role.COMMISSIONER], participating_councils=[two_councils["bravo"]["council"]]
    )


def _upload(client, contract, content=PDF, name="signed contract.pdf", title="Signed contract"):
    return client.post(
        reverse("contracts:document-upload", args=[contract.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_the_lead_council_uploads_and_every_reader_downloads(
    two_councils, alpha, joint, client_for
):
    response = _upload(client_for(alpha[Role.CONTRACT_MANAGER]), joint, name="../../etc/x.pdf")
    assert response.status_code == 302
    document = ContractDocument.objects.get()
    assert document.original_name == "x.pdf"
    assert document.file.name.startswith(f"contracts/{joint.council_id}/")
    assert "etc" not in document.file.name
    assert ContractEvent.objects.filter(contract=joint, kind="document").exists()

    page = client_for(alpha[Role.AUDITOR]).get(reverse("contracts:detail", args=[joint.pk]))
    assert "Signed contract" in page.content.decode()

    participant = two_councils["bravo"]["people"][Role.FINANCE_OFFICER]
    download = client_for(participant).get(
        reverse("contracts:document-download", args=[document.pk])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert AccessLogEntry.objects.filter(
        user=participant, action="download", object_id=str(document.pk)
    ).exists()


def test_a_file_that_is_not_what_it_claims_is_refused(alpha, joint, client_for):
    response = _upload(
        client_for(alpha[Role.COMMISSIONER]), joint, content=PNG_THAT_IS_HTML, name="photo.png"
    )
    assert response.status_code == 200
    assert "must be a PDF, a Word document (DOCX), a PNG or a JPEG" in response.content.decode()
    assert not ContractDocument.objects.exists()


def test_a_title_is_needed(alpha, joint, client_for):
    response = _upload(client_for(alpha[Role.COMMISSIONER]), joint, title="")
    assert "Enter what the document is" in response.content.decode()
    assert not ContractDocument.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("bravo-commissioner", 404),  # a participant reads a joint contract, never changes it
        ("alpha-auditor", 403),
        ("alpha-social_worker", 403),
        ("alpha-finance_officer", 403),
    ],
)
def test_who_may_not_upload(two_councils, joint, client_for, who, expected):
    slug, role = who.split("-")
    response = _upload(client_for(two_councils[slug]["people"][role]), joint)
    assert response.status_code == expected
    assert not ContractDocument.objects.exists()


def test_another_councils_document_is_not_found_as_a_missing_one(two_councils, client_for):
    bravo = two_councils["bravo"]["people"]
    theirs = make_contract(bravo[Role.COMMISSIONER])
    _upload(client_for(bravo[Role.COMMISSIONER]), theirs)
    document = ContractDocument.objects.get()
    client = client_for(two_councils["alpha"]["people"][Role.COMMISSIONER])
    other = client.get(reverse("contracts:document-download", args=[document.pk]))
    missing = client.get(reverse("contracts:document-download", args=[document.pk + 1000]))
    assert other.status_code == missing.status_code == 404
    api_other = client.get(reverse("api-contract-document", args=[theirs.pk, document.pk]))
    assert api_other.status_code == 404
    social_worker = client_for(two_councils["bravo"]["people"][Role.SOCIAL_WORKER])
    assert (
        social_worker.get(reverse("contracts:document-download", args=[document.pk])).status_code
        == 403
    )


def test_the_api_uploads_lists_and_downloads(two_councils, alpha, joint, client_for):
    client = client_for(alpha[Role.COMMISSIONER])
    url = reverse("api-contract-documents", args=[joint.pk])
    created = client.post(
        url, {"title": "Variation notice", "file": SimpleUploadedFile("v.pdf", PDF)}
    )
    assert created.status_code == 201, created.content
    refused = client.post(
        url, {"title": "Photo", "file": SimpleUploadedFile("p.png", PNG_THAT_IS_HTML)}
    )
    assert refused.status_code == 400
    assert "file" in refused.json()

    participant = client_for(two_councils["bravo"]["people"][Role.COMMISSIONER])
    listed = participant.get(url)
    assert [d["title"] for d in listed.json()["results"]] == ["Variation notice"]
    not_theirs_to_add = participant.post(
        url, {"title": "x", "file": SimpleUploadedFile("v.pdf", PDF)}
    )
    assert not_theirs_to_add.status_code == 404

    download = participant.get(created.json()["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_the_document_list_api_makes_the_same_queries_however_many(
    alpha, joint, client_for, django_assert_num_queries
):
    client = client_for(alpha[Role.COMMISSIONER])
    url = reverse("api-contract-documents", args=[joint.pk])
    for number in range(6):
        _upload(client, joint, title=f"Document {number}")
    client.get(url)  # warm the session
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.json()["results"]) == 6
