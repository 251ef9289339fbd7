"""One status tag, one colour for each status value, on every page."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.template import Context, Template

from referrals.models import Referral
from shortbreaks.templatetags.status_tags import STATUS_COLOURS, status_colour

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
GOVUK_TAG_COLOURS = {
    "grey",
    "green",
    "turquoise",
    "blue",
    "light-blue",
    "purple",
    "pink",
    "red",
    "orange",
    "yellow",
}


def _status_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            if not choices:
                continue
            if field.name == "status" or field.name.endswith("_status"):
                yield model, field, choices
    from brokerage.models import ResponseOutcome

    yield None, "outcome", ResponseOutcome.choices


STATUS_FIELDS = list(_status_fields())


def test_status_fields_are_found():
    labels = {model._meta.label for model, _, _ in STATUS_FIELDS if model}
    assert {"referrals.Referral", "contracts.Contract", "referrals.Package"} <= labels


@pytest.mark.parametrize(
    ("model", "field", "choices"),
    STATUS_FIELDS,
    ids=[
        f"{m._meta.label if m else 'brokerage'}.{getattr(f, 'name', f)}"
        for m, f, _ in STATUS_FIELDS
    ],
)
def test_every_status_value_of_every_model_has_a_colour(model, field, choices):
    missing = [value for value, _ in choices if value not in STATUS_COLOURS]
    assert not missing, f"no tag colour for {missing}"


def test_every_colour_is_a_govuk_tag_colour():
    assert set(STATUS_COLOURS.values()) <= GOVUK_TAG_COLOURS


def _render(source: str, **context) -> str:
    return Template("{% load status_tags %}" + source).render(Context(context))


def test_a_record_shows_its_status_label_in_its_colour():
    referral = Referral(status="screening")
    html = _render("{% status_tag referral %}", referral=referral)
    assert html == '<strong class="govuk-tag govuk-tag--yellow">Screening</strong>'


def test_another_status_field_and_given_words():
    from referrals.models import GrantApplication

    application = GrantApplication(status="approved", payment_status="awaiting_payment")
    html = _render('{% status_tag application field="payment_status" %}', application=application)
    assert html == '<strong class="govuk-tag govuk-tag--yellow">Awaiting payment</strong>'
    html = _render('{% status_tag "cancelled_late" "Cancelled late" %}')
    assert html == '<strong class="govuk-tag govuk-tag--red">Cancelled late</strong>'


def test_a_value_alone_is_worded_from_the_value_and_an_unknown_one_is_grey():
    assert _render('{% status_tag "in_progress" %}') == (
        '<strong class="govuk-tag govuk-tag--blue">In progress</strong>'
    )
    assert status_colour("something_new") == "grey"


def test_words_are_escaped():
    html = _render("{% status_tag value words %}", value="draft", words="<b>x</b>")
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_the_same_value_has_the_same_colour_for_every_model():
    # "Screening", "Approved" and the rest are one colour whichever record they belong to.
    for _model, _field, choices in STATUS_FIELDS:
        for value, _ in choices:
            assert status_colour(value) == STATUS_COLOURS[value]


# A tag whose colour is chosen in the template by comparing a status value ("status == 'x'" beside
# "govuk-tag--") would give that status a colour of its own.
_COMPARED = r"status\s*==\s*['\"][a-z_]+['\"]"
_HAND_COLOURED = re.compile(rf"{_COMPARED}[^\n]*govuk-tag--|govuk-tag--[^\n]*{_COMPARED}")


def test_no_template_colours_a_status_by_hand():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if _HAND_COLOURED.search(path.read_text())
    ]
    assert not offenders
