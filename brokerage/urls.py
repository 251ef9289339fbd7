"""The brokerage pages, under /brokerage/ (see `brokerage.views`)."""

from brokerage.views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
