"""What every app's forms share."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError

from shortbreaks.errors import TransitionNotAllowed

DATE_HINT = "For example, 27 3 2027"

_PARTS = ("day", "month", "year")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


class GovDateWidget(DateInputWidget):
    """The day, month and year boxes, numeric keypads on phones. A value given as an ISO date
    string (answers kept in the session) is shown in the boxes as a date is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for widget in self.widgets:
            widget.attrs["inputmode"] = "numeric"
            widget.attrs["spellcheck"] = "false"

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return None, None, None
        return super().decompress(value)


class GovDateField(DateInputField):
    """Day, month and year boxes (GOV.UK date input), the one field for every date a person
    types. Its messages say which date is wrong and how, as the design system's pattern does:
    `what` is how they name it ("the date of the visit"):

    - nothing entered: "Enter the date of the visit";
    - a box left empty: "The date of the visit must include a month";
    - not a date: "The date of the visit must be a real date".

    Only the boxes at fault are highlighted (the day of a day the month does not have), and
    every box when the date is missing or a service refuses it.
    A hint with an example date is shown unless the form gives its own."""

    widget = GovDateWidget

    def __init__(self, *, what: str, subject: str = "", **kwargs):
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(**kwargs)
        self.what = what
        self.subject = subject or what[:1].upper() + what[1:]
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["invalid"] = f"{self.subject} must be a real date"

    def _fault(self, indexes, message: str, code: str) -> ValidationError:
        for index in indexes:
            self.fields[index].widget.errors.append(message)
        return ValidationError(message, code=code)

    def clean(self, value):
        for field in self.fields:
            field.widget.errors = []
        if self.disabled and not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        if not isinstance(value, (list, tuple)):
            value = ()
        parts = [str(part or "").strip() for part in (*value, "", "", "")[:3]]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [index for index, part in enumerate(parts) if not part]
        if missing:
            names = [_PARTS[index] for index in missing]
            message = f"{self.subject} must include a {' and '.join(names)}"
            raise self._fault(missing, message, "incomplete")
        day, month, year = parts
        month_number = _MONTHS.get(month.lower()) if not month.isdigit() else None
        numbers = [
            int(day) if re.fullmatch(r"[0-9]{1,2}", day) else None,
            month_number or (int(month) if re.fullmatch(r"[0-9]{1,2}", month) else None),
            int(year) if re.fullmatch(r"[0-9]{4}", year) else None,
        ]
        wrong = [
            index
            for index, (number, low, high) in enumerate(
                zip(numbers, (1, 1, 1000), (31, 12, 9999), strict=True)
            )
            if number is None or not low <= number <= high
        ]
        if wrong:
            raise self._fault(wrong, self.error_messages["invalid"], "invalid")
        try:
            out = date(numbers[2], numbers[1], numbers[0])
        except ValueError:
            raise self._fault([0], self.error_messages["invalid"], "invalid") from None
        self.validate(out)
        self.run_validators(out)
        return out


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Show a service's refusal on the form: each field's messages beside that field, anything
    else (a state that forbids the step, a message about the whole record) at the top."""
    if isinstance(error, TransitionNotAllowed):
        form.add_error(None, error.reason)
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    for message in getattr(error, "messages", [str(error)]):
        form.add_error(None, message)


def date_field(
    label: str, *, required: bool = True, help_text: str = DATE_HINT, what: str = ""
) -> GovDateField:
    """The day, month and year boxes, named in messages after the label ("Enter the end date")."""
    return GovDateField(
        label=label,
        required=required,
        help_text=help_text,
        what=what or "the " + label.removesuffix(" (optional)").lower(),
    )


class SessionFormMixin:
    """Round trip of cleaned answers through the session, as JSON-friendly strings."""

    def answers(self) -> dict[str, str]:
        out = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, date):
                out[name] = value.isoformat()
            elif isinstance(value, bool):
                out[name] = "yes" if value else "no"
            elif value is None:
                out[name] = ""
            else:
                out[name] = str(value)
        return out

    @classmethod
    def values(cls, answers: dict[str, str]) -> dict:
        """The answers as the services take them."""
        fields = cls.base_fields
        out: dict = {}
        for name, field in fields.items():
            raw = answers.get(name, "")
            if isinstance(field, DateInputField):
                out[name] = date.fromisoformat(raw) if raw else None
            elif isinstance(field, forms.DecimalField):
                try:
                    out[name] = Decimal(raw) if raw else None
                except InvalidOperation:
                    out[name] = None
            elif isinstance(field, forms.BooleanField) or name in getattr(cls, "yes_no", ()):
                out[name] = raw == "yes"
            else:
                out[name] = raw
        return out

    @classmethod
    def initial_from(cls, answers: dict[str, str] | None) -> dict:
        """The answers as a form's initial values, so "Change" shows what was entered."""
        if not answers:
            return {}
        initial = cls.values(answers)
        for name in getattr(cls, "yes_no", ()):
            initial[name] = answers.get(name, "")
        return initial


# Financial years run April to March, written as people write them ("2024/25"); the database
# keeps the year they start (2024).
_FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2}|\d{4})\s*$")
FINANCIAL_YEAR_HELP = "For example, 2024/25 (April 2024 to March 2025)"
FINANCIAL_YEAR_ERROR = "Enter the financial year like 2024/25"


def parse_financial_year(text: str) -> int:
    """The year a financial year starts: "2024/25", "2024-25" and "2024/2025" all give 2024."""
    match = _FINANCIAL_YEAR.match(text or "")
    if not match:
        raise ValidationError(FINANCIAL_YEAR_ERROR, code="invalid")
    start, end = int(match.group(1)), match.group(2)
    expected_end = start + 1
    if int(end) != (expected_end if len(end) == 4 else expected_end % 100):
        raise ValidationError(
            "The financial year must run from one April to the next March, like 2024/25",
            code="invalid",
        )
    return start


def financial_year_label(start: int) -> str:
    """2024 -> "2024/25"."""
    return f"{start}/{(start + 1) % 100:02d}"


class FinancialYearField(forms.CharField):
    """A financial year written "2024/25"; cleans to the year it starts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Financial year")
        kwargs.setdefault("help_text", FINANCIAL_YEAR_HELP)
        kwargs.setdefault("max_length", 9)
        kwargs.setdefault("error_messages", {"required": "Enter the financial year, like 2024/25"})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return financial_year_label(value) if isinstance(value, int) else value

    def clean(self, value):
        text = super().clean(value)
        return parse_financial_year(text) if text else None


class PoundsField(forms.DecimalField):
    """An amount in pounds; "£1,930,000" and "1930000.00" both work."""

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter the {what} in pounds",
                "invalid": f"Enter the {what} as an amount in pounds, like 1930000",
                "max_digits": f"The {what} must be less than £10,000,000,000",
                "max_whole_digits": f"The {what} must be less than £10,000,000,000",
                "max_decimal_places": f"Enter the {what} in pounds and pence, like 1930000.50",
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "")
        return super().to_python(value)
