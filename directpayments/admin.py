"""Direct payments in the admin are for looking only: every change goes through the services,
which check the amounts and write the history."""

from django.contrib import admin

from directpayments.models import Agreement, Payment, Recovery


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "start_on", "end_on", "period", "amount_per_period"]
    list_filter = ["council", "period", "method"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "agreement", "paid_on", "amount"]
    list_filter = ["council"]


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "agreement", "recovered_on", "amount"]
    list_filter = ["council"]
