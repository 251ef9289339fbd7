"""Provider staff's own pages (the `provider` namespace, under /provider/)."""

from django.urls import path

from providers.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/<int:service_id>/", views.vacancy_edit, name="vacancy-edit"),
]
