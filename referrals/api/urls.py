from referrals.api import (
    assessments,
    census,
    children,
    grants,
    merges,
    notes,
    packages,
    parent_links,
    referrals,
    reviews,
    trends,
)

urlpatterns = [
    *children.urlpatterns,
    *parent_links.urlpatterns,
    *referrals.urlpatterns,
    *grants.urlpatterns,
    *assessments.urlpatterns,
    *packages.urlpatterns,
    *reviews.urlpatterns,
    *trends.urlpatterns,
    *census.urlpatterns,
    *notes.urlpatterns,
    *merges.urlpatterns,
]
