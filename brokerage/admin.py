"""Brokerage in the admin is for looking only: every change goes through the services, which
clean the text of identifiers, check the state and write the history."""

from django.contrib import admin

from brokerage.models import BrokerageRequest, BrokerageResponse, BrokerageWeights


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BrokerageRequest)
class BrokerageRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "status", "lot", "deadline"]
    list_filter = ["status"]


@admin.register(BrokerageResponse)
class BrokerageResponseAdmin(ReadOnlyAdmin):
    list_display = ["id", "council", "request", "provider", "can_meet", "outcome"]


@admin.register(BrokerageWeights)
class BrokerageWeightsAdmin(ReadOnlyAdmin):
    list_display = ["dps", "council", "price_weight", "quality_weight"]
