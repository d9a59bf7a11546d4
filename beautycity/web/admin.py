"""Accounts through Django's admin: users with their role and unit, API keys (digests only)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, AuditEntry, Profile, Year


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


class UserWithRole(UserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "is_active", "last_login", "role")

    @admin.display(description="role")
    def role(self, user):
        return getattr(getattr(user, "profile", None), "role", "")


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserWithRole)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    readonly_fields = ("user", "digest", "created_at")

    def has_add_permission(self, request):
        return False  # a key is issued on the account page, shown once


@admin.register(AuditEntry)
class AuditAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "what", "sha256")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):
    """A new year is opened here (its year and deadline); publication is on the board."""

    list_display = ("year", "deadline", "published_at", "published_by")
    readonly_fields = ("published_at", "published_by", "scored", "rendered")

    def has_delete_permission(self, request, obj=None):
        return False
