from referrals.api import assessments, children, grants, packages, referrals, reviews

urlpatterns = [
    *children.urlpatterns,
    *referrals.urlpatterns,
    *grants.urlpatterns,
    *assessments.urlpatterns,
    *packages.urlpatterns,
    *reviews.urlpatterns,
]
