from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "shortbreaks.accesslog"
    label = "accesslog"
    verbose_name = "Access log"
