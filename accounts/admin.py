"""Users and their city memberships, managed by superusers in the admin.

A user's memberships are edited inline on the user's page: that is where an administrator is
when giving someone access. The Membership list answers the other question, who may see a city.
Both lists export the selected rows as CSV or XLSX (a user's export leaves out the password hash).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Membership
from core.admin import Column, ExportActionsMixin, HistoryExportAdmin

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("city", "role")
    extra = 0
    verbose_name = "city membership"
    verbose_name_plural = "City memberships (editors change a city's records, viewers read them)"


admin.site.unregister(User)


# What a list of people with access needs; never the password hash.
USER_EXPORT_FIELDS = (
    "username",
    "email",
    "first_name",
    "last_name",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_login",
    "date_joined",
)


@admin.register(User)
class UserAdmin(ExportActionsMixin, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_superuser")
    list_filter = ("is_active", "is_superuser", "memberships__role", "memberships__city")

    def get_export_columns(self) -> list[Column]:
        return [("id", lambda user: user.pk)] + [
            (name, lambda user, name=name: getattr(user, name)) for name in USER_EXPORT_FIELDS
        ]


@admin.register(Membership)
class MembershipAdmin(HistoryExportAdmin):
    list_display = ("user", "city", "role", "updated_at")
    list_filter = ("role", "city")
    search_fields = (
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
        "city__name",
    )
    autocomplete_fields = ("user", "city")
    list_select_related = ("user", "city")
    ordering = ("city__name", "user__username")
