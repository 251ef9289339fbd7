"""Block places pages: the places each award holds, a month calendar of what is free, booking a
child's nights or sessions (or a place on the waiting list when the days are full), a booking's
page with cancel and deliver, the waiting list, and a contract's utilisation by month.

The calendar and utilisation show counts only, so commissioners read them; children's names are
on the booking pages, for social workers, team managers and auditors, and each read is logged.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings import selectors, services
from bookings.exports import BOOKINGS, WAITING_LIST
from bookings.filters import BookingFilter
from bookings.forms import (
    BlockPlacesForm,
    BookingForm,
    DeliverForm,
    ReasonForm,
)
from bookings.models import BookingStatus, WaitingStatus
from contracts.selectors.register import access_contract_by_id
from shortbreaks import charts
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.errors import TransitionNotAllowed
from shortbreaks.exports import export_format, export_response
from shortbreaks.forms import add_service_error
from shortbreaks.pagination import numbered_page, page_number
from shortbreaks.permissions import permission_required

VIEW = "bookings.view_booking"
MANAGE = "bookings.manage_booking"
VIEW_PLACES = "bookings.view_places"
MANAGE_PLACES = "bookings.manage_places"


def _month(value: str | None) -> date:
    """The month an address asks for (`?month=2026-06`); anything else is this month."""
    text = value or ""
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    return timezone.localdate().replace(day=1)


# ----------------------------------------------------------------------------------------------
# Places and their calendar


@require_GET
@permission_required(VIEW_PLACES)
def places_list(request):
    return render(
        request,
        "bookings/places_list.html",
        {"rows": list(selectors.block_places_list(actor=request.user)[:500])},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_PLACES)
def places_set(request):
    awards = selectors.awards_for_places(actor=request.user)
    initial = {}
    if str(request.GET.get("award", "")).isdigit():
        initial["award"] = int(request.GET["award"])
    form = BlockPlacesForm(
        request.POST if request.method == "POST" else None, awards=awards, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            row = services.block_places_set(actor=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Places saved: {row.capacity_text}")
            return redirect("bookings:calendar", row.pk)
    return render(request, "bookings/places_set.html", {"form": form})


@require_GET
@permission_required(VIEW_PLACES)
def places_calendar(request, places_id: int):
    places = selectors.access_block_places_by_id(actor=request.user, places_id=places_id)
    month = selectors.month_calendar(places=places, month=_month(request.GET.get("month")))
    return render(
        request,
        "bookings/calendar.html",
        {
            "places": places,
            "calendar": month,
            "waiting": selectors.waiting_list(actor=request.user, places_id=places.pk)
            .filter(first_day__lte=month.next, last_day__gte=month.month)
            .count()
            if request.user.has_perm(VIEW)
            else None,
        },
    )


# ----------------------------------------------------------------------------------------------
# Booking, and the waiting list when the days are full


def _booking_form(request, places, data=None):
    initial = {}
    day = request.GET.get("day", "")
    try:
        initial["first_day"] = date.fromisoformat(day)
    except ValueError:
        pass
    return BookingForm(
        data, lines=selectors.lines_for_places(actor=request.user, places=places), initial=initial
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def booking_create(request, places_id: int):
    places = selectors.access_block_places_by_id(actor=request.user, places_id=places_id)
    form = _booking_form(request, places, request.POST if request.method == "POST" else None)
    full = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                actor=request.user,
                places=places,
                line=data["line"],
                first_day=data["first_day"],
                days=data["days"],
            )
        except services.PlacesFull as error:
            form.add_error(None, error.reason)
            full = {"line": data["line"].pk, "first_day": data["first_day"], "days": data["days"]}
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=booking)
            messages.success(request, "Booked")
            return redirect("bookings:detail", booking.pk)
    return render(
        request, "bookings/booking_form.html", {"places": places, "form": form, "full": full}
    )


@permission_required(MANAGE)  # signed in first: the sign-in page, not a 405
@require_POST
def waiting_join(request, places_id: int):
    places = selectors.access_block_places_by_id(actor=request.user, places_id=places_id)
    form = _booking_form(request, places, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.waiting_list_join(
                actor=request.user,
                places=places,
                line=data["line"],
                first_day=data["first_day"],
                days=data["days"],
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="create", obj=entry)
            messages.success(request, "Added to the waiting list")
            return redirect("bookings:waiting", places.pk)
    return render(
        request, "bookings/booking_form.html", {"places": places, "form": form, "full": None}
    )


# ----------------------------------------------------------------------------------------------
# Bookings


@require_GET
@permission_required(VIEW)
def booking_list(request):
    filterset = BookingFilter.for_page(request, selectors.booking_list(actor=request.user))
    filters = filterset.applied
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=BOOKINGS,
            queryset=filterset.qs,
            fmt=fmt,
            filters=filters,
        )
    number = page_number(request.GET.get("page"))
    bookings = numbered_page(filterset.qs, number=number)
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type="bookings.booking",
        ids=[booking.pk for booking in bookings],
        filters={**filters, "page": number if number > 1 else None},
    )
    return render(
        request,
        "bookings/booking_list.html",
        {
            "form": filterset.form,
            "filter": filterset,
            "bookings": bookings,
            "status": filters.get("status", ""),
            "statuses": BookingStatus.choices,
            "filter_query": filterset.query,
        },
    )


@require_GET
@permission_required("providers.act_for_provider")
def provider_bookings(request):
    """Provider staff: the bookings the council made on their own provider's places, each child
    by first name only (bookings.selectors.booking_list keeps them to their provider)."""
    number = page_number(request.GET.get("page"))
    bookings = numbered_page(selectors.booking_list(actor=request.user), number=number)
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type="bookings.booking",
        ids=[booking.pk for booking in bookings],
        filters={"page": number if number > 1 else None},
    )
    return render(request, "bookings/provider_list.html", {"bookings": bookings})


@require_GET
@permission_required(VIEW)
def booking_detail(request, booking_id: int):
    booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking_id)
    access_log_record(actor=request.user, request=request, action="view", obj=booking)
    return render(
        request,
        "bookings/booking_detail.html",
        {"booking": booking, "events": selectors.booking_events(booking=booking)},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def booking_cancel(request, booking_id: int):
    booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking_id)
    form = ReasonForm(
        request.POST if request.method == "POST" else None, button="Cancel the booking"
    )
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_cancel(
                actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=booking)
            late = " late" if booking.cancelled_late else ""
            messages.success(request, f"Booking cancelled{late}")
            return redirect("bookings:detail", booking.pk)
    return render(request, "bookings/booking_cancel.html", {"booking": booking, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def booking_deliver(request, booking_id: int):
    booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking_id)
    nights = booking.places.is_nights
    form = DeliverForm(request.POST if request.method == "POST" else None, nights=nights)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_deliver(
                actor=request.user,
                booking=booking,
                acknowledge_threshold=form.cleaned_data.get("acknowledge_threshold", False),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "acknowledge_threshold" in error.message_dict:
                for message in error.message_dict["acknowledge_threshold"]:
                    form.add_error("acknowledge_threshold", message)
            else:
                add_service_error(form, error)
        except TransitionNotAllowed as error:
            form.add_error(None, error.reason)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=booking)
            messages.success(request, "Recorded as delivered")
            return redirect("bookings:detail", booking.pk)
    return render(request, "bookings/booking_deliver.html", {"booking": booking, "form": form})


# ----------------------------------------------------------------------------------------------
# The waiting list


@require_GET
@permission_required(VIEW)
def waiting(request, places_id: int):
    places = selectors.access_block_places_by_id(actor=request.user, places_id=places_id)
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=WAITING_LIST,
            queryset=selectors.waiting_list(actor=request.user, places_id=places.pk),
            fmt=fmt,
            filters={"places": places.pk},
        )
    entries = list(selectors.waiting_list(actor=request.user, places_id=places.pk)[:200])
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type="bookings.waitinglistentry",
        ids=[entry.pk for entry in entries],
        filters={"places": places.pk},
    )
    return render(request, "bookings/waiting.html", {"places": places, "entries": entries})


@require_GET
@permission_required(VIEW)
def waiting_all(request):
    """Every block's waiting list together: `?status=offered` the places offered and not yet
    taken up, `?mine=on` only the children the person is keyworker for."""
    status = request.GET.get("status", "")
    if status not in (WaitingStatus.WAITING, WaitingStatus.OFFERED):
        status = ""
    mine = request.GET.get("mine") == "on"
    filters = {"status": status, "mine": "on" if mine else ""}
    fmt = export_format(request)
    if fmt is not None:
        return export_response(
            request=request,
            actor=request.user,
            export=WAITING_LIST,
            queryset=selectors.waiting_list_all(actor=request.user, status=status, mine=mine),
            fmt=fmt,
            filters=filters,
        )
    number = page_number(request.GET.get("page"))
    entries = numbered_page(
        selectors.waiting_list_all(actor=request.user, status=status, mine=mine), number=number
    )
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type="bookings.waitinglistentry",
        ids=[entry.pk for entry in entries],
        filters={**filters, "page": number if number > 1 else None},
    )
    return render(
        request,
        "bookings/waiting_all.html",
        {
            "entries": entries,
            "status": status,
            "mine": mine,
            "statuses": [
                (WaitingStatus.WAITING, "Waiting"),
                (WaitingStatus.OFFERED, "Offered a place"),
            ],
            "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


@permission_required(MANAGE)  # signed in first: the sign-in page, not a 405
@require_POST
def waiting_accept(request, entry_id: int):
    entry = selectors.access_waiting_entry_by_id(actor=request.user, entry_id=entry_id)
    try:
        booking = services.waiting_offer_accept(actor=request.user, entry=entry)
    except TransitionNotAllowed as error:
        messages.error(request, error.reason)
        return redirect("bookings:waiting", entry.places_id)
    access_log_record(actor=request.user, request=request, action="create", obj=booking)
    messages.success(request, "Booked from the waiting list")
    return redirect("bookings:detail", booking.pk)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def waiting_withdraw(request, entry_id: int):
    entry = selectors.access_waiting_entry_by_id(actor=request.user, entry_id=entry_id)
    form = ReasonForm(
        request.POST if request.method == "POST" else None, button="Take off the waiting list"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.waiting_list_withdraw(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, TransitionNotAllowed) as error:
            add_service_error(form, error)
        else:
            access_log_record(actor=request.user, request=request, action="change", obj=entry)
            messages.success(request, "Taken off the waiting list")
            return redirect("bookings:waiting", entry.places_id)
    return render(request, "bookings/waiting_withdraw.html", {"entry": entry, "form": form})


# ----------------------------------------------------------------------------------------------
# A contract's utilisation by month, as a chart with the table beside it

SERIES = (
    ("Paid for", "paid_for"),
    ("Used", "used"),
    ("Booked", "booked"),
    ("Cancelled late", "cancelled_late"),
    ("Left empty", "left_empty"),
)


def utilisation_chart(months: list) -> charts.Chart | None:
    """Bars of place-days paid for, used, booked, cancelled late and left empty per month
    (`shortbreaks.charts`); None when nothing was paid for."""
    if max((m.paid_for for m in months), default=0) <= 0:
        return None
    description = "; ".join(
        f"{m.label}: {m.paid_for} paid for, {m.used} used, {m.booked} booked, "
        f"{m.cancelled_late} cancelled late, {m.left_empty} left empty"
        for m in months
    )
    return charts.bar_chart(
        id="use-chart",
        title="Place-days used, booked, cancelled late and left empty by month",
        summary="Each month's place-days paid for, beside how many were used, booked, "
        "cancelled late and left empty.",
        description=f"Bar chart of place-days by month. {description}.",
        categories=[f"{m.month:%b}" for m in months],
        series=[
            charts.Series(what, [getattr(m, attribute) for m in months])
            for what, attribute in SERIES
        ],
        x_label="Month",
        y_label="Place-days",
    )


@require_GET
@permission_required("bookings.view_utilisation")
def contract_utilisation(request, contract_id: int):
    contract = access_contract_by_id(actor=request.user, contract_id=contract_id)
    months = selectors.contract_utilisation(actor=request.user, contract=contract)
    return render(
        request,
        "bookings/utilisation.html",
        {
            "contract": contract,
            "months": months,
            "chart": utilisation_chart(months),
            "places": list(
                selectors.block_places_for_contract(actor=request.user, contract=contract)
            ),
        },
    )


app_name = "bookings"

urlpatterns = [
    path("", places_list, name="places"),
    path("places/new/", places_set, name="places-set"),
    path("places/<int:places_id>/", places_calendar, name="calendar"),
    path("places/<int:places_id>/book/", booking_create, name="create"),
    path("places/<int:places_id>/waiting-list/", waiting, name="waiting"),
    path("places/<int:places_id>/waiting-list/join/", waiting_join, name="waiting-join"),
    path("waiting-list/", waiting_all, name="waiting-all"),
    path("waiting-list/<int:entry_id>/accept/", waiting_accept, name="waiting-accept"),
    path("waiting-list/<int:entry_id>/withdraw/", waiting_withdraw, name="waiting-withdraw"),
    path("list/", booking_list, name="list"),
    path("provider/", provider_bookings, name="provider-bookings"),
    path("<int:booking_id>/", booking_detail, name="detail"),
    path("<int:booking_id>/cancel/", booking_cancel, name="cancel"),
    path("<int:booking_id>/deliver/", booking_deliver, name="deliver"),
    path("contracts/<int:contract_id>/utilisation/", contract_utilisation, name="utilisation"),
]
