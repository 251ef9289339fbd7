from django.urls import path

from shortbreaks.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="preferences"),
]
