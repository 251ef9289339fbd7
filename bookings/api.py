"""Block places, bookings and the waiting list for other systems, under /api/v1/bookings/.

Another council's booking, places or waiting child by id in the address answers 404 exactly as a
missing one; another council's places or line named in a body answers 400 as any id the council
does not hold. A day with every place taken answers 409 with the full days; a contract that does
not run to the last day asked for, 409 with the reason. Provider staff read the bookings at their
own provider's places, with the child's first name only, and nothing else.
"""

from __future__ import annotations

from datetime import date

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings import selectors, services
from bookings.exports import BLOCK_PLACES, BOOKINGS, WAITING_LIST
from bookings.filters import BookingFilter
from bookings.models import BlockPlaces, Booking, WaitingListEntry
from bookings.serializers import (
    BlockPlacesSerializer,
    BlockPlacesSetSerializer,
    BookingCancelSerializer,
    BookingCreateSerializer,
    BookingDeliverSerializer,
    BookingFullSerializer,
    BookingSerializer,
    CalendarDaySerializer,
    CalendarQuerySerializer,
    ProviderBookingSerializer,
    UtilisationSerializer,
    WaitingListEntrySerializer,
    WaitingListFilterSerializer,
    WaitingWithdrawSerializer,
)
from contracts.selectors.register import access_contract_by_id
from referrals.models import PackageLine
from shortbreaks.accesslog.services import access_log_record, access_log_record_list
from shortbreaks.councils.selectors import scoped
from shortbreaks.exports import EXPORT_PARAMETER, ExportableListMixin, export_response
from shortbreaks.pagination import NewestFirstCursorPagination

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
VIEW = "bookings.view_booking"
MANAGE = "bookings.manage_booking"

NOT_FOUND = OpenApiResponse(description="No such record in your council.")
REFUSED = OpenApiResponse(description="The record's state or the contract forbids it; why.")
INVALID = OpenApiResponse(description="Invalid input, with a message for each field.")
FULL = OpenApiResponse(
    BookingFullSerializer,
    description="Every place is taken on the days listed, or the contract "
    "does not run to the last day (the reason only).",
)


class BookingAccess(BasePermission):
    """Council staff: the view's read or write permission. Provider staff: reads of the views
    that allow them (`provider_may_read`), nothing else."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        reading = request.method in SAFE_METHODS
        if selectors.is_provider_staff(user):
            return reading and getattr(view, "provider_may_read", False)
        perm = view.read_permission if reading else view.write_permission
        return user.has_perm("councils.use_service") and user.has_perm(perm)


class BookingPagination(NewestFirstCursorPagination):
    ordering = ("-id",)


def _field_error(field: str, message: str) -> Response:
    return Response({field: [message]}, status=status.HTTP_400_BAD_REQUEST)


def _log_list(request, rows, object_type: str) -> None:
    access_log_record_list(
        actor=request.user,
        request=request,
        object_type=object_type,
        ids=[row.pk for row in rows],
        filters={k: v for k, v in request.query_params.items() if k != "cursor"},
    )


def _places_and_line(actor, data: dict):
    """The places and line a body names, or the 400 for an id the council does not hold."""
    places = selectors.block_places_list(actor=actor).filter(pk=data.pop("places")).first()
    if places is None:
        return None, None, _field_error("places", "Choose the council's own block places.")
    line = (
        scoped(PackageLine.objects.select_related("package"), actor=actor)
        .filter(pk=data.pop("line"))
        .first()
    )
    if line is None:
        return None, None, _field_error("line", services.NO_LINE)
    return places, line, None


def _full(error: services.PlacesFull) -> Response:
    return Response(
        {"detail": error.reason, "full_days": [d.isoformat() for d in error.full_days]},
        status=status.HTTP_409_CONFLICT,
    )


# ----------------------------------------------------------------------------------------------
# Bookings


class BookingListApi(ExportableListMixin, GenericAPIView):
    """The council's bookings, newest first; POST books nights or sessions for a child.
    `?format=csv` or `xlsx` downloads every booking the filters keep."""

    permission_classes = [BookingAccess]
    read_permission, write_permission = VIEW, MANAGE
    provider_may_read = True
    pagination_class = BookingPagination
    serializer_class = BookingSerializer
    queryset = Booking.objects.none()  # for the schema; reads go through the selectors
    filterset_class = BookingFilter

    export = BOOKINGS

    def get_queryset(self):
        return selectors.booking_list(actor=self.request.user)

    @extend_schema(
        parameters=[EXPORT_PARAMETER],
        responses={200: BookingSerializer(many=True)},
    )
    def get(self, request):
        bookings = self.filter_queryset(self.get_queryset())
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=BOOKINGS,
                queryset=bookings,
                fmt=fmt,
                filters=self.export_filters(),
            )
        page = self.paginate_queryset(bookings)
        _log_list(request, page, "bookings.booking")
        shape = (
            ProviderBookingSerializer
            if selectors.is_provider_staff(request.user)
            else BookingSerializer
        )
        return self.get_paginated_response(shape(page, many=True).data)

    @extend_schema(
        request=BookingCreateSerializer,
        responses={201: BookingSerializer, 400: INVALID, 409: FULL},
    )
    def post(self, request):
        actor = request.user
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        places, line, refusal = _places_and_line(actor, data)
        if refusal is not None:
            return refusal
        try:
            booking = services.booking_create(actor=actor, places=places, line=line, **data)
        except services.PlacesFull as error:
            return _full(error)
        booking = selectors.access_booking_by_id(actor=actor, booking_id=booking.pk)
        access_log_record(actor=actor, request=request, action="create", obj=booking)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingDetailApi(APIView):
    permission_classes = [BookingAccess]
    read_permission, write_permission = VIEW, MANAGE
    provider_may_read = True

    @extend_schema(responses={200: BookingSerializer, 404: NOT_FOUND})
    def get(self, request, booking_id: int):
        booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking_id)
        access_log_record(actor=request.user, request=request, action="view", obj=booking)
        if selectors.is_provider_staff(request.user):
            return Response(ProviderBookingSerializer(booking).data)
        return Response(BookingSerializer(booking).data)


class BookingCancelApi(APIView):
    """Cancel a booking; the place is offered to the first waiting children it fits."""

    permission_classes = [BookingAccess]
    read_permission, write_permission = VIEW, MANAGE

    @extend_schema(
        request=BookingCancelSerializer,
        responses={200: BookingSerializer, 400: INVALID, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request, booking_id: int):
        booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking_id)
        serializer = BookingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = services.booking_cancel(
            actor=request.user, booking=booking, reason=serializer.validated_data["reason"]
        )
        access_log_record(actor=request.user, request=request, action="change", obj=booking)
        booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking.pk)
        return Response(BookingSerializer(booking).data)


class BookingDeliverApi(APIView):
    """Record the nights or sessions as delivered: the line's delivery record, and for nights
    the child's overnight stays (400 with the warning when a threshold would pass, until
    `acknowledge_threshold`)."""

    permission_classes = [BookingAccess]
    read_permission, write_permission = VIEW, MANAGE

    @extend_schema(
        request=BookingDeliverSerializer,
        responses={200: BookingSerializer, 400: INVALID, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request, booking_id: int):
        booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking_id)
        serializer = BookingDeliverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = services.booking_deliver(
            actor=request.user, booking=booking, **serializer.validated_data
        )
        access_log_record(actor=request.user, request=request, action="change", obj=booking)
        booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking.pk)
        return Response(BookingSerializer(booking).data)


# ----------------------------------------------------------------------------------------------
# The waiting list


class WaitingListApi(ExportableListMixin, GenericAPIView):
    """Children waiting for a place or offered one, first come first; POST adds one for days
    that are full. `?format=csv` or `xlsx` downloads every entry the filter keeps."""

    permission_classes = [BookingAccess]
    read_permission, write_permission = VIEW, MANAGE
    pagination_class = None
    serializer_class = WaitingListEntrySerializer
    queryset = WaitingListEntry.objects.none()
    export = WAITING_LIST

    @extend_schema(
        parameters=[WaitingListFilterSerializer, EXPORT_PARAMETER],
        responses={200: WaitingListEntrySerializer(many=True)},
    )
    def get(self, request):
        params = WaitingListFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        waiting = selectors.waiting_list(
            actor=request.user, places_id=params.validated_data.get("places")
        )
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=WAITING_LIST,
                queryset=waiting,
                fmt=fmt,
                filters=self.export_filters(),
            )
        entries = list(waiting[:200])
        _log_list(request, entries, "bookings.waitinglistentry")
        return Response(WaitingListEntrySerializer(entries, many=True).data)

    @extend_schema(
        request=BookingCreateSerializer,
        responses={201: WaitingListEntrySerializer, 400: INVALID, 409: REFUSED},
    )
    def post(self, request):
        actor = request.user
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        places, line, refusal = _places_and_line(actor, data)
        if refusal is not None:
            return refusal
        entry = services.waiting_list_join(actor=actor, places=places, line=line, **data)
        entry = selectors.access_waiting_entry_by_id(actor=actor, entry_id=entry.pk)
        access_log_record(actor=actor, request=request, action="create", obj=entry)
        return Response(WaitingListEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class WaitingAcceptApi(APIView):
    """Book the place a waiting child was offered."""

    permission_classes = [BookingAccess]
    read_permission, write_permission = VIEW, MANAGE

    @extend_schema(request=None, responses={201: BookingSerializer, 404: NOT_FOUND, 409: FULL})
    def post(self, request, entry_id: int):
        entry = selectors.access_waiting_entry_by_id(actor=request.user, entry_id=entry_id)
        try:
            booking = services.waiting_offer_accept(actor=request.user, entry=entry)
        except services.PlacesFull as error:
            return _full(error)
        booking = selectors.access_booking_by_id(actor=request.user, booking_id=booking.pk)
        access_log_record(actor=request.user, request=request, action="create", obj=booking)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class WaitingWithdrawApi(APIView):
    """Take a child off the waiting list (or turn down an offer): the place goes to the next."""

    permission_classes = [BookingAccess]
    read_permission, write_permission = VIEW, MANAGE

    @extend_schema(
        request=WaitingWithdrawSerializer,
        responses={200: WaitingListEntrySerializer, 400: INVALID, 404: NOT_FOUND, 409: REFUSED},
    )
    def post(self, request, entry_id: int):
        entry = selectors.access_waiting_entry_by_id(actor=request.user, entry_id=entry_id)
        serializer = WaitingWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.waiting_list_withdraw(
            actor=request.user, entry=entry, reason=serializer.validated_data["reason"]
        )
        entry = selectors.access_waiting_entry_by_id(actor=request.user, entry_id=entry.pk)
        access_log_record(actor=request.user, request=request, action="change", obj=entry)
        return Response(WaitingListEntrySerializer(entry).data)


# ----------------------------------------------------------------------------------------------
# Block places, their calendar and a contract's utilisation (counts only, no child)


class BlockPlacesListApi(ExportableListMixin, GenericAPIView):
    """The places each award of the council's block contracts holds; POST sets an award's.
    `?format=csv` or `xlsx` downloads every one."""

    permission_classes = [BookingAccess]
    read_permission, write_permission = "bookings.view_places", "bookings.manage_places"
    pagination_class = None
    serializer_class = BlockPlacesSerializer
    queryset = BlockPlaces.objects.none()
    export = BLOCK_PLACES

    @extend_schema(parameters=[EXPORT_PARAMETER], responses={200: BlockPlacesSerializer(many=True)})
    def get(self, request):
        fmt = self.export_format(request)
        if fmt is not None:
            return export_response(
                request=request,
                actor=request.user,
                export=BLOCK_PLACES,
                queryset=selectors.block_places_list(actor=request.user),
                fmt=fmt,
            )
        rows = selectors.block_places_list(actor=request.user)[:500]
        return Response(BlockPlacesSerializer(rows, many=True).data)

    @extend_schema(
        request=BlockPlacesSetSerializer,
        responses={201: BlockPlacesSerializer, 400: INVALID},
    )
    def post(self, request):
        serializer = BlockPlacesSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        award = selectors.awards_for_places(actor=request.user).filter(pk=data.pop("award")).first()
        if award is None:
            return _field_error("award", "Choose an award of one of the council's block contracts.")
        row = services.block_places_set(actor=request.user, award=award, **data)
        row = selectors.access_block_places_by_id(actor=request.user, places_id=row.pk)
        return Response(BlockPlacesSerializer(row).data, status=status.HTTP_201_CREATED)


def _month(value: str | None) -> date:
    if not value:
        return timezone.localdate().replace(day=1)
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class BlockPlacesCalendarApi(APIView):
    """Each day of a month with the places taken and free."""

    permission_classes = [BookingAccess]
    read_permission = write_permission = "bookings.view_places"

    @extend_schema(
        parameters=[CalendarQuerySerializer],
        responses={200: CalendarDaySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, places_id: int):
        places = selectors.access_block_places_by_id(actor=request.user, places_id=places_id)
        params = CalendarQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        month = selectors.month_calendar(
            places=places, month=_month(params.validated_data.get("month"))
        )
        days = [
            {"day": d.day, "places": d.places, "taken": d.taken, "free": d.free}
            for week in month.weeks
            for d in week
            if d is not None
        ]
        return Response(CalendarDaySerializer(days, many=True).data)


class ContractUtilisationApi(APIView):
    """A block contract's places by month: paid for, used, booked, cancelled late, left empty."""

    permission_classes = [BookingAccess]
    read_permission = write_permission = "bookings.view_utilisation"

    @extend_schema(responses={200: UtilisationSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, contract_id: int):
        contract = access_contract_by_id(actor=request.user, contract_id=contract_id)
        months = selectors.contract_utilisation(actor=request.user, contract=contract)
        data = [
            {
                "month": m.month,
                "paid_for": m.paid_for,
                "used": m.used,
                "booked": m.booked,
                "cancelled_late": m.cancelled_late,
                "left_empty": m.left_empty,
            }
            for m in months
        ]
        return Response(UtilisationSerializer(data, many=True).data)


urlpatterns = [
    path("bookings/", BookingListApi.as_view(), name="api-bookings"),
    path("bookings/<int:booking_id>/", BookingDetailApi.as_view(), name="api-booking"),
    path(
        "bookings/<int:booking_id>/cancel/", BookingCancelApi.as_view(), name="api-booking-cancel"
    ),
    path(
        "bookings/<int:booking_id>/deliver/",
        BookingDeliverApi.as_view(),
        name="api-booking-deliver",
    ),
    path("bookings/waiting-list/", WaitingListApi.as_view(), name="api-booking-waiting-list"),
    path(
        "bookings/waiting-list/<int:entry_id>/accept/",
        WaitingAcceptApi.as_view(),
        name="api-booking-waiting-accept",
    ),
    path(
        "bookings/waiting-list/<int:entry_id>/withdraw/",
        WaitingWithdrawApi.as_view(),
        name="api-booking-waiting-withdraw",
    ),
    path("bookings/places/", BlockPlacesListApi.as_view(), name="api-block-places"),
    path(
        "bookings/places/<int:places_id>/calendar/",
        BlockPlacesCalendarApi.as_view(),
        name="api-block-places-calendar",
    ),
    path(
        "bookings/contracts/<int:contract_id>/utilisation/",
        ContractUtilisationApi.as_view(),
        name="api-contract-utilisation",
    ),
]
