"""Platform administrators link provider staff to their provider here (providers.portal)."""

from django.contrib import admin

from providers.models import ProviderAccount
from providers.services import provider_account_end, provider_account_open


@admin.register(ProviderAccount)
class ProviderAccountAdmin(admin.ModelAdmin):
    """Opening an account gives the person the provider role in the provider's council; ending
    it (the action) takes the role away. The row itself is never deleted."""

    list_display = ["user", "provider", "council", "created_at", "ended_at"]
    list_filter = ["council"]
    search_fields = ["user__username", "provider__name"]
    fields = ["user", "provider"]
    raw_id_fields = ["user", "provider"]
    actions = ["end_accounts"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        account = provider_account_open(user=obj.user, provider=obj.provider)
        obj.pk, obj.council_id, obj.created_at = account.pk, account.council_id, account.created_at

    @admin.action(description="End the selected accounts")
    def end_accounts(self, request, queryset):
        for account in queryset.filter(ended_at__isnull=True).select_related("user", "council"):
            provider_account_end(account=account)
