"""The filters of the providers register's lists, each declared once for its page and its API
(`shortbreaks.filters`)."""

from __future__ import annotations

import django_filters

from providers.forms.providers import ProviderFilterForm
from providers.forms.services import ServiceFilterForm
from providers.models import Provider, ProviderStatus, Service
from shortbreaks.councils.models import Tier
from shortbreaks.filters import ListFilterSet
from shortbreaks.search import by_relevance, trigram_search


class ProviderFilter(ListFilterSet):
    """The council's providers: words of the name (close spellings too, the closest first) and
    the status."""

    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Words of the name; close spellings match too.",
    )
    status = django_filters.ChoiceFilter(choices=ProviderStatus.choices)

    class Meta:
        model = Provider
        fields = ["search", "status"]
        form = ProviderFilterForm

    def filter_search(self, queryset, name, value):
        return by_relevance(trigram_search(queryset, value, names=("name",)), "name", "id")


class ServiceFilter(ListFilterSet):
    """Every service of the council: words of the title or the provider's name (close spellings
    too, the closest first) and the tier."""

    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Words of the title or the provider's name; close spellings match too.",
    )
    tier = django_filters.ChoiceFilter(choices=Tier.choices)

    class Meta:
        model = Service
        fields = ["search", "tier"]
        form = ServiceFilterForm

    def filter_search(self, queryset, name, value):
        return by_relevance(
            trigram_search(queryset, value, names=("title", "provider__name")), "title", "id"
        )
