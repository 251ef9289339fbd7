"""The access log's filters: one definition for its page and its API."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters
from django.utils import timezone

from shortbreaks.accesslog.models import AccessLogEntry, Action, Outcome
from shortbreaks.accesslog.services import LIST_ACTIONS
from shortbreaks.filter_forms import FilterForm
from shortbreaks.filters import ListFilterSet


class AccessLogFilterForm(FilterForm):
    """The log's filter panel: the filters' own fields, laid out the GOV.UK way."""


class AccessLogFilter(ListFilterSet):
    username = django_filters.CharFilter(field_name="username")
    action = django_filters.ChoiceFilter(choices=[*Action.choices, *LIST_ACTIONS.items()])
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    object_type = django_filters.CharFilter(field_name="object_type")
    object_id = django_filters.CharFilter(field_name="object_id")
    # Days in the service's time zone, compared as a range of instants on `at` itself (not
    # `at`'s date), so the (council, at) index and the monthly partitions serve them.
    since = django_filters.DateFilter(
        field_name="at", method="filter_since", label="From", help_text="For example, 27/3/2026"
    )
    until = django_filters.DateFilter(
        field_name="at", method="filter_until", label="To", help_text="For example, 31/3/2026"
    )

    class Meta:
        model = AccessLogEntry
        fields = ["username", "action", "outcome", "object_type", "object_id", "since", "until"]
        form = AccessLogFilterForm

    def filter_since(self, queryset, name, value):
        """From the first moment of that day."""
        return queryset.filter(**{f"{name}__gte": start_of_day(value)})

    def filter_until(self, queryset, name, value):
        """Up to the last moment of that day: before the first moment of the next."""
        if value >= date.max:
            return queryset  # no day after it: nothing is later
        return queryset.filter(**{f"{name}__lt": start_of_day(value + timedelta(days=1))})


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in the service's time zone (Europe/London: never skipped or
    repeated by a clock change, which happens at 1 am)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
