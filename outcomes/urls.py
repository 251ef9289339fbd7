"""Outcome surveys: staff pages, provider staff's results, parent carers' pages and links."""

from outcomes.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
