from django.urls import path

from shortbreaks.accesslog import views

app_name = "accesslog"

urlpatterns = [
    path("", views.AccessLogView.as_view(), name="list"),
]
