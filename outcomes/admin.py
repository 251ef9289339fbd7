"""Outcome surveys in the admin are for looking only: answers come through the services."""

from django.contrib import admin

from outcomes.models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "period_start", "period_end", "status"]
    list_filter = ["council", "status"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
