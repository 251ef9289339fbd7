"""Children's records in the browser: each area's pages, under one namespace."""

from referrals.views import (
    assessments,
    census,
    children,
    grants,
    merges,
    notes,
    packages,
    record,
    referrals,
    reviews,
)

app_name = "referrals"

urlpatterns = [
    *children.urlpatterns,
    *record.urlpatterns,
    *referrals.urlpatterns,
    *grants.urlpatterns,
    *assessments.urlpatterns,
    *packages.urlpatterns,
    *reviews.urlpatterns,
    *notes.urlpatterns,
    *merges.urlpatterns,
    *census.urlpatterns,
]
