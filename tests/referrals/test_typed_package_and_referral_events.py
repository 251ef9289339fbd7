"""A package's history and a referral's changes are typed events. A package row keeps what
happened as parameters; a referral row keeps its statuses and reason in columns and gains the
kind of change it was. Either way the timeline words them as it did before kinds were typed."""

import json
import string
from datetime import date

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from referrals.census_codes import ClosureReason
from referrals.models import (
    PackageEvent,
    PackageEventKind,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralStatus,
)
from referrals.selectors.timeline import child_timeline
from referrals.services import packages as package_services
from referrals.services import referrals as referral_services
from shortbreaks import states
from tests.referrals.builders import TODAY, build_world, make_package, screened_referral

SAMPLES = {
    "next_review_due": date(2026, 4, 1),
    "deadline": date(2026, 6, 22),
    "unit_rate": 1027.8,
    "members": 3,
    "request_id": 7,
    "nights_per_year": 36,
}


def _stored(params: dict) -> dict:
    """As the database gives them back: dates as text."""
    return json.loads(json.dumps(params, cls=DjangoJSONEncoder))


def _kinds(model) -> set[str]:
    return {value for value, _ in model._meta.get_field("kind").choices}


@pytest.mark.parametrize("kind", PackageEventKind.values)
def test_every_package_kind_has_a_summary(kind):
    declared = {key[0] if isinstance(key, tuple) else key for key in PackageEvent.SUMMARIES}
    assert kind in declared


@pytest.mark.parametrize("key", list(PackageEvent.SUMMARIES), ids=str)
def test_every_package_summary_renders_from_its_params_without_text(key):
    template = PackageEvent.SUMMARIES[key]
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    params = {name: SAMPLES.get(name, f"<{name}>") for name in names}
    kind = key
    if isinstance(key, tuple):
        kind, params["step"] = key
    summary = PackageEvent(kind=kind, params=_stored(params)).summary
    assert summary and "{" not in summary
    assert all(value in summary for value in params.values() if str(value).startswith("<"))


# Each kind's parameters as its writer keeps them, and the sentence the timeline showed before.
AS_BEFORE = {
    "proposed": ("proposed", {}, "Package proposed for the panel."),
    "hours": (
        "line_added",
        {
            "step": "hours",
            "service": "Community buddying",
            "provider": "Aspire Living",
            "hours_per_week": "6.50",
            "ratio": "2:1",
        },
        "Community buddying from Aspire Living, 6.50 hours a week at 2:1.",
    ),
    "nights": (
        "line_added",
        {
            "step": "nights",
            "service": "Overnight short breaks",
            "provider": "Harborne Children's Respite",
            "nights_per_year": 36,
            "ratio": "1:1",
        },
        "Overnight short breaks from Harborne Children's Respite, 36 nights a year at 1:1.",
    ),
    "line_ended": (
        "line_ended",
        {"line": "Support at home (commissioned)", "reason": "Reduced at review."},
        "Support at home (commissioned) ended: Reduced at review.",
    ),
    "panel": (
        "panel",
        {"decision": "deferred", "decision_label": "deferred", "reasons": "Staff to confirm."},
        "Panel deferred: Staff to confirm.",
    ),
    "started": (
        "started",
        {"next_review_due": date(2026, 4, 1)},
        "Support started; first review due 01/04/2026.",
    ),
    "withdrawn": ("withdrawn", {"reason": "The family moved."}, "Withdrawn: The family moved."),
    "reviewed": (
        "reviewed",
        {"outcome": "increase", "outcome_label": "increase", "next_review_due": date(2026, 11, 6)},
        "Reviewed: increase. Next review due 06/11/2026.",
    ),
    "ceased": ("ceased", {"reasons": "Needs met."}, "Ceased at review: Needs met."),
    "brokerage raised": (
        "brokerage",
        {"step": "raised", "request_id": 4, "line": "Buddying (spot purchase)"},
        "Brokerage request 4: raised for Buddying (spot purchase).",
    ),
    "brokerage sent": (
        "brokerage",
        {"step": "sent", "request_id": 4, "members": 3, "deadline": date(2026, 6, 22)},
        "Brokerage request 4: sent to 3 DPS members, answers by 22/06/2026.",
    ),
    "brokerage awarded": (
        "brokerage",
        {
            "step": "awarded",
            "request_id": 4,
            "provider": "Our Place Schools",
            "unit_rate": 1027.8,
            "unit": "an hour",
            "contract": "HC-T3-BR1",
        },
        "Brokerage request 4: awarded to Our Place Schools at £1,027.80 an hour under call-off "
        "contract HC-T3-BR1.",
    ),
    "brokerage spot purchased": (
        "brokerage",
        {
            "step": "spot_purchased",
            "request_id": 4,
            "provider": "Crossroads Care",
            "unit_rate": 30.0,
            "unit": "a night",
            "reason": "No member can start in time.",
        },
        "Brokerage request 4: spot purchased from Crossroads Care at £30.00 a night: No member "
        "can start in time.",
    ),
    "brokerage withdrawn": (
        "brokerage",
        {"step": "withdrawn", "request_id": 4, "reason": "The family moved."},
        "Brokerage request 4: withdrawn: The family moved.",
    ),
}


@pytest.mark.parametrize("case", list(AS_BEFORE))
def test_each_package_kind_is_worded_as_before(case):
    kind, params, sentence = AS_BEFORE[case]
    assert PackageEvent(kind=kind, params=_stored(params)).summary == sentence


def test_a_package_row_written_before_kinds_were_typed_shows_its_sentence():
    for kind in ("brokerage", "panel", "line_added"):
        old = PackageEvent(kind=kind, params={"text": f"An old {kind} sentence."})
        assert old.summary == f"An old {kind} sentence."


def test_every_declared_step_of_a_referral_is_a_kind():
    declared = {t.name for t in Referral._meta.get_field("status").get_all_transitions(Referral)}
    assert declared | {"received", "closed"} == _kinds(ReferralEvent)
    assert set(ReferralEvent.SUMMARIES) == _kinds(ReferralEvent)


@pytest.mark.parametrize("reason", ["", "Decided at screening."])
def test_each_status_change_is_worded_as_the_timeline_did(reason):
    moves = {ReferralStatus.RECEIVED: ReferralEventKind.RECEIVED}
    moves |= states.declared_steps(Referral)
    for status, kind in moves.items():
        before = f"Referral: {ReferralStatus(status).label.lower()}."
        if reason:
            before += f" {reason}"
        event = ReferralEvent(kind=kind, from_status="", to_status=status, reason=reason)
        assert event.summary == before


def test_an_episode_closing_is_worded_as_the_timeline_did():
    event = ReferralEvent(
        kind=ReferralEventKind.CLOSED,
        from_status=ReferralStatus.NO_FURTHER_ACTION,
        to_status=ReferralStatus.NO_FURTHER_ACTION,
        reason="Children in need episode closed: RC8: case closed after assessment.",
    )
    assert event.summary == (
        "Referral: Children in need episode closed: RC8: case closed after assessment."
    )


@pytest.mark.django_db
def test_the_services_write_kinds_and_parameters_the_timeline_words(two_councils):
    alpha = build_world(two_councils)["alpha"]
    sw, tm, child = alpha["sw"], alpha["tm"], alpha["child"]
    referral = screened_referral(sw, child)
    referral_services.referral_close(
        actor=sw, referral=referral, closed_on=date(2025, 3, 1), reason="RC8", today=TODAY
    )
    package = make_package(sw, tm, child, alpha["offer"], status="approved")
    package_services.package_withdraw(
        actor=sw, package=package, on=date(2025, 2, 25), reason="The family moved away."
    )

    referral_events = list(referral.events.order_by("on", "id"))
    assert [e.kind for e in referral_events] == [
        "received",
        "screen",
        "accept_for_assessment",
        "closed",
    ]
    assert referral_events[0].params == {"source": referral.source}
    assert referral_events[-1].params == {"closure_reason": "RC8"}
    package_events = list(package.events.order_by("id"))
    assert [e.kind for e in package_events] == ["proposed", "line_added", "panel", "withdrawn"]
    assert not any("text" in e.params for e in package_events)
    assert package_events[1].params["hours_per_week"] == "5"

    offer = alpha["offer"]
    summaries = [entry.summary for entry in child_timeline(actor=tm, child=child)]
    for sentence in (
        f"Referral: received. Referral received from {referral.get_source_display().lower()}.",
        "Referral: screening.",
        "Referral: accepted for assessment. Screened by the team.",
        f"Referral: Children in need episode closed: {ClosureReason.RC8.label}.",
        "Package proposed for the panel.",
        f"{offer['service']} from {offer['provider']}, 5 hours a week at 1:1.",
        "Panel approved: Meets the eligibility criteria; the family needs regular breaks.",
        "Withdrawn: The family moved away.",
    ):
        assert sentence in summaries
