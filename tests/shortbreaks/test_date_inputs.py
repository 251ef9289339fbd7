"""Every date a person types is the GOV.UK date input: day, month and year boxes, with a hint, the
design system's messages and the box at fault highlighted. One field does it, `GovDateField`.

The sweep imports every form of the project's apps and fails on any date taken in one box (a
`forms.DateField`, a `DateInput`, or the date input without the product's messages)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date
from pathlib import Path

import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from shortbreaks.councils.models import Role
from shortbreaks.forms import DATE_HINT, GovDateField
from tests.builders import make_contract
from tests.clock import frozen_today  # noqa: F401
from tests.dates import date_boxes

# ----------------------------------------------------------------------------------------------
# The sweep


def _project_apps() -> list[str]:
    root = Path(settings.BASE_DIR).resolve()
    names = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and ".venv" not in path.parts:
            names.append(config.name)
    return names


def _form_modules(app: str) -> list[str]:
    """The app's modules of forms: `forms`, `forms/*`, `*_forms`."""
    package = importlib.import_module(app)
    found = []
    for module in pkgutil.walk_packages(package.__path__, f"{app}."):
        last = module.name.rsplit(".", 1)[-1]
        if "forms" in module.name.removeprefix(f"{app}.").split(".") or last.endswith("forms"):
            found.append(module.name)
    return found


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_forms() -> list[type[forms.BaseForm]]:
    project = _project_apps()
    for app in project:
        for name in _form_modules(app):
            importlib.import_module(name)
    importlib.import_module(settings.ROOT_URLCONF)  # and any form a view module defines
    seen = {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.split(".")[0] in {app.split(".")[0] for app in project}
        and not cls.__module__.startswith("tests.")
    }
    return sorted(seen, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def single_box_dates(fields: dict[str, forms.Field]) -> list[str]:
    """The names of the fields that take a date other than through `GovDateField`."""
    wrong = []
    for name, field in fields.items():
        if isinstance(field, GovDateField):
            continue
        if (
            isinstance(field, (forms.DateField, forms.DateTimeField, DateInputField))
            or isinstance(field.widget, (forms.DateInput, forms.DateTimeInput))
            or isinstance(field, forms.MultiValueField)
            and isinstance(field.widget, forms.MultiWidget)
            and any(isinstance(w, forms.DateInput) for w in field.widget.widgets)
        ):
            wrong.append(name)
    return wrong


def _instance_fields(cls) -> dict[str, forms.Field]:
    """The fields a form has once made, where it can be made without arguments (some add their
    fields in `__init__`)."""
    try:
        return cls().fields
    except Exception:  # a form that needs the records it chooses from
        return {}


def test_the_sweep_finds_the_forms():
    found = {cls.__qualname__ for cls in _project_forms()}
    assert len(found) > 60
    # The forms that once took a date in one box are among those swept.
    assert {"ContractForm", "DPSForm", "ProviderStatusForm", "ReviewForm", "SendForm"} <= found


@pytest.mark.django_db
def test_no_form_takes_a_date_in_one_box():
    offenders = []
    for cls in _project_forms():
        fields = {**cls.base_fields, **_instance_fields(cls)}
        offenders += [
            f"{cls.__module__}.{cls.__qualname__}.{name}" for name in single_box_dates(fields)
        ]
    assert offenders == []


def test_the_sweep_would_catch_a_single_box_date():
    class OneBox(forms.Form):
        on = forms.DateField(label="Date")
        typed = forms.CharField(widget=forms.DateInput)
        plain = DateInputField(label="Date")
        boxes = GovDateField(what="the date", label="Date")
        other = forms.CharField()

    assert single_box_dates(OneBox.base_fields) == ["on", "typed", "plain"]


def test_the_once_single_box_dates_are_the_shared_field():
    from brokerage.forms import AnswerForm, RequirementForm, SendForm
    from contracts.forms.dps import DPSApplyForm, DPSForm, MembershipTransitionForm
    from contracts.forms.register import (
        AwardForm,
        ContractFilterForm,
        ContractForm,
        RecommissioningForm,
        TerminateForm,
    )
    from providers.forms.providers import ProviderStatusForm, RegistrationForm
    from referrals.forms.packages import OvernightStayForm, PackageForm
    from referrals.forms.reviews import ReviewForm

    dates = {
        ContractFilterForm: ["ends_before"],
        ContractForm: ["date_signed", "start_date", "end_date", "max_extent_date"],
        TerminateForm: ["on"],
        RecommissioningForm: ["started_on"],
        AwardForm: ["awarded_on"],
        DPSForm: ["start_date", "end_date"],
        DPSApplyForm: ["on"],
        MembershipTransitionForm: ["on"],
        ProviderStatusForm: ["on"],
        RegistrationForm: ["rating_date"],
        ReviewForm: ["held_on", "family_told_on", "lines_end_on"],
        PackageForm: ["start_on", "end_on"],
        OvernightStayForm: ["first_night", "last_night"],
        RequirementForm: ["start_date"],
        SendForm: ["deadline"],
        AnswerForm: ["start_date"],
    }
    for cls, names in dates.items():
        for name in names:
            assert isinstance(cls.base_fields[name], GovDateField), (cls.__name__, name)


# ----------------------------------------------------------------------------------------------
# The field


class _Form(forms.Form):
    ends = GovDateField(what="the date the contract ends", label="Date the contract ends")
    signed = GovDateField(what="the date signed", label="Date signed", required=False)


def _errors(data: dict) -> tuple[dict, list]:
    form = _Form(data)
    form.is_valid()
    boxes = [bool(box.widget.errors) for box in form.fields["ends"].fields]
    return {name: list(messages) for name, messages in form.errors.items()}, boxes


@pytest.mark.parametrize(
    ("typed", "message", "boxes"),
    [
        (None, "Enter the date the contract ends", [False, False, False]),
        ("31//2027", "The date the contract ends must include a month", [False, True, False]),
        ("//2027", "The date the contract ends must include a day and month", [True, True, False]),
        ("31/3/", "The date the contract ends must include a year", [False, False, True]),
        ("/3/", "The date the contract ends must include a day and year", [True, False, True]),
        ("31/2/2027", "The date the contract ends must be a real date", [True, False, False]),
        ("31/13/2027", "The date the contract ends must be a real date", [False, True, False]),
        ("x/3/2027", "The date the contract ends must be a real date", [True, False, False]),
        ("31/3/27", "The date the contract ends must be a real date", [False, False, True]),
        ("0/0/2027", "The date the contract ends must be a real date", [True, True, False]),
    ],
)
def test_messages_follow_the_design_system_and_mark_the_box_at_fault(typed, message, boxes):
    errors, marked = _errors(date_boxes("ends", typed))
    assert errors == {"ends": [message]}
    assert marked == boxes


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31/3/2027", date(2027, 3, 31)),
        ("01/03/2027", date(2027, 3, 1)),
        (" 1 / 3 / 2027 ", date(2027, 3, 1)),
        ("1/Mar/2027", date(2027, 3, 1)),
        ("1/march/2027", date(2027, 3, 1)),
        ("29/2/2028", date(2028, 2, 29)),
    ],
)
def test_a_real_date_is_taken(typed, expected):
    day, month, year = typed.split("/")
    form = _Form({"ends_0": day, "ends_1": month, "ends_2": year})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"ends": expected, "signed": None}


def test_an_optional_date_may_be_left_empty_but_not_half_filled():
    form = _Form({**date_boxes("ends", "1/4/2027"), "signed_1": "4"})
    assert not form.is_valid()
    assert form.errors == {"signed": ["The date signed must include a day and year"]}


def test_a_hint_is_shown_unless_the_form_gives_its_own():
    assert _Form.base_fields["ends"].help_text == DATE_HINT == "For example, 27 3 2027"
    own = GovDateField(what="the date", help_text="The date it was terminated.")
    assert own.help_text == "The date it was terminated."


def test_a_date_or_an_iso_string_is_shown_in_the_three_boxes():
    for initial in (date(2027, 3, 31), "2027-03-31"):
        html = str(_Form(initial={"ends": initial})["ends"])
        assert 'name="ends_0" value="31"' in html
        assert 'name="ends_1" value="3"' in html
        assert 'name="ends_2" value="2027"' in html
        assert 'inputmode="numeric"' in html
    assert 'value="' not in str(_Form(initial={"ends": "not a date"})["ends"])


def test_the_review_answers_come_back_in_the_boxes():
    from referrals.forms.reviews import ReviewForm

    data = ReviewForm.data_from({"held_on": "2025-09-01", "family_told_on": "", "outcome": "cease"})
    assert data == {"held_on_0": "1", "held_on_1": "9", "held_on_2": "2025", "outcome": "cease"}


# ----------------------------------------------------------------------------------------------
# On a page


def _input_class(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return re.search(r'class="([^"]*)"', tag).group(1)


@pytest.mark.usefixtures("frozen_today")
def test_a_page_marks_the_box_at_fault_and_links_it_once(two_councils, client_for):
    people = two_councils["alpha"]["people"]
    contract = make_contract(people[Role.COMMISSIONER])
    client = client_for(people[Role.CONTRACT_MANAGER])
    url = reverse("contracts:terminate", args=[contract.pk])

    form = client.get(url).content.decode()
    assert "govuk-date-input" in form
    assert "For example, 27 3 2027" in form

    page = client.post(url, {**date_boxes("on", "1//"), "reason": "Ended early."}).content.decode()
    message = "The date the contract ends must include a month and year"
    assert page.count(f'<a href="#id_on_1">{message}</a>') == 1  # once, at the first box at fault
    assert "govuk-input--error" not in _input_class(page, "on_0")
    assert "govuk-input--error" in _input_class(page, "on_1")
    assert "govuk-input--error" in _input_class(page, "on_2")

    page = client.post(url, {**date_boxes("on", None), "reason": "Ended early."}).content.decode()
    assert '<a href="#id_on_0">Enter the date the contract ends</a>' in page
    for box in ("on_0", "on_1", "on_2"):
        assert "govuk-input--error" in _input_class(page, box)
    contract.refresh_from_db()
    assert contract.status == "active"
