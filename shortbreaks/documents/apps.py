from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "shortbreaks.documents"
    label = "documents"
    verbose_name = "Documents"
