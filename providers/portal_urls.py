"""Provider staff's own pages (the `provider` namespace, under /provider/)."""

from django.urls import path

from providers import portal

urlpatterns = [
    path("", portal.home, name="home"),
    path("vacancies/", portal.vacancy_list, name="vacancies"),
    path("vacancies/<int:service_id>/", portal.vacancy_edit, name="vacancy-edit"),
]
