"""Children's records in the admin are for looking only: every change goes through the services,
which check the state, write the timeline and move the tier."""

from django.contrib import admin

from referrals.models import (
    Assessment,
    Child,
    GrantApplication,
    GrantScheme,
    Package,
    Referral,
    Review,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Child)
class ChildAdmin(ReadOnlyAdmin):
    list_display = ["council_child_id", "council", "tier", "keyworker"]
    list_filter = ["council", "tier"]
    search_fields = ["council_child_id"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "received_on", "source", "primary_need", "status"]
    list_filter = ["council", "status"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "status", "started_on", "completed_on", "authorised_on"]
    list_filter = ["council", "status"]


@admin.register(Package)
class PackageAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "status", "start_on", "next_review_due"]
    list_filter = ["council", "status"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "held_on", "outcome"]
    list_filter = ["council", "outcome"]


@admin.register(GrantScheme)
class GrantSchemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "council", "year"]
    list_filter = ["council"]


@admin.register(GrantApplication)
class GrantApplicationAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "scheme", "received_on", "status", "payment_status"]
    list_filter = ["council", "status"]
