"""The audit pages, under /audits/."""

from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="report-create"),
    path("<int:report_id>/", views.report_detail, name="report"),
    path(
        "<int:report_id>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path(
        "recommendations/<int:recommendation_id>/",
        views.recommendation_detail,
        name="recommendation",
    ),
    path(
        "recommendations/<int:recommendation_id>/status/",
        views.recommendation_status,
        name="recommendation-status",
    ),
    path(
        "recommendations/<int:recommendation_id>/action/",
        views.recommendation_action,
        name="recommendation-action",
    ),
    path(
        "recommendations/<int:recommendation_id>/evidence/new/",
        views.evidence_add,
        name="evidence-add",
    ),
    path(
        "recommendations/<int:recommendation_id>/evidence/<int:link_id>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
]
