"""Case notes on a child's record: written and read by social workers and team managers only,
corrected in place by their author for 24 hours and by a new note after that, with an attachment
checked as documents are, on the child's timeline, and every read in the access log. Never shown
to an auditor, a parent carer or a provider; another council's child or note is 404."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import CaseNote, CaseNoteKind
from referrals.selectors import notes as note_selectors
from referrals.services import notes as note_services
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.errors import RecordNotFound
from shortbreaks.councils.models import Role
from tests.clock import (
    FROZEN_TODAY,
    frozen_today,  # noqa: F401
    london,
)
from tests.statements.test_parents import link, make_parent, signed_in
from tests.upload_files import pdf_bytes, pdf_with_document_javascript

pytestmark = pytest.mark.usefixtures("frozen_today")

VISIT = "Home visit: Sam was settled; mum is exhausted after three broken nights."


@pytest.fixture
def alpha(world):
    return world["alpha"]


def write(council, *, text=VISIT, kind=CaseNoteKind.VISIT, on=None, actor=None, **extra):
    return note_services.case_note_add(
        actor=actor or council["sw"],
        child=council["child"],
        on=on or FROZEN_TODAY,
        kind=kind,
        text=text,
        **extra,
    )


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def notes_url(child) -> str:
    return reverse("referrals:case-notes", args=[child.pk])


def api_notes_url(child) -> str:
    return reverse("api-case-notes", args=[child.pk])


# ----------------------------------------------------------------------------------------------
# Correcting: in place for 24 hours, then a new note


WRITTEN_AT = london(FROZEN_TODAY, 9, 0)


def correct_at(council, note, moment, text):
    with time_machine.travel(moment, tick=False):
        return note_services.case_note_correct(
            actor=council["sw"], note=note, on=FROZEN_TODAY, kind="phone_call", text=text
        )


def test_the_author_corrects_a_note_in_place_at_23_hours_59(alpha):
    with time_machine.travel(WRITTEN_AT, tick=False):
        note = write(alpha)
    later = WRITTEN_AT + timedelta(hours=23, minutes=59)
    corrected = correct_at(alpha, note, later, "Phone call, not a visit.")
    assert corrected.pk == note.pk
    note.refresh_from_db()
    assert (note.kind, note.text) == ("phone_call", "Phone call, not a visit.")
    assert note.corrected_at == later
    assert CaseNote.objects.count() == 1


def test_at_24_hours_01_a_correction_is_a_new_note_pointing_at_the_old(alpha):
    with time_machine.travel(WRITTEN_AT, tick=False):
        note = write(alpha)
    correction = correct_at(
        alpha, note, WRITTEN_AT + timedelta(hours=24, minutes=1), "It was a phone call."
    )
    assert correction.pk != note.pk
    assert correction.corrects == note
    assert correction.text == "It was a phone call."
    note.refresh_from_db()
    assert (note.kind, note.text, note.corrected_at) == ("visit", VISIT, None)


def test_someone_else_never_changes_the_note_itself(alpha):
    note = write(alpha)
    correction = note_services.case_note_correct(
        actor=alpha["tm"], note=note, on=FROZEN_TODAY, kind="visit", text="Also: dad was there."
    )
    assert correction.corrects == note
    note.refresh_from_db()
    assert note.text == VISIT


def test_a_note_needs_its_date_kind_and_words(alpha):
    with pytest.raises(ValidationError) as caught:
        write(alpha, text=" ", kind="letter", on=FROZEN_TODAY + timedelta(days=1))
    assert set(caught.value.message_dict) == {"text", "kind", "on"}
    assert not CaseNote.objects.exists()


def test_an_attachment_is_checked_as_documents_are(alpha):
    note = write(alpha, upload=SimpleUploadedFile("visit.pdf", pdf_bytes()))
    assert (note.original_name, note.content_type) == ("visit.pdf", "application/pdf")
    assert note.file.name.endswith(".pdf") and "visit" not in note.file.name
    with pytest.raises(ValidationError) as caught:
        write(alpha, upload=SimpleUploadedFile("bad.pdf", pdf_with_document_javascript()))
    assert "JavaScript" in caught.value.message_dict["file"][0]
    assert CaseNote.objects.count() == 1


# ----------------------------------------------------------------------------------------------
# Who reads and writes them


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COMMISSIONER, Role.PROVIDER])
def test_no_one_but_social_workers_and_team_managers_reads_or_writes_notes(alpha, client_for, role):
    write(alpha)
    person = alpha["people"][role]
    assert client_for(person).get(notes_url(alpha["child"])).status_code == 403
    assert api(person).get(api_notes_url(alpha["child"])).status_code == 403
    body = {"on": "2026-06-15", "kind": "visit", "text": "A note."}
    assert api(person).post(api_notes_url(alpha["child"]), body).status_code == 403
    with pytest.raises(PermissionDenied):
        write(alpha, actor=person)
    assert list(note_selectors.case_note_list(actor=person, child=alpha["child"])) == []


def test_a_parent_carer_never_sees_a_note(world, alpha):
    write(alpha, text="Private observation about the family.")
    parent = make_parent(alpha["council"], "robin.notes@example.org")
    link(world, "alpha", parent)
    client = signed_in(parent)
    assert client.get(notes_url(alpha["child"])).status_code == 403
    child_page = client.get(reverse("statements:account-child", args=["alpha", alpha["child"].pk]))
    assert child_page.status_code == 200
    assert "Private observation" not in child_page.content.decode()
    assert "Case note" not in child_page.content.decode()


def test_another_councils_child_or_note_is_not_found(world, alpha, client_for):
    bravo = world["bravo"]
    theirs = write(bravo)
    client = client_for(alpha["sw"])
    assert client.get(notes_url(bravo["child"])).status_code == 404
    assert api(alpha["sw"]).get(api_notes_url(bravo["child"])).status_code == 404
    # Their note under our child's address is as missing as under theirs.
    ours = reverse("api-case-note", args=[alpha["child"].pk, theirs.pk])
    assert api(alpha["sw"]).get(ours).status_code == 404
    correct = reverse("referrals:case-note-correct", args=[alpha["child"].pk, theirs.pk])
    assert client.post(correct, {}).status_code == 404
    with pytest.raises(RecordNotFound):
        note_services.case_note_correct(
            actor=alpha["sw"], note=theirs, on=FROZEN_TODAY, kind="visit", text="Mine now."
        )


# ----------------------------------------------------------------------------------------------
# Pages


def test_the_notes_page_lists_them_and_logs_the_ids_shown(
    alpha, client_for, django_assert_num_queries
):
    first = write(alpha, on=date(2026, 6, 1))
    second = write(alpha, kind="meeting", text="Team around the child meeting.")
    client = client_for(alpha["sw"])
    client.get(notes_url(alpha["child"]))  # warm the session
    with django_assert_num_queries(9):
        page = client.get(notes_url(alpha["child"])).content.decode()
    assert page.index("Team around the child meeting.") < page.index(VISIT[:20])
    entry = AccessLogEntry.objects.filter(object_type="referrals.casenote", action="list").last()
    assert entry is not None
    assert f"ids={second.pk},{first.pk}" in entry.path.replace("%2C", ",")


def test_a_note_is_added_and_corrected_through_the_pages(alpha, client_for):
    client = client_for(alpha["sw"])
    child = alpha["child"]
    response = client.post(
        reverse("referrals:case-note-create", args=[child.pk]),
        {
            "on_0": "14",
            "on_1": "6",
            "on_2": "2026",
            "kind": "phone_call",
            "text": "Mum rang about the Saturday club.",
            "file": SimpleUploadedFile("letter.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert note.file and note.author == alpha["sw"]
    assert AccessLogEntry.objects.filter(
        action="create", object_type="referrals.casenote", object_id=str(note.pk)
    ).exists()
    correct = reverse("referrals:case-note-correct", args=[child.pk, note.pk])
    form = client.get(correct).content.decode()
    assert "You wrote this note less than 24 hours ago" in form
    response = client.post(
        correct,
        {"on_0": "14", "on_1": "6", "on_2": "2026", "kind": "phone_call", "text": "Dad rang."},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Dad rang."
    download = client.get(reverse("referrals:case-note-attachment", args=[child.pk, note.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert AccessLogEntry.objects.filter(action="download", object_id=str(note.pk)).exists()


def test_the_add_page_refuses_an_empty_note(alpha, client_for):
    response = client_for(alpha["sw"]).post(
        reverse("referrals:case-note-create", args=[alpha["child"].pk]),
        {"on_0": "14", "on_1": "6", "on_2": "2026", "kind": "visit", "text": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Enter the note" in page
    assert not CaseNote.objects.exists()


def test_notes_are_on_the_timeline_for_workers_but_not_auditors(alpha, client_for):
    write(alpha)
    timeline = reverse("referrals:child-timeline", args=[alpha["child"].pk])
    assert "Case note: visit." in client_for(alpha["sw"]).get(timeline).content.decode()
    auditor = client_for(alpha["people"][Role.AUDITOR]).get(timeline).content.decode()
    assert "Case note" not in auditor


# ----------------------------------------------------------------------------------------------
# API


def test_the_api_adds_lists_reads_and_corrects_notes(alpha, django_assert_num_queries):
    client = api(alpha["sw"])
    child = alpha["child"]
    created = client.post(
        api_notes_url(child),
        {"on": "2026-06-14", "kind": "email", "text": "Emailed the school."},
        format="json",
    )
    assert created.status_code == 201, created.content
    note_id = created.json()["id"]
    write(alpha)
    with django_assert_num_queries(5):
        listed = client.get(api_notes_url(child))
    assert [n["kind"] for n in listed.json()["results"]] == ["visit", "email"]
    read = client.get(reverse("api-case-note", args=[child.pk, note_id]))
    assert read.json()["text"] == "Emailed the school."
    assert AccessLogEntry.objects.filter(action="view", object_id=str(note_id)).exists()
    correct = reverse("api-case-note-correct", args=[child.pk, note_id])
    same = client.post(
        correct, {"on": "2026-06-14", "kind": "email", "text": "Emailed the GP."}, format="json"
    )
    assert (same.status_code, same.json()["id"]) == (200, note_id)
    other = api(alpha["tm"]).post(
        correct, {"on": "2026-06-14", "kind": "email", "text": "And the GP replied."}, format="json"
    )
    assert other.status_code == 201
    assert other.json()["corrects"] == note_id


def test_the_api_refuses_bad_input_with_400(alpha):
    response = api(alpha["sw"]).post(
        api_notes_url(alpha["child"]),
        {"on": "2099-01-01", "kind": "fax", "text": ""},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "text"}
    future = api(alpha["sw"]).post(
        api_notes_url(alpha["child"]),
        {"on": "2099-01-01", "kind": "visit", "text": "x"},
        format="json",
    )
    assert future.status_code == 400
    assert "on" in future.json()
    assert not CaseNote.objects.exists()
