from django.contrib import admin

from shortbreaks.notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("kind", "email", "status", "attempts", "created_at", "sent_at", "council")
    list_filter = ("status", "kind", "council")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email", "council")
    list_filter = ("kind", "email", "council")
