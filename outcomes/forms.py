"""Forms for surveys: setting one up, adding a question, and answering (the parent carer's form
and the child's easy-read form, made from the survey's questions and the services the child used).
They check the shape of the answers; `outcomes.services` decides what is accepted."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from outcomes.models import Face, Question, QuestionKind, Rating, Respondent, TimeUse
from outcomes.services import TEXT_LIMIT, ServiceUsed
from shortbreaks.forms import GovDateField


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields, Button("submit", button))
    return helper


class SurveyForm(forms.Form):
    title = forms.CharField(
        label="Title",
        help_text="For example, Short breaks survey, summer 2026",
        max_length=200,
        error_messages={"required": "Enter a title"},
    )
    period_start = GovDateField(what="the first day of the period", label="Breaks from")
    period_end = GovDateField(what="the last day of the period", label="Breaks to")
    closes_on = GovDateField(what="the closing date", label="Answers taken until")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field("period_start", legend_size=Size.SMALL),
            Field("period_end", legend_size=Size.SMALL),
            Field("closes_on", legend_size=Size.SMALL),
            button="Create the survey",
        )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label="How is it answered?",
        choices=[
            (QuestionKind.SCALE, "On a 5-point scale, from very satisfied to very dissatisfied"),
            (QuestionKind.TEXT, "In the family's own words"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the question is answered"},
    )
    text = forms.CharField(
        label="Question", max_length=300, error_messages={"required": "Enter the question"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("text"),
            button="Add the question",
        )


def _service_label(service: ServiceUsed) -> str:
    return f"{service.title} ({service.provider})"


class AnswerForm(forms.Form):
    """The questions of one invitation. Every question may be left out, but not all of them."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        services: list[ServiceUsed],
        respondent: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.services = services
        easy = respondent == Respondent.CHILD
        layout = []
        for question in questions:
            text = question.easy_read_text if easy and question.easy_read_text else question.text
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SATISFACTION:
                for service in services:
                    field_name = f"{name}_s{service.service_id}"
                    self.fields[field_name] = forms.TypedChoiceField(
                        label=f"{text} {_service_label(service)}"
                        if not easy
                        else f"{service.title}: how did you feel?",
                        choices=Face.choices if easy else Rating.choices,
                        coerce=int,
                        required=False,
                        widget=forms.RadioSelect,
                    )
                    layout.append(Field.radios(field_name, legend_size=Size.MEDIUM))
            elif question.kind == QuestionKind.REGULATION_3:
                self.fields[name] = forms.MultipleChoiceField(
                    label=text,
                    help_text="Choose all that apply.",
                    choices=TimeUse.choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
                layout.append(Field.checkboxes(name, legend_size=Size.MEDIUM))
            elif question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.TypedChoiceField(
                    label=text,
                    choices=Face.choices if easy else Rating.choices,
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
                layout.append(Field.radios(name, legend_size=Size.MEDIUM))
            else:
                self.fields[name] = forms.CharField(
                    label=text,
                    required=False,
                    max_length=TEXT_LIMIT,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={"max_length": f"Answer in {TEXT_LIMIT:,} characters or fewer"},
                )
                layout.append(Field.textarea(name, label_size=Size.MEDIUM))
        self.helper = _helper(*layout, button="Send my answers" if not easy else "Send")

    def answers(self) -> dict:
        """The cleaned answers as the service takes them: `{question_id: value}`."""
        data = self.cleaned_data
        result: dict = {}
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SATISFACTION:
                result[question.pk] = {
                    s.service_id: data.get(f"{name}_s{s.service_id}")
                    for s in self.services
                    if data.get(f"{name}_s{s.service_id}") not in (None, "")
                }
            else:
                result[question.pk] = data.get(name)
        return result
