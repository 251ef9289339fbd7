from contracts.api import (
    documents,
    dps,
    extensions,
    kpi,
    monitoring,
    ocds,
    participation,
    register,
    spend,
)

urlpatterns = [
    *ocds.urlpatterns,
    *register.urlpatterns,
    *dps.urlpatterns,
    *extensions.urlpatterns,
    *monitoring.urlpatterns,
    *kpi.urlpatterns,
    *spend.urlpatterns,
    *documents.urlpatterns,
    *participation.urlpatterns,
]
