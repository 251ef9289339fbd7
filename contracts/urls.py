from contracts.views import dps, extensions, monitoring, register, spend

app_name = "contracts"

urlpatterns = [
    *register.urlpatterns,
    *dps.urlpatterns,
    *extensions.urlpatterns,
    *monitoring.urlpatterns,
    *spend.urlpatterns,
]
