"""The contracts register's filter, declared once for its page and its API
(`shortbreaks.filters`)."""

from __future__ import annotations

import django_filters
from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from contracts.forms.register import ContractFilterForm
from contracts.models import Contract, ContractKind, ContractStatus, status_on_q
from contracts.selectors.extensions import extensions_waiting
from contracts.selectors.monitoring import kpi_return_overdue_q, kpi_return_submitted_q
from contracts.selectors.register import with_nothing_under_way
from shortbreaks.filters import CheckboxFilter, IdFilter, ListFilterSet
from shortbreaks.search import by_relevance, trigram_search

MONTHS = [(3, "3"), (6, "6"), (12, "12")]


@extend_schema_field({"type": "integer", "enum": [months for months, _ in MONTHS]})
class MonthsFilter(django_filters.TypedChoiceFilter):
    """3, 6 or 12 months."""


class ContractFilter(ListFilterSet):
    """The register: the council's contracts and the joint contracts it takes part in."""

    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Words of the title (close spellings match too) or part of the reference.",
    )
    kind = django_filters.ChoiceFilter(choices=ContractKind.choices)
    status = django_filters.ChoiceFilter(choices=ContractStatus.choices, method="filter_status")
    lot = django_filters.CharFilter(
        field_name="lots__name", lookup_expr="icontains", help_text="Part of a lot's name."
    )
    provider = IdFilter(field_name="lots__awards__provider_id", help_text="A provider's id.")
    ends_before = django_filters.DateFilter(field_name="end_date", lookup_expr="lt")
    ends_within = MonthsFilter(choices=MONTHS, coerce=int, method="filter_ends_within")
    # The API's name for `ends_within`.
    ends_within_months = MonthsFilter(
        choices=MONTHS, coerce=int, method="filter_ends_within", widget=forms.HiddenInput
    )
    nothing_under_way = CheckboxFilter(
        method="filter_nothing_under_way",
        help_text="Only contracts with no extension or recommissioning under way.",
    )
    overrunning = CheckboxFilter(
        method="filter_overrunning",
        help_text="Only overrunning contracts: expired, with package lines still running on them.",
    )
    extension_waiting = CheckboxFilter(
        method="filter_extension_waiting",
        help_text="Only contracts with an extension waiting for approvals or a decision.",
    )
    kpi_return_overdue = CheckboxFilter(
        method="filter_kpi_return_overdue",
        help_text="Only running contracts with no KPI return for a quarter.",
    )
    kpi_return_submitted = CheckboxFilter(
        method="filter_kpi_return_submitted",
        help_text="Only contracts with a provider's KPI return waiting to be accepted or queried.",
    )

    # The page picks a provider from a list and types a date in three boxes; the API takes an
    # id and an ISO date.
    page_only_fields = ("provider", "ends_before")

    class Meta:
        model = Contract
        fields = [
            "search",
            "kind",
            "status",
            "lot",
            "provider",
            "ends_before",
            "ends_within",
            "ends_within_months",
            "nothing_under_way",
            "overrunning",
            "extension_waiting",
            "kpi_return_overdue",
            "kpi_return_submitted",
        ]
        form = ContractFilterForm

    def __init__(self, *args, providers=(), **kwargs):
        self.providers = providers
        super().__init__(*args, **kwargs)

    def form_kwargs(self) -> dict:
        return {"providers": self.providers}

    def filter_search(self, queryset, name, value):
        return by_relevance(
            trigram_search(queryset, value, names=("title",), substrings=("reference",)),
            "end_date",
            "reference",
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_on_q(value, timezone.localdate()))

    def filter_ends_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            end_date__gte=today, end_date__lte=today + relativedelta(months=value)
        )

    def filter_nothing_under_way(self, queryset, name, value):
        return with_nothing_under_way(queryset)

    def filter_overrunning(self, queryset, name, value):
        return queryset.filter(overrunning_lines__gt=0)

    def filter_extension_waiting(self, queryset, name, value):
        return queryset.filter(Exists(extensions_waiting().filter(contract=OuterRef("pk"))))

    def filter_kpi_return_overdue(self, queryset, name, value):
        return queryset.filter(kpi_return_overdue_q(timezone.localdate()))

    def filter_kpi_return_submitted(self, queryset, name, value):
        return queryset.filter(kpi_return_submitted_q(self.request.user))
