from contracts.api import documents, dps, extensions, monitoring, ocds, register, spend

urlpatterns = [
    *ocds.urlpatterns,
    *register.urlpatterns,
    *dps.urlpatterns,
    *extensions.urlpatterns,
    *monitoring.urlpatterns,
    *spend.urlpatterns,
    *documents.urlpatterns,
]
