"""Block places and bookings in the admin are for looking only: every change goes through the
services, which lock the places, count them and write the history."""

from django.contrib import admin

from bookings.models import BlockPlaces, Booking, WaitingListEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BlockPlaces)
class BlockPlacesAdmin(ReadOnlyAdmin):
    list_display = ["contract", "lot", "provider", "unit", "places", "council"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["id", "places", "first_day", "last_day", "status", "council"]
    list_filter = ["status"]


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "places", "first_day", "last_day", "status", "council"]
