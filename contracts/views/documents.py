"""Documents kept with a contract: the lead council uploads; every reader downloads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from contracts.forms.documents import ContractDocumentForm
from contracts.selectors import register as register_selectors
from contracts.services import documents as services
from shortbreaks.accesslog.services import access_log_record
from shortbreaks.documents.responses import attachment_response
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.permissions import permission_required


@require_http_methods(["GET", "POST"])
@permission_required("contracts.manage_contract")
def document_upload(request, contract_id: int):
    contract = register_selectors.access_contract_for_change(
        actor=request.user, contract_id=contract_id
    )
    form = ContractDocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = services.contract_document_add(
                actor=request.user,
                contract=contract,
                upload=upload,
                title=form.cleaned_data["title"],
                name=upload.name,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        except TransitionNotAllowed as error:
            form.add_error(None, error.reason)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=document)
            messages.success(request, f"“{document.title}” uploaded")
            return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/documents/upload.html", {"contract": contract, "form": form})


@require_GET
@permission_required("contracts.view_contract")
def document_download(request, document_id: int):
    document = register_selectors.access_contract_document_by_id(
        actor=request.user, document_id=document_id
    )
    access_log_record(actor=request.user, request=request, action="download", obj=document)
    return attachment_response(document)


urlpatterns = [
    path("<int:contract_id>/documents/new/", document_upload, name="document-upload"),
    path("documents/<int:document_id>/", document_download, name="document-download"),
]
