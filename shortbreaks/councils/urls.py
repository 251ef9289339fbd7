from django.urls import path

from shortbreaks.councils import views

app_name = "councils"

urlpatterns = [
    path("switch-council/", views.switch_council, name="switch"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("teams/<int:team_id>/", views.TeamDetailView.as_view(), name="team"),
    path("settings/", views.council_settings, name="settings"),
]
