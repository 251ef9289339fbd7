"""What each evidence pack holds, read back from the PDF with pypdf; the manifest's hashes;
the same content for the same "as at" date; no child named unless granted."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from audits.models import EvidencePack, PackKind
from audits.packs import services as pack_services
from contracts.services.documents import contract_document_add
from contracts.services.dps import dps_membership_apply
from contracts.services.extensions import extension_create
from contracts.services.monitoring import monitoring_record_create
from referrals.services import documents as document_services
from shortbreaks.councils.models import Role
from shortbreaks.documents.models import JobStatus
from shortbreaks.documents.tasks import build_document
from tests.audits.pack_builders import (
    AS_AT,
    CHILD_MARKER,
    PERIOD,
    build_pack_world,
    pdf_text,
    section_text,
)
from tests.clock import FROZEN_TODAY, frozen_today, london  # noqa: F401
from tests.conftest import MARKER_A, MARKER_B
from tests.pdfs import assert_tagged
from tests.per_module import world_per_module

# Reads today's date beside fixed dates: runs on FROZEN_TODAY (see tests/clock.py).
pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def eager(settings):
    from shortbreaks.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = not settings.REDIS_URL


# Built once for the module (its uploads kept in a media directory of its own); each test rolls
# back its own writes.
_world_built, world = world_per_module(build_pack_world, media=True)


def request_pack(auditor, kind, *, as_at=AS_AT, **kwargs) -> EvidencePack:
    return pack_services.evidence_pack_request(
        actor=auditor,
        kind=kind,
        period_start=PERIOD[0],
        period_end=PERIOD[1],
        as_at=as_at,
        **kwargs,
    )


def built(pack: EvidencePack) -> tuple[EvidencePack, bytes]:
    assert build_document.delay(pack.job_id).get() == JobStatus.DONE
    pack.refresh_from_db()
    pack.job.refresh_from_db()
    return pack, pack.job.file.read()


def auditor_of(world, slug="alpha"):
    return world[slug]["people"][Role.AUDITOR]


@pytest.mark.django_db
def test_contract_compliance_lists_contracts_extensions_and_the_one_that_ran_past(eager, world):
    pack, data = built(request_pack(auditor_of(world), "contract_compliance"))
    text = pdf_text(data)
    assert f"Overnight {MARKER_A}" in text and f"Community {MARKER_A}" in text
    assert "Open tender" in text and "4 overnight beds" in text
    assert "Modification under the Public Contracts Regulations 2015" in text
    assert "Officer legal" in text and "Executive Director" in text
    ran_past = section_text(data, "Contracts that ran past")
    assert "LAPSED-alpha" in ran_past
    assert "EXTENDED-alpha" not in ran_past
    assert MARKER_B not in text
    # The contents page lists each section with its starting page, and they are right.
    reader = PdfReader(io.BytesIO(data))
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents and "Manifest" in contents
    outline = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    manifest_page = outline["Manifest"]
    assert "Manifest" in reader.pages[manifest_page].extract_text()
    assert f"Manifest {manifest_page + 1}" in contents.replace("\n", " ")
    # Its metadata dates are the "as at" date.
    assert reader.metadata["/CreationDate"] == "D:20250630000000Z"


@pytest.mark.django_db
def test_the_manifest_lists_records_and_documents_with_hashes_of_the_stored_files(eager, world):
    pack, data = built(request_pack(auditor_of(world), "contract_compliance"))
    document = world["alpha"]["contract_document"]
    entries = {(d["model"], d["id"]): d for d in pack.manifest["documents"]}
    entry = entries[("contracts.contractdocument", document.pk)]
    assert entry["sha256"] == hashlib.sha256(document.file.read()).hexdigest()
    assert entry["matches_recorded"] is True
    assert entry["sha256"] in pdf_text(data).replace(" ", "")
    records = {(r["model"], r["id"]) for r in pack.manifest["records"]}
    assert ("contracts.contract", world["alpha"]["lapsed"].pk) in records
    assert ("contracts.extension", world["alpha"]["extension"].pk) in records
    assert ("contracts.contract", world["bravo"]["lapsed"].pk) not in records
    assert pack.manifest["records"] == sorted(
        pack.manifest["records"], key=lambda r: (r["model"], r["id"])
    )


@pytest.mark.django_db
def test_dps_pack_shows_memberships_history_and_checks(eager, world):
    _, data = built(request_pack(auditor_of(world), "dps"))
    text = pdf_text(data)
    assert f"DPS {MARKER_A}" in text and f"Provider {MARKER_A}" in text
    assert "Under assessment" in text and "Checks begun" in text
    assert "DBS checks: not done" in text
    assert MARKER_B not in text


@pytest.mark.django_db
def test_referral_records_counts_and_list_without_names_by_default(eager, world):
    pack, data = built(request_pack(auditor_of(world), "referral_records"))
    text = pdf_text(data)
    assert "Referrals received in the period 3" in text
    assert "With forms held on the child's record 1" in text
    assert "With no form held 2" in text
    for referral in world["alpha"]["referrals"]:
        assert str(referral.pk) in text
    assert CHILD_MARKER["alpha"] not in text
    assert f"Child{MARKER_A}" not in text
    assert MARKER_B not in text
    held = world["alpha"]["held"]
    documents = {(d["model"], d["id"]): d for d in pack.manifest["documents"]}
    assert documents[("referrals.referraldocument", held.pk)]["sha256"] == (
        hashlib.sha256(held.file.read()).hexdigest()
    )


@pytest.mark.django_db
def test_names_only_for_an_auditor_granted_them(eager, world):
    auditor = auditor_of(world)
    with pytest.raises(ValidationError) as refused:
        request_pack(auditor, "referral_records", include_names=True)
    assert "include_names" in refused.value.message_dict
    auditor.user_permissions.add(Permission.objects.get(codename="view_child_names"))
    auditor = type(auditor).objects.get(pk=auditor.pk)
    _, data = built(request_pack(auditor, "referral_records", include_names=True))
    assert CHILD_MARKER["alpha"] in pdf_text(data)


@pytest.mark.django_db
def test_monitoring_pack_counts_visits_meetings_and_returns(eager, world):
    _, data = built(request_pack(auditor_of(world), "monitoring"))
    text = pdf_text(data)
    assert f"Visit {MARKER_A}" in text and f"KPI {MARKER_A}" in text
    assert "LAPSED-alpha" in text
    assert MARKER_B not in text


@pytest.mark.django_db
def test_recommendations_pack_is_the_progress_table(eager, world):
    _, data = built(request_pack(auditor_of(world), "recommendations"))
    text = pdf_text(data)
    assert f"Audit {MARKER_A}" in text and f"Recommendation {MARKER_A}" in text
    assert "Fundamental" in text and "Commissioning Manager Start Well" in text
    assert "Open" in text
    assert MARKER_B not in text


@pytest.mark.django_db
def test_the_same_as_at_gives_the_same_pack_and_later_records_are_absent(eager, world):
    auditor = auditor_of(world)
    first, first_data = built(request_pack(auditor, "contract_compliance"))
    # Recorded after the "as at" date: a new contract and a new extension.
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    from tests.builders import make_contract

    make_contract(commissioner, reference="LATER-alpha", start_date=date(2024, 4, 1))
    extension_create(
        actor=commissioner,
        contract=world["alpha"]["lapsed"],
        new_end_date=date(2026, 3, 31),
        added_value=1000,
        rationale="Recorded later than the as-at date",
        legal_basis="cpr_exemption",
    )
    second, second_data = built(request_pack(auditor, "contract_compliance"))
    assert "LATER-alpha" not in pdf_text(second_data)
    assert "Recorded later" not in pdf_text(second_data)
    assert pdf_text(first_data) == pdf_text(second_data)
    assert first.manifest == second.manifest
    assert first_data == second_data
    assert first.job.sha256 == second.job.sha256
    # A later "as at" date sees them.
    today = timezone.localdate()
    third, third_data = built(request_pack(auditor, "contract_compliance", as_at=today))
    assert "LATER-alpha" in pdf_text(third_data)


@pytest.mark.django_db
def test_the_pack_is_tagged_pdf_with_its_language_title_and_a_bookmark_per_section(eager, world):
    pack, data = built(request_pack(auditor_of(world), "contract_compliance"))
    structure = assert_tagged(data, title="Contract compliance evidence pack as at 30/06/2025")
    # One structure tree across the cover, contents and every section: tables keep their
    # header cells, and each part starts with its heading.
    assert {"Table", "TH", "TD"} <= set(structure.tags)
    assert structure.tags.count("H1") == len(PdfReader(io.BytesIO(data)).outline)
    titles = [item.title for item in PdfReader(io.BytesIO(data)).outline]
    assert titles[:2] == ["Contract compliance evidence pack", "Contents"]
    assert "Manifest" in titles


@pytest.mark.django_db
def test_the_same_pack_built_again_later_has_the_same_sha256(eager, world):
    """Nothing in the PDF comes from the clock: built again hours later, the bytes are equal."""
    from audits.packs import builder as pack_builder

    pack = request_pack(auditor_of(world), "recommendations")
    first = pack_builder.build(job=pack.job, progress=lambda *args: None)
    with time_machine.travel(london(FROZEN_TODAY + timedelta(days=1), 15, 7), tick=True):
        second = pack_builder.build(job=pack.job, progress=lambda *args: None)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


@pytest.mark.django_db
def test_the_builder_keeps_each_layout_out_of_the_collectors_way_and_writes_the_same_pack(
    eager, world
):
    """Kept apart from the collector or not (`layouts_kept`), the pack is the same bytes; each
    section's layout and the cover are kept, and nothing stays frozen after the build."""
    import gc
    from unittest import mock

    from audits.packs import builder as pack_builder

    pack = request_pack(auditor_of(world), "contract_compliance")
    gc.unfreeze()
    frozen = []
    with mock.patch.object(gc, "freeze", side_effect=lambda: frozen.append(1)):
        kept = pack_builder.build(job=pack.job, progress=lambda *args: None)
    assert gc.get_freeze_count() == 0
    templates = []
    with mock.patch.object(
        pack_builder, "render_document", wraps=pack_builder.render_document
    ) as render:
        pack_builder.build(job=pack.job, progress=lambda *args: None)
        templates = [call.args[0] for call in render.call_args_list]
    # What the process held first, then every layout but the contents (laid out again until
    # its length settles).
    assert len(frozen) == 1 + len(templates) - templates.count("audits/packs/pdf/contents.html")
    with mock.patch.object(gc, "get_freeze_count", return_value=1):  # as in a web worker
        plain = pack_builder.build(job=pack.job, progress=lambda *args: None)
    assert kept == plain


@pytest.mark.django_db
def test_the_builder_reports_progress_section_by_section(eager, world):
    from unittest import mock

    from audits.packs import builder as pack_builder

    pack = request_pack(auditor_of(world), "contract_compliance")
    notes = []
    with mock.patch.object(
        pack_builder, "render_document", wraps=pack_builder.render_document
    ) as render:
        data = pack_builder.build(job=pack.job, progress=lambda p, n="": notes.append((p, n)))
    templates = [call.args[0] for call in render.call_args_list]
    assert templates[-2:] == ["audits/packs/pdf/cover.html", "audits/packs/pdf/contents.html"]
    assert "audits/packs/pdf/contracts.html" in templates
    assert len(templates) >= 6  # each section on its own, never the pack whole
    percents = [p for p, _ in notes]
    assert percents == sorted(percents)
    assert any("Laying out" in n for _, n in notes)
    assert data.startswith(b"%PDF")


def test_footer_text_cannot_break_out_of_its_css_string():
    from audits.packs.builder import css_string

    quoted = css_string('Council "A" </style><img src=x> \\ end')
    inner = quoted[1:-1]
    assert quoted.startswith('"') and quoted.endswith('"')
    assert '"' not in inner and "<" not in inner and ">" not in inner
    assert inner.count("\\") == 8  # the quotes, angle brackets, "=" and backslash


def test_a_manifest_part_lists_each_record_under_its_kind_three_columns_to_a_page():
    """A thousand records, a part of the manifest, fit in a few pages (as one record a line they
    took 28): each id with when it was recorded, under its kind."""
    from types import SimpleNamespace

    from audits.packs.builder import MANIFEST_ROWS_PER_PART, _base_context, _manifest_sections
    from shortbreaks.documents.rendering import render_document, write_tagged_pdf

    records = [
        {"model": model, "id": pk, "recorded": f"2025-06-{1 + pk % 28:02d}T10:00:00+01:00"}
        for model, ids in (
            ("contracts.contract", range(1, 401)),
            ("referrals.referral", range(1, 601)),
        )
        for pk in ids
    ]
    assert len(records) == MANIFEST_ROWS_PER_PART
    (section,) = _manifest_sections({"records": records, "documents": []})
    council = SimpleNamespace(name="A council")
    pack = SimpleNamespace(
        council=council, as_at=AS_AT, get_kind_display=lambda: "Referral records"
    )
    document = render_document(
        section.template, {**_base_context(pack), **section.context, "section": section}
    )
    assert len(document.pages) <= 7
    reader = PdfReader(io.BytesIO(write_tagged_pdf(document)))
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    assert "referrals.referral" in lines and "contracts.contract" in lines
    listed = [line for line in lines if line[:1].isdigit() and "+01:00" in line]
    assert len(listed) == len(records)  # a line for each record
    assert "400 2025-06-09T10:00:00+01:00" in listed
    assert "600 2025-06-13T10:00:00+01:00" in listed


@pytest.mark.django_db
def test_an_extension_decision_recorded_after_as_at_does_not_change_that_as_at(world):
    """A decision entered after the "as at" day but dated before it was not on the record on
    that day: the contract's end date and value stay as they stood, and the pack is the same."""
    from audits.packs.content import contracts_as_at
    from tests.audits.pack_builders import _approve

    auditor = auditor_of(world)
    lapsed = world["alpha"]["lapsed"]
    pack = request_pack(auditor, "contract_compliance")

    def lapsed_then():
        return next(i for i in contracts_as_at(pack) if i.contract.pk == lapsed.pk)

    before = lapsed_then()
    assert before.end_date == date(2025, 3, 31) and before.ran_past
    commissioner = world["alpha"]["people"][Role.COMMISSIONER]
    late = extension_create(
        actor=commissioner,
        contract=lapsed,
        new_end_date=date(2026, 3, 31),
        added_value=1000,
        rationale="Entered after the as-at date",
        legal_basis="pcr_modification",
    )
    _approve(commissioner, late, date(2025, 3, 1))  # dated before as_at, entered today
    lapsed.refresh_from_db()
    assert lapsed.end_date == date(2026, 3, 31)
    after = lapsed_then()
    assert (after.end_date, after.total_value) == (before.end_date, before.total_value)
    assert after.ran_past == before.ran_past
    assert [e["extension"].pk for e in after.extensions] == []


def _grow(world, slug="alpha", copies=4) -> None:
    """More of every kind of row a pack reads, so a query per row would show in the count."""
    from contracts.models import ContractDocument
    from tests.audits.builders import PDF, make_recommendation, make_report
    from tests.audits.pack_builders import _approve, backdate
    from tests.builders import make_awarded_lot, make_contract, make_provider
    from tests.referrals.builders import make_child, make_referral

    people = world[slug]["people"]
    commissioner, social_worker = people[Role.COMMISSIONER], people[Role.SOCIAL_WORKER]
    auditor = people[Role.AUDITOR]
    report = make_report(auditor, report_date=date(2024, 10, 31))
    for number in range(copies):
        provider = make_provider(commissioner)
        contract = make_contract(
            commissioner,
            start_date=date(2023, 4, 1),
            end_date=date(2025, 3, 31),
            max_extent_date=date(2027, 3, 31),
        )
        make_awarded_lot(commissioner, contract, provider, number=1)
        make_awarded_lot(commissioner, contract, provider, number=2)
        extension = extension_create(
            actor=commissioner,
            contract=contract,
            new_end_date=date(2026, 3, 31),
            added_value=1000,
            rationale="Grown",
            legal_basis="pcr_modification",
        )
        _approve(commissioner, extension, date(2025, 2, 1))
        monitoring_record_create(
            actor=commissioner,
            contract=contract,
            kind="qa_visit",
            held_on=date(2025, 1, 13),
            summary="Visit",
        )
        contract_document_add(
            actor=commissioner,
            contract=contract,
            upload=ContentFile(PDF + str(number).encode()),
            title="Signed",
            name="signed.pdf",
        )
        dps_membership_apply(
            actor=commissioner, dps=world[slug]["dps"], provider=provider, on=date(2024, 6, 1)
        )
        referral = make_referral(
            social_worker, make_child(social_worker), received_on=date(2025, 2, 3)
        )
        document_services.referral_document_add(
            actor=social_worker,
            referral=referral,
            upload=ContentFile(PDF + b"grown" + str(number).encode()),
            name="form.pdf",
        )
        make_recommendation(auditor, report)
    assert ContractDocument.objects.filter(council=world[slug]["lapsed"].council).count() > copies
    backdate()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(PackKind.values))
def test_a_packs_content_reads_in_a_fixed_number_of_queries(
    world, kind, django_assert_max_num_queries
):
    """Hundreds of contracts or referrals must not mean hundreds of queries."""
    from django.template.loader import render_to_string

    from audits.packs.content import manifest_for, sections_for

    pack = request_pack(auditor_of(world), kind)
    pack = EvidencePack.objects.select_related("council").get(pk=pack.pk)

    def read_and_lay_out():
        sections = sections_for(pack)
        manifest_for(pack, sections)
        for section in sections:  # the templates too: a lazy relation in one is a query a row
            render_to_string(section.template, {**section.context, "pack": pack})
        return sections

    with django_assert_max_num_queries(20) as few:
        read_and_lay_out()
    count = len(few)
    _grow(world)
    with django_assert_max_num_queries(count):
        sections = read_and_lay_out()
    assert sum(len(s.records) for s in sections) > 0
