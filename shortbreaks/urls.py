"""The root URLconf: the only module that knows every app.

Every view needs a signed-in person with the right role, except those in PUBLIC_URL_NAMES, which
are public on purpose (a test walks this URLconf and holds it to that list).
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shortbreaks import views
from shortbreaks.accesslog.api import AccessLogListApi
from shortbreaks.councils import api as councils_api
from shortbreaks.councils import views as councils_views

PUBLIC_URL_NAMES = {
    "landing",
    "sign-in",
    "sign-out",
    "healthz",
    "accessibility",
    "accessibility-council",
    "api-token",
    # What parent carers and other directories read: a council's published offer.
    "statements:directory",
    "statements:directory-service",
    # The council's short breaks services statement (Regulation 5), its PDF, earlier versions,
    # the draft out for consultation, and the form for carers' views on it.
    "statements:statement",
    "statements:statement-pdf",
    "statements:statement-version",
    "statements:statement-version-pdf",
    "statements:statement-consultation",
    "statements:statement-consultation-feedback",
    "statements:statement-feedback",
    "statements:statement-feedback-sent",
    # Parent carers make their own account, and sign in to it, on their council's public pages;
    # "check your email", and the emailed link that confirms the address.
    "statements:account-sign-up",
    "statements:account-sign-up-sent",
    "statements:account-confirm",
    "statements:account-sign-in",
    # An invited external auditor follows the emailed link and sets their password (audits).
    "packs:invitation",
    "packs:invitation-accept",
    # A family answers an outcome survey through the signed link emailed to them (outcomes).
    "outcomes:answer",
    "outcomes:answer-sent",
    # Open Referral UK: the council's published services for other directories (statements).
    "openreferral:root",
    "openreferral:openapi",
    "openreferral:services",
    "openreferral:service",
    "openreferral:service-at-locations",
    "openreferral:service-at-location",
    "openreferral:organizations",
    "openreferral:organization",
    "openreferral:taxonomies",
    "openreferral:taxonomy",
    "openreferral:taxonomy-terms",
    "openreferral:taxonomy-term",
}

# Provider staff's own pages and API (providers.portal): each app adds its part.
provider_pages = [
    path("", include("providers.portal.urls")),
    path("", include("contracts.portal.views")),
    path("", include("referrals.portal.views")),
]
provider_api = [
    path("", include("providers.portal.api")),
    path("", include("contracts.portal.api")),
    path("", include("referrals.portal.api")),
]

api_v1 = [
    path("provider/", include(provider_api)),
    path("auth/token/", councils_api.TokenApi.as_view(), name="api-token"),
    path("me/", councils_api.MeApi.as_view(), name="api-me"),
    path("me/council/", councils_api.SwitchCouncilApi.as_view(), name="api-switch-council"),
    path(
        "council/settings/", councils_api.CouncilSettingsApi.as_view(), name="api-council-settings"
    ),
    path("teams/", councils_api.TeamListApi.as_view(), name="api-teams"),
    path("teams/<int:team_id>/", councils_api.TeamDetailApi.as_view(), name="api-team"),
    path("access-log/", AccessLogListApi.as_view(), name="api-access-log"),
    path("", include("providers.api")),
    path("", include("contracts.api.urls")),
    path("", include("referrals.api.urls")),
    path("", include("brokerage.api")),
    path("", include("bookings.api")),
    path("", include("outcomes.api")),
    path("", include("directpayments.api")),
    path("", include("audits.api")),
    path("", include("statements.api_urls")),
    path("", include("audits.packs.api")),
    path("", include("audits.auditors.api")),
    path("", include("sufficiency.api")),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("search/", views.site_search, name="search"),
    path("", include("sufficiency.views")),
    path("sign-in/", councils_views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", councils_views.SignOutView.as_view(), name="sign-out"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path(
        "accessibility/<slug:council_slug>/",
        views.accessibility_statement,
        name="accessibility-council",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("council/", include("shortbreaks.councils.urls")),
    path("access-log/", include("shortbreaks.accesslog.urls")),
    path("notifications/", include("shortbreaks.notifications.urls")),
    path("providers/", include("providers.urls")),
    path("provider/", include((provider_pages, "provider"))),
    path("contracts/", include("contracts.urls")),
    path("brokerage/", include("brokerage.urls")),
    path("", include("referrals.urls")),
    path("bookings/", include("bookings.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("", include("directpayments.urls")),
    path("statements/", include("statements.urls")),
    path("openreferral/", include("statements.openreferral.urls")),
    path("audits/packs/", include("audits.packs.urls")),
    path("audits/", include("audits.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "shortbreaks.views.error_400"
handler403 = "shortbreaks.views.error_403"
handler404 = "shortbreaks.views.error_404"
handler500 = "shortbreaks.views.error_500"
