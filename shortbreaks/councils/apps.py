from django.apps import AppConfig


class CouncilsConfig(AppConfig):
    name = "shortbreaks.councils"
    label = "councils"
    verbose_name = "Councils and people"

    def ready(self) -> None:
        from shortbreaks.councils import signals

        signals.connect()
