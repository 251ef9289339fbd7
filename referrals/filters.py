"""The filters of the referrals lists, each declared once for its page and its API
(`shortbreaks.filters`)."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone

from referrals.forms.children import ChildFilterForm
from referrals.forms.grants import GrantWaitingFilterForm
from referrals.forms.referrals import ReferralFilterForm
from referrals.models import (
    Child,
    ChildTier,
    GrantApplication,
    GrantStatus,
    Referral,
    ReferralStatus,
)
from referrals.selectors.children import search_children
from referrals.selectors.overnights import near_overnight_limits
from shortbreaks.filters import CheckboxFilter, IdFilter, ListFilterSet
from shortbreaks.search import by_relevance


class ReferralFilter(ListFilterSet):
    """The council's referrals: by status (the page's panel) and by child (the API, or a page
    reached from the child's record)."""

    child = IdFilter(field_name="child_id", help_text="A child's id.", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)

    class Meta:
        model = Referral
        fields = ["child", "status"]
        form = ReferralFilterForm


# A decision is due within eight weeks of an application arriving; past that the wait shows red.
LONG_WAIT_DAYS = 56


class GrantApplicationFilter(ListFilterSet):
    """Grant applications: only the long waits (the waiting list's panel); by status and child
    (the API, or a page reached from the child's record)."""

    status = django_filters.ChoiceFilter(choices=GrantStatus.choices, widget=forms.HiddenInput)
    child = IdFilter(field_name="child_id", help_text="A child's id.", widget=forms.HiddenInput)
    long_waits = CheckboxFilter(
        method="filter_long_waits",
        help_text=f"Only those still waiting for a decision after {LONG_WAIT_DAYS} days.",
    )

    class Meta:
        model = GrantApplication
        fields = ["status", "child", "long_waits"]
        form = GrantWaitingFilterForm

    def form_kwargs(self) -> dict:
        return {"long_wait_days": LONG_WAIT_DAYS}

    def filter_long_waits(self, queryset, name, value):
        cutoff = timezone.localdate() - timedelta(days=LONG_WAIT_DAYS)
        return queryset.filter(status=GrantStatus.RECEIVED, received_on__lt=cutoff)


class ChildFilter(ListFilterSet):
    """The council's children: by tier and near the overnight limits (in the address), and the
    search (posted: on the page kept in the session, in the API in a POST's body)."""

    search = django_filters.CharFilter(method="filter_search", max_length=100)
    tier = django_filters.ChoiceFilter(choices=ChildTier.choices)
    overnights = django_filters.ChoiceFilter(
        choices=[("near", "Near 17 nights in a stay or 75 nights in 12 months")],
        method="filter_overnights",
        help_text="near: only the children near the overnight limits.",
    )

    class Meta:
        model = Child
        fields = ["search", "tier", "overnights"]
        form = ChildFilterForm

    def filter_search(self, queryset, name, value):
        found = search_children(queryset, value)
        return by_relevance(found, "last_name", "first_name", "id")

    def filter_overnights(self, queryset, name, value):
        return near_overnight_limits(queryset, actor=self.request.user, today=timezone.localdate())
