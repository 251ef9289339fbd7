from django.urls import path

from providers import views

app_name = "providers"

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_create, name="create"),
    path("<int:provider_id>/", views.provider_detail, name="detail"),
    path("<int:provider_id>/edit/", views.provider_edit, name="edit"),
    path("<int:provider_id>/status/", views.provider_status, name="status"),
    path(
        "<int:provider_id>/registrations/new/",
        views.registration_create,
        name="registration-create",
    ),
    path("<int:provider_id>/services/new/", views.service_create, name="service-create"),
    path("services/", views.service_list, name="services"),
    path("services/<int:service_id>/", views.service_detail, name="service"),
    path("services/<int:service_id>/edit/", views.service_edit, name="service-edit"),
    path("<int:provider_id>/locations/new/", views.location_create, name="location-create"),
    path("locations/<int:location_id>/edit/", views.location_edit, name="location-edit"),
    path("services/<int:service_id>/times/new/", views.schedule_create, name="schedule-create"),
    path(
        "services/<int:service_id>/times/<int:schedule_id>/remove/",
        views.schedule_remove,
        name="schedule-remove",
    ),
]
