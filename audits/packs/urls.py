"""The evidence pack pages, under /audits/packs/, with the external auditors they are shared
with. The invitation link's two pages are public (shortbreaks.urls.PUBLIC_URL_NAMES)."""

from django.urls import path

from audits.auditors import views as auditor_views
from audits.packs import views

app_name = "packs"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("new/", views.pack_request, name="request"),
    path("<int:pack_id>/", views.pack_detail, name="detail"),
    path("<int:pack_id>/retry/", views.pack_retry, name="retry"),
    path("<int:pack_id>/share/", views.pack_grant, name="grant"),
    path(
        "<int:pack_id>/share/<int:grant_id>/remove/",
        views.pack_grant_remove,
        name="grant-remove",
    ),
    path("<int:pack_id>/confirm/", views.pack_confirm, name="confirm"),
    path("<int:pack_id>/download/", views.pack_download, name="download"),
    path("shared/", auditor_views.packs_shared, name="shared"),
    path("external-auditors/", auditor_views.external_auditor_list, name="external-auditors"),
    path(
        "external-auditors/invite/",
        auditor_views.external_auditor_invite,
        name="external-auditor-invite",
    ),
    path(
        "external-auditors/join/",
        auditor_views.invitation_accept,
        name="invitation-accept",
    ),
    path(
        "external-auditors/join/<str:token>/",
        auditor_views.invitation_open,
        name="invitation",
    ),
]
