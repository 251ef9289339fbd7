"""The statement's API routes, included under /api/v1/ by the root URLconf."""

from django.urls import path

from statements import api

urlpatterns = [
    path("statements/", api.StatementListApi.as_view(), name="api-statements"),
    path("statements/<int:statement_id>/", api.StatementDetailApi.as_view(), name="api-statement"),
    path(
        "statements/<int:statement_id>/check/",
        api.StatementCheckApi.as_view(),
        name="api-statement-check",
    ),
    path(
        "statements/<int:statement_id>/publish/",
        api.StatementPublishApi.as_view(),
        name="api-statement-publish",
    ),
    path(
        "statements/<int:statement_id>/feedback/",
        api.StatementFeedbackApi.as_view(),
        name="api-statement-feedback",
    ),
]
