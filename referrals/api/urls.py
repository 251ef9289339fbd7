from referrals.api import (
    assessments,
    children,
    grants,
    packages,
    parent_links,
    referrals,
    reviews,
)

urlpatterns = [
    *children.urlpatterns,
    *parent_links.urlpatterns,
    *referrals.urlpatterns,
    *grants.urlpatterns,
    *assessments.urlpatterns,
    *packages.urlpatterns,
    *reviews.urlpatterns,
]
