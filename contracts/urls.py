from contracts.views import (
    documents,
    dps,
    extensions,
    kpi,
    monitoring,
    participation,
    register,
    spend,
)

app_name = "contracts"

urlpatterns = [
    *register.urlpatterns,
    *dps.urlpatterns,
    *extensions.urlpatterns,
    *monitoring.urlpatterns,
    *kpi.urlpatterns,
    *spend.urlpatterns,
    *documents.urlpatterns,
    *participation.urlpatterns,
]
