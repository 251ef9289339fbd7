from contracts.api import dps, extensions, monitoring, ocds, register, spend

urlpatterns = [
    *ocds.urlpatterns,
    *register.urlpatterns,
    *dps.urlpatterns,
    *extensions.urlpatterns,
    *monitoring.urlpatterns,
    *spend.urlpatterns,
]
