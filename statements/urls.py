"""Public pages for parent carers: no sign-in; the council is named by its slug in the URL."""

from statements import parents, staff_views, views

app_name = "statements"

# Staff pages come first: "manage/" must never be read as a council's slug.
urlpatterns = [*staff_views.urlpatterns, *views.urlpatterns, *parents.urlpatterns]
