"""Public pages for parent carers: no sign-in; the council is named by its slug in the URL."""

from statements.parents import views as parents
from statements.views import public, staff

app_name = "statements"

# Staff pages come first: "manage/" must never be read as a council's slug.
urlpatterns = [*staff.urlpatterns, *public.urlpatterns, *parents.urlpatterns]
