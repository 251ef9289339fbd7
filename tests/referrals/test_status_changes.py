"""The status changes of referrals, packages and grant payments are declared once, on the model
(docs/decisions/0026). Walking every declared step from every status, the service refuses it
exactly when `states.may` says no, and the page offers it exactly when `states.may` says yes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from referrals.models import (
    GrantApplication,
    GrantStatus,
    Package,
    PackageStatus,
    PanelOutcome,
    PaymentStatus,
    Referral,
    ReferralStatus,
    ReviewOutcome,
)
from referrals.services import grants as grant_services
from referrals.services import packages as package_services
from referrals.services import referrals as referral_services
from referrals.services import reviews as review_services
from shortbreaks import states
from shortbreaks.errors import TransitionNotAllowed
from tests.clock import frozen_today  # noqa: F401
from tests.referrals.builders import authorised_assessment, make_package, make_referral

pytestmark = pytest.mark.usefixtures("frozen_today")

REFUSED = (TransitionNotAllowed, PermissionDenied)


@pytest.fixture
def alpha(world):
    return world["alpha"]


def _steps(model, field: str = "status") -> list[str]:
    """Every declared step of the field, by name."""
    return sorted({t.name for t in model._meta.get_field(field).get_all_transitions(model)})


def assert_refused_exactly_when_not_may(obj, step: str, actor, make) -> None:
    """`make()` is the service making `step`; it is refused exactly when `states.may` is false.
    Whatever it writes is undone, so the next step starts from the same record."""
    obj.refresh_from_db()
    allowed = states.may(obj, step, actor)
    refused = None
    try:
        with transaction.atomic():
            make()
            transaction.set_rollback(True)
    except REFUSED as error:
        refused = error
    assert (refused is None) == allowed, (step, obj.status, allowed, refused)


def test_the_steps_declared_are_the_ones_walked():
    assert _steps(Referral) == sorted(
        ["screen", "accept_for_assessment", "signpost_universal", "refer_targeted"]
        + ["no_further_action"]
    )
    assert _steps(Package) == sorted(
        ["decide", "approve", "activate", "withdraw", "review", "cease"]
    )
    assert _steps(GrantApplication, "payment_status") == sorted(
        ["await_payment", "pay", "stop_payment"]
    )


@pytest.mark.django_db
def test_every_referral_step_from_every_status_is_refused_exactly_when_not_may(alpha):
    referral = make_referral(alpha["sw"], alpha["child"])
    steps = states.declared_steps(Referral)
    assert set(steps) == set(ReferralStatus.values) - {ReferralStatus.RECEIVED}
    for status in ReferralStatus.values:
        Referral.objects.filter(pk=referral.pk).update(status=status)
        for target, step in steps.items():
            assert_refused_exactly_when_not_may(
                referral,
                step,
                alpha["sw"],
                lambda target=target: referral_services.referral_transition(
                    actor=alpha["sw"],
                    referral=referral,
                    status=target,
                    on=referral.received_on,
                    reason="Screened by the team.",
                ),
            )
    # Nobody moves a referral back to received: no step is declared for it.
    with pytest.raises(TransitionNotAllowed):
        referral_services.referral_transition(
            actor=alpha["sw"],
            referral=referral,
            status=ReferralStatus.RECEIVED,
            on=referral.received_on,
        )


def _package_step(step: str, alpha, package: Package, reassessment, *, panel_actor=None):
    sw, tm = alpha["sw"], panel_actor or alpha["tm"]
    panel = {
        "reasons": "Meets the criteria.",
        "decided_on": date(2025, 2, 20),
        "members": ["Head of Service"],
    }
    review = {"held_on": package.start_on, "reasons": "Reviewed with the family."}
    return {
        "decide": lambda: package_services.panel_decision_record(
            actor=tm, package=package, decision=PanelOutcome.DEFERRED, **panel
        ),
        "approve": lambda: package_services.panel_decision_record(
            actor=tm, package=package, decision=PanelOutcome.APPROVED, **panel
        ),
        "activate": lambda: package_services.package_activate(
            actor=sw, package=package, on=package.start_on
        ),
        "withdraw": lambda: package_services.package_withdraw(
            actor=sw, package=package, on=package.start_on, reason="The family moved away."
        ),
        "review": lambda: review_services.review_record(
            actor=sw, package=package, outcome=ReviewOutcome.CONTINUE, **review
        ),
        "cease": lambda: review_services.review_record(
            actor=sw,
            package=package,
            outcome=ReviewOutcome.CEASE,
            family_views="The family agree.",
            family_told_on=package.start_on,
            reassessment=reassessment,
            **review,
        ),
    }[step]


@pytest.mark.django_db
def test_every_package_step_from_every_status_is_refused_exactly_when_not_may(alpha):
    package = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    reassessment = authorised_assessment(
        alpha["sw"], alpha["tm"], alpha["child"], authorised_on=date(2025, 2, 13)
    )
    for status in PackageStatus.values:
        for step in _steps(Package):
            Package.objects.filter(pk=package.pk).update(status=status)
            package.refresh_from_db()
            # The panel's steps are a team manager's; the rest a social worker's.
            actor = alpha["tm"] if step in ("decide", "approve") else alpha["sw"]
            assert_refused_exactly_when_not_may(
                package, step, actor, _package_step(step, alpha, package, reassessment)
            )


@pytest.mark.django_db
def test_a_social_worker_may_not_record_the_panels_decision(alpha):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed"
    )
    assert not states.may(package, "decide", alpha["sw"]) and states.may(
        package, "decide", alpha["tm"]
    )
    assert_refused_exactly_when_not_may(
        package,
        "decide",
        alpha["sw"],
        _package_step("decide", alpha, package, None, panel_actor=alpha["sw"]),
    )


@pytest.mark.django_db
def test_a_package_with_no_services_is_refused_approval_with_the_declared_reason(alpha):
    package = make_package(
        alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"], status="proposed", lines=[]
    )
    assert states.refusal(package, "approve") == "A package with no services cannot be approved."
    assert_refused_exactly_when_not_may(
        package, "approve", alpha["tm"], _package_step("approve", alpha, package, None)
    )


@pytest.mark.django_db
def test_the_package_page_offers_a_review_exactly_when_the_package_may_be_reviewed(
    alpha, client_for
):
    package = make_package(alpha["sw"], alpha["tm"], alpha["child"], alpha["offer"])
    client = client_for(alpha["sw"])
    offered = {}
    for status in PackageStatus.values:
        Package.objects.filter(pk=package.pk).update(status=status)
        package.refresh_from_db()
        page = client.get(reverse("referrals:package", args=[package.pk])).content.decode()
        offered[status] = "Record a review" in page
        assert offered[status] == states.may(package, "review", alpha["sw"]), status
        create = client.get(reverse("referrals:review-create", args=[package.pk]))
        assert (create.status_code == 200) == offered[status], status
    assert offered == {s: s == PackageStatus.ACTIVE for s in PackageStatus.values}


@pytest.mark.django_db
def test_every_payment_step_from_every_payment_status_is_refused_exactly_when_not_may(world):
    alpha = world["alpha"]
    scheme = grant_services.grant_scheme_create(
        actor=alpha["sw"],
        name="Short break grant",
        year=2024,
        eligibility_criteria="A disabled child aged 0 to 17 living in the area.",
        max_amount=Decimal("500.00"),
    )
    application = grant_services.grant_application_create(
        actor=alpha["sw"], child=alpha["child"], scheme=scheme, received_on=date(2025, 1, 6)
    )
    steps = states.declared_steps(GrantApplication, "payment_status")
    assert set(steps) == set(PaymentStatus.values) - {PaymentStatus.NOT_DUE}
    for grant_status in (GrantStatus.RECEIVED, GrantStatus.APPROVED):
        for payment_status in PaymentStatus.values:
            for target, step in steps.items():
                GrantApplication.objects.filter(pk=application.pk).update(
                    status=grant_status, payment_status=payment_status, amount=Decimal("100")
                )
                assert_refused_exactly_when_not_may(
                    application,
                    step,
                    alpha["sw"],
                    lambda target=target: grant_services.grant_payment_set(
                        actor=alpha["sw"], application=application, payment_status=target
                    ),
                )


@pytest.mark.django_db
def test_the_payment_form_offers_exactly_the_steps_that_may_be_made(world):
    from referrals.forms.grants import GrantPaymentForm

    alpha = world["alpha"]
    scheme = grant_services.grant_scheme_create(
        actor=alpha["sw"], name="Grant", year=2024, eligibility_criteria="Any child."
    )
    application = grant_services.grant_application_create(
        actor=alpha["sw"], child=alpha["child"], scheme=scheme, received_on=date(2025, 1, 6)
    )
    GrantApplication.objects.filter(pk=application.pk).update(status=GrantStatus.APPROVED)
    for payment_status in PaymentStatus.values:
        GrantApplication.objects.filter(pk=application.pk).update(payment_status=payment_status)
        application.refresh_from_db()
        form = GrantPaymentForm(application=application, actor=alpha["sw"])
        offered = {value for value, _label in form.fields["payment_status"].choices}
        expected = {
            target
            for target, step in states.declared_steps(GrantApplication, "payment_status").items()
            if states.may(application, step, alpha["sw"])
        }
        assert offered == expected, payment_status
