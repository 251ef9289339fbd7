"""Open Referral UK (HSDS 3): the council's services for other directories, no sign-in."""

from statements import openreferral

app_name = "openreferral"

urlpatterns = [*openreferral.urlpatterns]
