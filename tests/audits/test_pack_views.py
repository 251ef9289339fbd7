"""Evidence pack pages: the list, the request form, the pack's page while it builds and when it
is ready or failed, the password confirmation before a download, sharing one pack with an
invited external auditor until a date, refusals by role and council, and the access log.
(Who may receive a pack, and the invitations, are in test_external_auditors.py.)"""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from audits.models import EvidencePack, EvidencePackGrant
from audits.packs import services as pack_services
from audits.packs.tasks import expire_pack_grants
from shortbreaks.accesslog.models import AccessLogEntry
from shortbreaks.councils.models import Role
from shortbreaks.documents import jobs
from shortbreaks.documents.models import DocumentJob, JobStatus
from shortbreaks.documents.tasks import build_document
from shortbreaks.middleware import LAST_SEEN, STARTED
from tests.audits.auditor_builders import external_auditor
from tests.clock import frozen_today  # noqa: F401
from tests.conftest import MARKER_B
from tests.factories import PASSWORD, UserFactory

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")

AS_AT = date(2025, 6, 30)


@pytest.fixture
def eager(settings):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


def _pack(auditor, kind="contract_compliance") -> EvidencePack:
    with mock.patch.object(jobs, "job_queue"):
        return pack_services.evidence_pack_request(
            actor=auditor,
            kind=kind,
            period_start=date(2024, 4, 1),
            period_end=date(2025, 3, 31),
            as_at=AS_AT,
        )


def _built(auditor) -> EvidencePack:
    pack = _pack(auditor)
    assert build_document.delay(pack.job_id).get() == JobStatus.DONE
    pack.refresh_from_db()
    return pack


def _signed_in_long_ago(client, minutes=20):
    session = client.session
    now = timezone.now().timestamp()
    session[STARTED] = now - minutes * 60
    session[LAST_SEEN] = now
    session.save()


def _form(**overrides) -> dict:
    data = {
        "kind": "contract_compliance",
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2024",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2025",
        "as_at_0": "30",
        "as_at_1": "6",
        "as_at_2": "2025",
    }
    data.update(overrides)
    return data


# --- requesting and watching -------------------------------------------------------------


@pytest.mark.django_db
def test_an_auditor_requests_a_pack_and_sees_it_build(
    two_councils, client_for, django_capture_on_commit_callbacks
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    client = client_for(auditor)
    page = client.get(reverse("packs:request"))
    assert page.status_code == 200
    assert "Request an evidence pack" in page.content.decode()
    with mock.patch.object(jobs, "job_queue") as queue:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("packs:request"), _form())
    pack = EvidencePack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("packs:detail", args=[pack.pk])
    queue.assert_called_once_with(pack.job_id)
    assert (pack.kind, pack.as_at, pack.council, pack.requested_by) == (
        "contract_compliance",
        AS_AT,
        auditor.active_council,
        auditor,
    )
    DocumentJob.objects.filter(pk=pack.job_id).update(
        status=JobStatus.BUILDING, progress=40, progress_note="Laying out Extensions"
    )
    body = client.get(response["Location"]).content.decode()
    assert "40% done" in body and "Laying out Extensions" in body
    assert "Download" not in body
    listing = client.get(reverse("packs:list")).content.decode()
    assert "Contract compliance" in listing and "Building" in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": ""}, "kind", "Choose which evidence pack you need"),
        ({"period_end_2": "2023"}, "period_end", "The end of the period must be the same as"),
        ({"as_at_2": "2099"}, "as_at", "must be today or in the past"),
        ({"as_at_0": "31", "as_at_1": "2"}, "as_at", "must be a real date"),
        ({"period_start_0": ""}, "period_start", "The start of the period must include a day"),
    ],
    ids=["no-kind", "end-before-start", "future-as-at", "not-a-date", "missing-start"],
)
def test_bad_requests_show_errors_and_change_nothing(
    two_councils, client_for, overrides, field, message
):
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    response = client.post(reverse("packs:request"), _form(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert body.count("<h1") == 1
    assert not EvidencePack.objects.exists() and not DocumentJob.objects.exists()


@pytest.mark.django_db
def test_a_ready_pack_shows_its_checksum_and_a_failed_one_offers_try_again(
    two_councils, client_for, eager
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    client = client_for(auditor)
    pack = _built(auditor)
    body = client.get(reverse("packs:detail", args=[pack.pk])).content.decode()
    assert pack.job.sha256 in body
    assert reverse("packs:download", args=[pack.pk]) in body
    failed = _pack(auditor, "dps")
    DocumentJob.objects.filter(pk=failed.job_id).update(status=JobStatus.FAILED, attempts=3)
    body = client.get(reverse("packs:detail", args=[failed.pk])).content.decode()
    assert "Failed" in body and "Try again" in body
    with mock.patch.object(jobs, "job_queue"):
        response = client.post(reverse("packs:retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.job.refresh_from_db()
    assert (failed.job.status, failed.job.attempts) == (JobStatus.QUEUED, 0)


# --- downloading ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_download_is_logged_and_needs_the_password_after_15_minutes(
    two_councils, client_for, eager
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _built(auditor)
    built_rows = AccessLogEntry.objects.filter(
        object_type="documents.documentjob", object_id=str(pack.job_id), action="create"
    )
    assert built_rows.count() == 1 and built_rows.get().user == auditor
    client = client_for(auditor)
    url = reverse("packs:download", args=[pack.pk])
    fresh = client.get(url)
    assert fresh.status_code == 200
    data = b"".join(fresh.streaming_content)
    assert data.startswith(b"%PDF")
    assert fresh["Content-Disposition"].startswith("attachment")
    downloads = AccessLogEntry.objects.filter(
        object_type="audits.evidencepack", object_id=str(pack.pk), action="download"
    )
    assert downloads.count() == 1

    _signed_in_long_ago(client)
    stale = client.get(url)
    assert stale.status_code == 302
    assert stale["Location"] == reverse("packs:confirm", args=[pack.pk])
    assert downloads.count() == 1
    wrong = client.post(stale["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200 and "The password is not right" in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()
    right = client.post(stale["Location"], {"password": PASSWORD})
    assert right.status_code == 302 and right["Location"] == url
    assert client.get(url).status_code == 200
    assert downloads.count() == 2


@pytest.mark.django_db
def test_a_pack_not_ready_cannot_be_downloaded(two_councils, client_for):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _pack(auditor)
    assert client_for(auditor).get(reverse("packs:download", args=[pack.pk])).status_code == 404


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_councils_auditor_gets_not_found_everywhere(two_councils, client_for, eager):
    pack = _built(two_councils["alpha"]["people"][Role.AUDITOR])
    other = client_for(two_councils["bravo"]["people"][Role.AUDITOR])
    for name in ("detail", "download", "confirm"):
        theirs = other.get(reverse(f"packs:{name}", args=[pack.pk]))
        missing = other.get(reverse(f"packs:{name}", args=[pack.pk + 1000]))
        assert theirs.status_code == missing.status_code == 404, name
    for name in ("retry", "grant"):
        assert other.post(reverse(f"packs:{name}", args=[pack.pk])).status_code == 404, name
    listing = other.get(reverse("packs:list")).content.decode()
    assert reverse("packs:detail", args=[pack.pk]) not in listing
    assert "No evidence packs have been requested yet." in listing


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.AUDITOR, Role.COUNCIL_ADMIN}))
def test_other_roles_are_refused(two_councils, client_for, role):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _pack(auditor)
    client = client_for(two_councils["alpha"]["people"][role])
    assert client.get(reverse("packs:list")).status_code == 403
    assert client.get(reverse("packs:request")).status_code == 403
    assert client.get(reverse("packs:detail", args=[pack.pk])).status_code == 404
    assert client.post(reverse("packs:request"), _form()).status_code == 403
    assert EvidencePack.objects.count() == 1


@pytest.mark.django_db
def test_a_council_administrator_sees_packs_and_who_has_access_but_neither_shares_nor_downloads(
    two_councils, client_for, eager
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _built(auditor)
    _share(pack, external_auditor(auditor), by=auditor)
    client = client_for(two_councils["alpha"]["people"][Role.COUNCIL_ADMIN])
    assert client.get(reverse("packs:list")).status_code == 200
    body = client.get(reverse("packs:detail", args=[pack.pk])).content.decode()
    assert "Who has access outside the council" in body
    assert "external.auditor@audit.example" in body and "Stop sharing" in body
    assert "Share this pack with an external auditor" not in body
    assert f'action="{reverse("packs:grant", args=[pack.pk])}"' not in body
    assert reverse("packs:download", args=[pack.pk]) not in body
    assert client.get(reverse("packs:request")).status_code == 403
    assert client.get(reverse("packs:download", args=[pack.pk])).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(two_councils):
    from django.test import Client

    for url in (reverse("packs:list"), reverse("packs:detail", args=[1])):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
def test_the_list_keeps_its_query_count(two_councils, client_for, django_assert_max_num_queries):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    client = client_for(auditor)
    _pack(auditor)
    client.get(reverse("packs:list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("packs:list"))
    count = len(few)
    for _ in range(15):
        _pack(auditor)
    with django_assert_max_num_queries(count):
        assert client.get(reverse("packs:list")).status_code == 200


# --- an external auditor, one pack, until a date --------------------------------------------


@pytest.mark.django_db
def test_an_external_auditor_sees_the_one_pack_shared_until_the_grant_expires(
    two_councils, client_for, eager
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    shared = _built(auditor)
    other = _built(auditor)
    external = external_auditor(auditor)
    client = client_for(auditor)
    today = timezone.localdate()
    response = client.post(
        reverse("packs:grant", args=[shared.pk]),
        {
            "email": "External.Auditor@audit.example",
            "expires_on_0": str(today.day),
            "expires_on_1": str(today.month),
            "expires_on_2": str(today.year),
        },
    )
    assert response.status_code == 302
    grant = EvidencePackGrant.objects.get()
    assert (grant.user, grant.pack, grant.expires_on) == (external, shared, today)
    assert "view_evidencepack" in get_perms(external, shared)

    theirs = client_for(external)
    # Their home is the packs shared with them.
    home = theirs.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("packs:shared")
    assert (
        reverse("packs:detail", args=[shared.pk]) in theirs.get(home["Location"]).content.decode()
    )
    page = theirs.get(reverse("packs:detail", args=[shared.pk]))
    assert page.status_code == 200
    assert "Share this pack" not in page.content.decode()
    download = theirs.get(reverse("packs:download", args=[shared.pk]))
    assert download.status_code == 200
    assert AccessLogEntry.objects.filter(
        user=external, action="download", object_id=str(shared.pk), council=shared.council
    ).exists()
    # Nothing else: not the other pack, not the list, not the API.
    assert theirs.get(reverse("packs:detail", args=[other.pk])).status_code == 404
    assert theirs.get(reverse("packs:download", args=[other.pk])).status_code == 404
    assert theirs.get(reverse("packs:list")).status_code == 403
    assert theirs.get(reverse("audits:list")).status_code == 403
    assert theirs.get(reverse("api-evidence-pack", args=[shared.pk])).status_code == 403
    assert theirs.post(reverse("packs:retry", args=[shared.pk])).status_code == 403

    # The day after the last day the grant counts for nothing, before the daily task runs...
    tomorrow = today + timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        assert theirs.get(reverse("packs:detail", args=[shared.pk])).status_code == 404
        assert theirs.get(reverse("packs:download", args=[shared.pk])).status_code == 404
        # ...and the daily task removes it with its object permission.
        assert expire_pack_grants() == 1
    assert not EvidencePackGrant.objects.exists()
    assert get_perms(external, shared) == []


@pytest.mark.django_db
def test_a_guardian_permission_without_a_live_grant_row_opens_nothing(
    two_councils, client_for, eager
):
    from guardian.shortcuts import assign_perm

    pack = _built(two_councils["alpha"]["people"][Role.AUDITOR])
    external = UserFactory()
    assign_perm("audits.view_evidencepack", external, pack)
    assert client_for(external).get(reverse("packs:detail", args=[pack.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "days", "field_message"),
    [
        ("", 5, "Enter the email address"),
        ("nobody@nowhere.example", 5, "Invite this person as an external auditor first"),
        ("grantee@audit.example", -1, "The last day must be today or in the future"),
        ("grantee@audit.example", 400, "within a year"),
    ],
    ids=["no-email", "unknown-email", "past-date", "too-long"],
)
def test_bad_grants_show_errors_and_grant_nothing(
    two_councils, client_for, email, days, field_message
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    external_auditor(auditor, "grantee@audit.example")
    pack = _pack(auditor)
    client = client_for(auditor)
    last = timezone.localdate() + timedelta(days=days)
    response = client.post(
        reverse("packs:grant", args=[pack.pk]),
        {
            "email": email,
            "expires_on_0": str(last.day),
            "expires_on_1": str(last.month),
            "expires_on_2": str(last.year),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and field_message in body
    assert not EvidencePackGrant.objects.exists()


@pytest.mark.django_db
def test_nothing_of_another_council_on_the_pages(two_councils, client_for, eager):
    pack = _built(two_councils["alpha"]["people"][Role.AUDITOR])
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    for url in (reverse("packs:list"), reverse("packs:detail", args=[pack.pk])):
        assert MARKER_B not in client.get(url).content.decode()


# --- refusals on the writes: another council, other roles, a person a pack is shared with ----


def _share(pack, person, *, by, days=5) -> EvidencePackGrant:
    return pack_services.evidence_pack_grant(
        actor=by,
        pack=pack,
        email=person.email or person.username,
        expires_on=timezone.localdate() + timedelta(days=days),
    )


def _grant_body(email="grantee@audit.example", days=5) -> dict:
    last = timezone.localdate() + timedelta(days=days)
    return {
        "email": email,
        "expires_on_0": str(last.day),
        "expires_on_1": str(last.month),
        "expires_on_2": str(last.year),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.COUNCIL_ADMIN])
def test_another_council_cannot_remove_a_grant_nor_share_nor_retry(two_councils, client_for, role):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _pack(auditor)
    DocumentJob.objects.filter(pk=pack.job_id).update(status=JobStatus.FAILED)
    external_auditor(auditor, "grantee@audit.example")
    grant = _share(pack, external_auditor(auditor), by=auditor)
    other = client_for(two_councils["bravo"]["people"][role])
    remove = other.post(reverse("packs:grant-remove", args=[pack.pk, grant.pk]))
    missing = other.post(reverse("packs:grant-remove", args=[pack.pk + 1000, grant.pk]))
    assert remove.status_code == missing.status_code == 404
    share = other.post(reverse("packs:grant", args=[pack.pk]), _grant_body())
    # Only auditors share: a council administrator is refused before the pack is looked up.
    assert share.status_code == (404 if role == Role.AUDITOR else 403)
    if role == Role.AUDITOR:
        assert other.post(reverse("packs:retry", args=[pack.pk])).status_code == 404
    assert list(EvidencePackGrant.objects.all()) == [grant]
    assert DocumentJob.objects.get(pk=pack.job_id).status == JobStatus.FAILED


@pytest.mark.django_db
def test_a_missing_grant_of_an_own_pack_is_not_found(two_councils, client_for):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _pack(auditor)
    other_pack = _pack(auditor)
    grant = _share(other_pack, external_auditor(auditor), by=auditor)
    client = client_for(auditor)
    # A grant of another pack is not this pack's grant.
    assert client.post(reverse("packs:grant-remove", args=[pack.pk, grant.pk])).status_code == 404
    assert EvidencePackGrant.objects.filter(pk=grant.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.AUDITOR, Role.COUNCIL_ADMIN}))
def test_other_roles_cannot_retry_share_or_remove_a_grant(two_councils, client_for, role):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _pack(auditor)
    DocumentJob.objects.filter(pk=pack.job_id).update(status=JobStatus.FAILED)
    external_auditor(auditor, "grantee@audit.example")
    grant = _share(pack, external_auditor(auditor), by=auditor)
    client = client_for(two_councils["alpha"]["people"][role])
    assert client.post(reverse("packs:retry", args=[pack.pk])).status_code == 403
    assert client.post(reverse("packs:grant", args=[pack.pk]), _grant_body()).status_code == 403
    remove = client.post(reverse("packs:grant-remove", args=[pack.pk, grant.pk]))
    assert remove.status_code == 403
    assert list(EvidencePackGrant.objects.all()) == [grant]
    assert DocumentJob.objects.get(pk=pack.job_id).status == JobStatus.FAILED


@pytest.mark.django_db
def test_an_external_auditor_a_pack_is_shared_with_cannot_pass_it_on(
    two_councils, client_for, eager
):
    """Shared with an external auditor, the pack opens for them, but they hold no role in the
    council: they cannot share it, remove its grants, retry it or reach it through the API."""
    alpha_auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    external = external_auditor(alpha_auditor)
    pack = _built(alpha_auditor)
    grant = _share(pack, external, by=alpha_auditor)
    external_auditor(alpha_auditor, "grantee@audit.example")
    client = client_for(external)
    page = client.get(reverse("packs:detail", args=[pack.pk]))
    assert page.status_code == 200 and "Share this pack" not in page.content.decode()
    assert client.post(reverse("packs:grant", args=[pack.pk]), _grant_body()).status_code == 403
    remove = client.post(reverse("packs:grant-remove", args=[pack.pk, grant.pk]))
    assert remove.status_code == 403
    assert client.post(reverse("packs:retry", args=[pack.pk])).status_code == 403
    assert client.get(reverse("api-evidence-pack", args=[pack.pk])).status_code == 403
    api_grants = reverse("api-evidence-pack-grants", args=[pack.pk])
    assert client.get(api_grants).status_code == 403
    assert client.post(api_grants, {"email": "grantee@audit.example"}).status_code == 403
    assert list(EvidencePackGrant.objects.all()) == [grant]
    # Nor through the services directly: another council's auditor is told it does not exist.
    bravo_auditor = two_councils["bravo"]["people"][Role.AUDITOR]
    with pytest.raises(PermissionDenied):
        pack_services.evidence_pack_grant(
            actor=external,
            pack=pack,
            email="grantee@audit.example",
            expires_on=timezone.localdate(),
        )
    with pytest.raises(Http404):
        pack_services.evidence_pack_grant(
            actor=bravo_auditor,
            pack=pack,
            email="grantee@audit.example",
            expires_on=timezone.localdate(),
        )
    with pytest.raises(PermissionDenied):
        pack_services.evidence_pack_grant_remove(actor=external, grant=grant)
    with pytest.raises(Http404):
        pack_services.evidence_pack_grant_remove(actor=bravo_auditor, grant=grant)
    with pytest.raises(Http404):
        pack_services.evidence_pack_retry(actor=bravo_auditor, pack=pack)
    assert list(EvidencePackGrant.objects.all()) == [grant]


@pytest.mark.django_db
def test_a_pack_with_childrens_names_is_shared_only_with_someone_granted_names(
    two_councils, client_for
):
    from django.contrib.auth.models import Permission

    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    pack = _pack(auditor, "referral_records")
    EvidencePack.objects.filter(pk=pack.pk).update(include_names=True)
    grantee = external_auditor(auditor, "grantee@audit.example")
    client = client_for(auditor)
    refused = client.post(reverse("packs:grant", args=[pack.pk]), _grant_body())
    body = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in body
    assert "This pack shows children" in body
    assert not EvidencePackGrant.objects.exists()
    grantee.user_permissions.add(Permission.objects.get(codename="view_child_names"))
    shared = client.post(reverse("packs:grant", args=[pack.pk]), _grant_body())
    assert shared.status_code == 302
    assert EvidencePackGrant.objects.get().user == grantee


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period_start_2": "1999"}, "in 2000 or later"),
        ({"period_start_2": "2015"}, "6 years or shorter"),
        ({"as_at_2": "2024", "as_at_1": "1"}, "the same as or after the start"),
    ],
    ids=["before-2000", "too-long", "as-at-before-start"],
)
def test_the_services_date_rules_show_on_the_form_at_once(
    two_councils, client_for, overrides, message
):
    """The form shows the service's own date rules beside a missing kind, in one go."""
    client = client_for(two_councils["alpha"]["people"][Role.AUDITOR])
    response = client.post(reverse("packs:request"), _form(kind="", **overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and "Choose which evidence pack you need" in body
    assert not EvidencePack.objects.exists() and not DocumentJob.objects.exists()


@pytest.mark.django_db
def test_a_pack_built_before_its_page_shows_reads_ready_and_never_being_built(
    two_councils, client_for, django_capture_on_commit_callbacks
):
    auditor = two_councils["alpha"]["people"][Role.AUDITOR]
    client = client_for(auditor)
    with mock.patch.object(jobs, "job_queue"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("packs:request"), _form())
    pack = EvidencePack.objects.get()
    DocumentJob.objects.filter(pk=pack.job_id).update(status=JobStatus.DONE, progress=100)
    body = client.get(response["Location"]).content.decode()
    assert "Ready" in body and "requested" in body
    assert "being built" not in body
