"""The brokerage requests' filter, declared once for its page and its API
(`shortbreaks.filters`)."""

from __future__ import annotations

import django_filters
from django.utils import timezone

from brokerage.forms import RequestFilterForm
from brokerage.models import BrokerageRequest, RequestStatus
from brokerage.selectors import answers_to_score_q, past_deadline_q
from providers.selectors import provider_for
from shortbreaks.filters import CheckboxFilter, ListFilterSet


class RequestFilter(ListFilterSet):
    """The requests the actor may see: by status; council staff also only those past their
    deadline with no award, or only those with answers waiting to be scored."""

    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    overdue = CheckboxFilter(
        method="filter_overdue", help_text="Only those past their deadline with no award."
    )
    to_score = CheckboxFilter(
        method="filter_to_score", help_text="Only those with answers waiting to be scored."
    )

    class Meta:
        model = BrokerageRequest
        fields = ["status", "overdue", "to_score"]
        form = RequestFilterForm

    def form_kwargs(self) -> dict:
        user = getattr(self.request, "user", None)
        return {"for_provider": user is not None and provider_for(user) is not None}

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(past_deadline_q(timezone.localdate()))

    def filter_to_score(self, queryset, name, value):
        return queryset.filter(answers_to_score_q())
