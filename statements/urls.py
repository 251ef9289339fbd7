"""Public pages for parent carers: no sign-in; the council is named by its slug in the URL."""

from statements import views

app_name = "statements"

urlpatterns = [*views.urlpatterns]
