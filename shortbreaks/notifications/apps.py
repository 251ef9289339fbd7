from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "shortbreaks.notifications"
    label = "notifications"
    verbose_name = "Notifications"
