"""Platform administrators create councils, their organisations and teams, and people, here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from shortbreaks.councils.models import Council, Membership, Organisation, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["council"]


@admin.register(User)
class ShortBreaksUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "active_council", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Council", {"fields": ("active_council",)}))


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationInline, TeamInline]
