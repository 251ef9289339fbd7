"""Extensions by variation in the browser: request one, record the approvals, submit it, decide.

Each change is a form, then a "check your answers" page (the answers wait in the session), then
the service. A refusal from the service (the state forbids it, or an answer is wrong) comes back
in the error summary, never as an error page.
"""

from __future__ import annotations

import abc

from crispy_forms_gds.fields import DateInputField
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from contracts.exports import EXTENSIONS
from contracts.forms.extensions import ApprovalForm, DecisionForm, ExtensionRequestForm
from contracts.models import ApprovalRole, Decision, Extension, LegalBasis
from contracts.selectors import extensions as extension_selectors
from contracts.selectors import register as register_selectors
from contracts.services import extensions as services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.permissions import permission_required

VIEW = "contracts.view_contract"
MANAGE = "contracts.manage_contract"
DECIDE = "contracts.decide_extension"


def _key(step: str, pk: int) -> str:
    return f"contracts.extensions.{step}.{pk}"


def _bound_from(form_class, answers: dict[str, str], errors) -> object:
    """The form as it was answered, carrying the service's errors beside its fields."""
    data = {}
    for name, field in form_class.base_fields.items():
        raw = answers.get(name, "")
        if isinstance(field, DateInputField):
            parts = raw.split("-") if raw else ["", "", ""]
            data[f"{name}_0"], data[f"{name}_1"], data[f"{name}_2"] = (
                parts[2].lstrip("0"),
                parts[1].lstrip("0"),
                parts[0],
            )
        else:
            data[name] = raw
    form = form_class(data=data)
    form.is_valid()
    add_service_error(form, errors)
    return form


def _contract_url(contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


# ----------------------------------------------------------------------------------------------
# A contract's extensions


@require_http_methods(["GET"])
@permission_required(VIEW)
def extension_list(request, contract_id: int):
    actor = request.user
    contract = register_selectors.access_contract_by_id(actor=actor, contract_id=contract_id)
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=actor,
            export=EXTENSIONS,
            queryset=extension_selectors.extension_list(
                actor=actor, contract=contract
            ).select_related("requested_by"),
            fmt=fmt,
            filters={"contract": contract.pk},
        )
    access_log_record(actor=actor, request=request, action="view", obj=contract)
    return render(
        request,
        "contracts/extensions/list.html",
        {
            "contract": contract,
            "contract_url": _contract_url(contract),
            "is_lead": register_selectors.contract_is_lead(actor=actor, contract=contract),
            "extensions": list(extension_selectors.extension_list(actor=actor, contract=contract)),
            "events": [],
        },
    )


# ----------------------------------------------------------------------------------------------
# Requesting an extension


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def extension_create(request, contract_id: int):
    contract = register_selectors.access_contract_for_change(
        actor=request.user, contract_id=contract_id
    )
    key = _key("request", contract.pk)
    if request.method == "POST":
        form = ExtensionRequestForm(request.POST)
        if form.is_valid():
            request.session[key] = form.answers()
            return redirect("contracts:extension-create-check", contract.pk)
    else:
        form = ExtensionRequestForm(
            initial=ExtensionRequestForm.initial_from(request.session.get(key))
        )
    return _request_form(request, contract, form)


def _request_form(request, contract, form):
    return render(
        request,
        "contracts/extensions/request_form.html",
        {"contract": contract, "contract_url": _contract_url(contract), "form": form},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def extension_create_check(request, contract_id: int):
    contract = register_selectors.access_contract_for_change(
        actor=request.user, contract_id=contract_id
    )
    key = _key("request", contract.pk)
    answers = request.session.get(key)
    if not answers:
        return redirect("contracts:extension-create", contract.pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            extension = services.extension_create(
                actor=request.user, contract=contract, **ExtensionRequestForm.values(answers)
            )
        except ValidationError as error:
            return _request_form(
                request, contract, _bound_from(ExtensionRequestForm, answers, error)
            )
        except TransitionNotAllowed as error:
            errors.append(error.reason)
        else:
            del request.session[key]
            messages.success(request, "Extension saved as a draft.")
            return redirect("contracts:extension", extension.pk)
    change = reverse("contracts:extension-create", args=[contract.pk])
    values = ExtensionRequestForm.values(answers)
    rows = [
        (
            "New end date",
            _date(values["new_end_date"]),
            f"{change}#id_new_end_date_0",
            "new end date",
        ),
        ("Added value", _pounds(values["added_value"]), f"{change}#id_added_value", "added value"),
        ("Rationale", values["rationale"], f"{change}#id_rationale", "rationale"),
        (
            "Alternative options considered",
            values["alternatives_considered"] or "None recorded",
            f"{change}#id_alternatives_considered",
            "alternative options considered",
        ),
        ("Risks", values["risks"] or "None recorded", f"{change}#id_risks", "risks"),
        (
            "Legal basis",
            _label(LegalBasis, values["legal_basis"]),
            f"{change}#id_legal_basis",
            "legal basis",
        ),
    ]
    return render(
        request,
        "contracts/extensions/check.html",
        {
            "contract": contract,
            "back_url": change,
            "caption": f"{contract.reference} {contract.title}",
            "title": "Check your answers before saving the extension",
            "rows": rows,
            "errors": errors,
            "button": "Save as draft",
            "intro": "Saving makes a draft. You can then submit it and record the approvals.",
        },
    )


# ----------------------------------------------------------------------------------------------
# One extension


@require_http_methods(["GET"])
@permission_required(VIEW)
def extension_detail(request, extension_id: int):
    actor = request.user
    extension = extension_selectors.access_extension_by_id(actor=actor, extension_id=extension_id)
    access_log_record(actor=actor, request=request, action="view", obj=extension)
    return _detail(request, extension)


def _detail(request, extension: Extension, errors: list[str] = (), status: int = 200):
    actor = request.user
    prefetch_related_objects([extension], "approvals")
    contract = extension.contract
    is_lead = register_selectors.contract_is_lead(actor=actor, contract=contract)
    approvals = sorted(extension.approvals.all(), key=lambda a: (a.decided_on, a.pk))
    return render(
        request,
        "contracts/extensions/detail.html",
        {
            "extension": extension,
            "contract": contract,
            "contract_url": _contract_url(contract),
            "approvals": approvals,
            "blockers": services.extension_blockers(extension),
            "can_manage": is_lead and actor.has_perm(MANAGE),
            "can_decide": is_lead and actor.has_perm(DECIDE),
            "errors": list(errors),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def extension_submit(request, extension_id: int):
    """Submit a draft for approval and decision. The extension page holds the button."""
    extension = extension_selectors.access_extension_for_change(
        actor=request.user, extension_id=extension_id
    )
    if request.method == "GET":
        return redirect("contracts:extension", extension.pk)
    try:
        services.extension_submit(actor=request.user, extension=extension)
    except TransitionNotAllowed as error:
        return _detail(request, extension, errors=[error.reason])
    messages.success(request, "Extension submitted for approval and decision.")
    return redirect("contracts:extension", extension.pk)


# ----------------------------------------------------------------------------------------------
# Approvals and the decision: form, check your answers, confirm


class _Step(abc.ABC):
    """One change to an extension made through a form and a "check your answers" page. Each
    step says what its check page shows (`rows`) and which service it calls (`commit`)."""

    name: str
    permission: str
    form_class: type
    form_title: str
    check_title: str
    button: str
    done: str

    @abc.abstractmethod
    def rows(self, values: dict, change: str) -> list[tuple[str, str, str, str]]: ...

    @abc.abstractmethod
    def commit(self, *, actor, extension: Extension, values: dict) -> None: ...

    # The views.

    def form_view(self, request, extension_id: int):
        extension = extension_selectors.access_extension_for_change(
            actor=request.user, extension_id=extension_id
        )
        key = _key(self.name, extension.pk)
        if request.method == "POST":
            form = self.form_class(request.POST)
            if form.is_valid():
                request.session[key] = form.answers()
                return redirect(f"contracts:extension-{self.name}-check", extension.pk)
        else:
            answers = request.session.get(key)
            form = self.form_class(initial=self.form_class.initial_from(answers))
        return self._form_page(request, extension, form)

    def _form_page(self, request, extension, form):
        return render(
            request,
            "contracts/extensions/step_form.html",
            {
                "extension": extension,
                "contract": extension.contract,
                "form": form,
                "title": self.form_title,
                "action": reverse(f"contracts:extension-{self.name}", args=[extension.pk]),
            },
        )

    def check_view(self, request, extension_id: int):
        extension = extension_selectors.access_extension_for_change(
            actor=request.user, extension_id=extension_id
        )
        key = _key(self.name, extension.pk)
        answers = request.session.get(key)
        if not answers:
            return redirect(f"contracts:extension-{self.name}", extension.pk)
        values = self.form_class.values(answers)
        errors: list[str] = []
        if request.method == "POST":
            try:
                self.commit(actor=request.user, extension=extension, values=values)
            except ValidationError as error:
                form = _bound_from(self.form_class, answers, error)
                return self._form_page(request, extension, form)
            except TransitionNotAllowed as error:
                errors.append(error.reason)
            else:
                del request.session[key]
                messages.success(request, self.done)
                return redirect("contracts:extension", extension.pk)
        change = reverse(f"contracts:extension-{self.name}", args=[extension.pk])
        contract = extension.contract
        return render(
            request,
            "contracts/extensions/check.html",
            {
                "contract": contract,
                "extension": extension,
                "back_url": change,
                "caption": f"Extension of {contract.reference} to {_date(extension.new_end_date)}",
                "title": self.check_title,
                "rows": self.rows(values, change),
                "errors": errors,
                "button": self.button,
            },
        )

    def urls(self, route: str) -> list:
        form_view = require_http_methods(["GET", "POST"])(
            permission_required(self.permission)(self.form_view)
        )
        check_view = require_http_methods(["GET", "POST"])(
            permission_required(self.permission)(self.check_view)
        )
        return [
            path(
                f"extensions/<int:extension_id>/{route}/",
                form_view,
                name=f"extension-{self.name}",
            ),
            path(
                f"extensions/<int:extension_id>/{route}/check/",
                check_view,
                name=f"extension-{self.name}-check",
            ),
        ]


class _ApprovalStep(_Step):
    name = "approval"
    permission = MANAGE
    form_class = ApprovalForm
    form_title = "Record an approval"
    check_title = "Check the approval before recording it"
    button = "Record the approval"
    done = "Approval recorded."

    def rows(self, values, change):
        return [
            ("Role", _label(ApprovalRole, values["role"]), f"{change}#id_role", "role"),
            ("Name", values["name"], f"{change}#id_name", "name"),
            ("Decision", _label(Decision, values["decision"]), f"{change}#id_decision", "decision"),
            ("Date", _date(values["decided_on"]), f"{change}#id_decided_on_0", "date"),
            ("Comment", values["comment"] or "None", f"{change}#id_comment", "comment"),
        ]

    def commit(self, *, actor, extension, values):
        services.extension_record_approval(actor=actor, extension=extension, **values)


class _DecisionStep(_Step):
    name = "decide"
    permission = DECIDE
    form_class = DecisionForm
    form_title = "Record the decision"
    check_title = "Check the decision before recording it"
    button = "Confirm the decision"
    done = "Decision recorded."

    def rows(self, values, change):
        yes_no = {True: "Yes", False: "No"}
        return [
            (
                "Decision maker",
                values["decision_maker"],
                f"{change}#id_decision_maker",
                "decision maker",
            ),
            ("Decision date", _date(values["decided_on"]), f"{change}#id_decided_on_0", "date"),
            (
                "Key decision",
                yes_no[values["key_decision"]],
                f"{change}#id_key_decision",
                "whether it was a key decision",
            ),
            ("Decision", _label(Decision, values["decision"]), f"{change}#id_decision", "decision"),
            (
                "Decided despite a refused CPR exemption",
                yes_no[values["decided_despite_refusal"]],
                f"{change}#id_decided_despite_refusal",
                "whether they decided despite a refused exemption",
            ),
            ("Note", values["note"] or "None", f"{change}#id_note", "note"),
        ]

    def commit(self, *, actor, extension, values):
        services.extension_decide(actor=actor, extension=extension, **values)


# ----------------------------------------------------------------------------------------------
# Formatting for the "check your answers" rows


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else "Not given"


def _pounds(value) -> str:
    return f"£{value:,.2f}" if value is not None else "Not given"


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


urlpatterns = [
    path("<int:contract_id>/extensions/", extension_list, name="extension-list"),
    path("<int:contract_id>/extensions/new/", extension_create, name="extension-create"),
    path(
        "<int:contract_id>/extensions/new/check/",
        extension_create_check,
        name="extension-create-check",
    ),
    path("extensions/<int:extension_id>/", extension_detail, name="extension"),
    path("extensions/<int:extension_id>/submit/", extension_submit, name="extension-submit"),
    *_ApprovalStep().urls("approvals/new"),
    *_DecisionStep().urls("decision"),
]
