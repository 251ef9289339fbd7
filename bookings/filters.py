"""The bookings list's filter, declared once for its page and its API (`shortbreaks.filters`)."""

from __future__ import annotations

import django_filters
from django import forms

from bookings.forms import BookingFilterForm
from bookings.models import Booking, BookingStatus
from shortbreaks.filters import IdFilter, ListFilterSet


class BookingFilter(ListFilterSet):
    """The bookings the actor may see: by status (the page's panel); by block places, child and
    days (the API, or a page reached from the places or the child)."""

    places = IdFilter(field_name="places_id", help_text="Only the bookings of these block places.")
    child = IdFilter(
        field_name="child_id", help_text="Only this child's bookings.", widget=forms.HiddenInput
    )
    status = django_filters.ChoiceFilter(choices=BookingStatus.choices)
    day_from = django_filters.DateFilter(
        field_name="last_day",
        lookup_expr="gte",
        help_text="Bookings ending on or after.",
        widget=forms.HiddenInput,
    )
    day_to = django_filters.DateFilter(
        field_name="first_day",
        lookup_expr="lte",
        help_text="Bookings starting on or before.",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Booking
        fields = ["places", "child", "status", "day_from", "day_to"]
        form = BookingFilterForm
