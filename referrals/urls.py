"""Children's records in the browser: each area's pages, under one namespace."""

from referrals.views import assessments, children, grants, packages, referrals, reviews

app_name = "referrals"

urlpatterns = [
    *children.urlpatterns,
    *referrals.urlpatterns,
    *grants.urlpatterns,
    *assessments.urlpatterns,
    *packages.urlpatterns,
    *reviews.urlpatterns,
]
