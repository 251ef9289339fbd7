from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        # The header's search finds contracts by reference or title (shortbreaks.sitesearch).
        from contracts.selectors.register import contract_list
        from shortbreaks.sitesearch import SearchSource, register

        register(
            SearchSource(
                key="contracts",
                heading="Contracts",
                permission="contracts.view_contract",
                order=50,
                find=contract_list,
            )
        )
