from django.contrib import admin

from shortbreaks.accesslog.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched here, never changed."""

    list_display = ["at", "council", "username", "action", "object_type", "object_id", "outcome"]
    list_filter = ["action", "outcome", "council"]
    search_fields = ["username", "object_type", "object_id"]
    # The chain, shown on a row's page (set by the database; see accesslog_verify).
    readonly_fields = ["seq", "prev_hash", "hash"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
