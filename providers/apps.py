from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"

    def ready(self) -> None:
        # The header's search finds providers and their services (shortbreaks.sitesearch).
        from providers.selectors import provider_list, service_list
        from shortbreaks.sitesearch import SearchSource, register

        def services_found(*, actor, search):
            return service_list(actor=actor, search=search).select_related("provider")

        register(
            SearchSource(
                key="providers",
                heading="Providers",
                permission="providers.view_provider",
                order=30,
                find=provider_list,
            )
        )
        register(
            SearchSource(
                key="services",
                heading="Services",
                permission="providers.view_provider",
                order=40,
                find=services_found,
            )
        )
