"""The version's status changes, declared once on the model: from every status, the service makes
the step exactly when `shortbreaks.states.may` says it may, and the staff page offers it then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shortbreaks import states
from shortbreaks.councils.models import Role
from shortbreaks.errors import TransitionNotAllowed
from statements import services
from statements.models import StatementStatus, StatementVersion
from tests.per_module import world_per_module
from tests.statements.statement_builders import TODAY, complete_draft, offer_every_category

pytestmark = pytest.mark.django_db

LATER = TODAY + timedelta(days=60)


def _offer(two_councils) -> dict:
    return {
        "offer": offer_every_category(two_councils["alpha"]["people"][Role.COMMISSIONER], "Alpha")
    }


# Alpha's offer, built once for the module; each test rolls back its own writes.
_offer_built, offer = world_per_module(_offer, name="offer")


@pytest.fixture
def alpha(two_councils, offer):
    people = two_councils["alpha"]["people"]
    return {
        "commissioner": people[Role.COMMISSIONER],
        "auditor": people[Role.AUDITOR],
        "social_worker": people[Role.SOCIAL_WORKER],
    }


def version_in(status: str, commissioner) -> StatementVersion:
    """A version of the council in `status`, reached through the services."""
    if status == StatementStatus.SUPERSEDED:
        first = version_in(StatementStatus.PUBLISHED, commissioner)
        services.statement_publish(
            actor=commissioner, version=complete_draft(commissioner), today=TODAY
        )
        first.refresh_from_db()
        return first
    version = complete_draft(commissioner)
    if status == StatementStatus.DRAFT:
        return version
    version = services.statement_consultation_start(
        actor=commissioner, version=version, closes_on=TODAY + timedelta(days=30), today=TODAY
    )
    if status == StatementStatus.CONSULTATION:
        return version
    return services.statement_publish(
        actor=commissioner, version=version, today=TODAY, confirm_open_consultation=True
    )


# Each declared step with the service that makes it.
SERVICES = {
    "edit": lambda actor, v: services.statement_update(actor=actor, version=v, title="Renamed"),
    "start_consultation": lambda actor, v: services.statement_consultation_start(
        actor=actor, version=v, closes_on=LATER, today=TODAY
    ),
    "publish": lambda actor, v: services.statement_publish(
        actor=actor, version=v, today=TODAY, confirm_open_consultation=True
    ),
    "set_review_date": lambda actor, v: services.statement_review_date_set(
        actor=actor, version=v, review_on=LATER + timedelta(days=400), today=TODAY
    ),
    "take_views": lambda actor, v: services.feedback_submit(
        version=v, views="Good breaks.", today=TODAY
    ),
}
STATUSES = list(StatementStatus.values)


def assert_service_agrees(step: str, version: StatementVersion, actor) -> None:
    """The service refuses (409 reason or 403) exactly when the declaration says it may not."""
    allowed = (
        states.refusal(version, step) is None
        if step == "take_views"
        else states.may(version, step, actor)
    )
    try:
        SERVICES[step](actor, version)
    except TransitionNotAllowed as refused:
        assert not allowed, f"{step} refused on a {version.status} version: {refused.reason}"
        if states.permitted(version, step, actor):
            assert refused.reason == states.refusal(version, step)
    except PermissionDenied:
        assert not allowed
        assert not states.permitted(version, step, actor)
    else:
        assert allowed, f"{step} made on a {version.status} version"


def test_every_step_is_declared_with_a_label_and_a_refusal():
    for step in [*SERVICES, "supersede"]:
        meta = getattr(StatementVersion, step)._django_fsm
        for transition in meta.transitions.values():
            assert transition.custom["label"]
            assert transition.custom["refused"]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("step", list(SERVICES))
def test_the_service_refuses_exactly_when_the_step_is_not_allowed(alpha, status, step):
    version = version_in(status, alpha["commissioner"])
    assert_service_agrees(step, version, alpha["commissioner"])


@pytest.mark.parametrize("status", [StatementStatus.DRAFT, StatementStatus.CONSULTATION])
@pytest.mark.parametrize("step", ["edit", "start_consultation", "publish", "set_review_date"])
def test_a_role_without_the_permission_may_not_and_is_refused(alpha, status, step):
    version = version_in(status, alpha["commissioner"])
    assert not states.may(version, step, alpha["auditor"])
    assert_service_agrees(step, version, alpha["auditor"])


@pytest.mark.parametrize("status", STATUSES)
def test_only_the_published_version_may_be_superseded(alpha, status):
    version = version_in(status, alpha["commissioner"])
    assert states.may(version, "supersede", alpha["commissioner"]) == (
        status == StatementStatus.PUBLISHED
    )
    if status != StatementStatus.PUBLISHED:
        with pytest.raises(TransitionNotAllowed):
            states.step(version, "supersede", alpha["commissioner"])


def test_publishing_supersedes_through_the_declared_step(alpha):
    first = version_in(StatementStatus.PUBLISHED, alpha["commissioner"])
    services.statement_publish(
        actor=alpha["commissioner"], version=complete_draft(alpha["commissioner"]), today=TODAY
    )
    first.refresh_from_db()
    assert first.status == StatementStatus.SUPERSEDED
    assert first.superseded_on == TODAY


@pytest.mark.parametrize("status", STATUSES)
def test_the_version_page_offers_exactly_the_steps_allowed(client, alpha, status):
    commissioner = alpha["commissioner"]
    version = version_in(status, commissioner)
    client.force_login(commissioner)
    page = client.get(reverse("statements:manage-version", args=[version.pk])).content.decode()
    links = {
        "edit": reverse("statements:manage-section", args=[version.pk, "introduction"]),
        "start_consultation": reverse("statements:manage-consultation", args=[version.pk]),
        "publish": reverse("statements:manage-publish", args=[version.pk]),
        "set_review_date": reverse("statements:manage-review-date", args=[version.pk]),
    }
    for step, url in links.items():
        assert (f'href="{url}"' in page) == states.may(version, step, commissioner), step
