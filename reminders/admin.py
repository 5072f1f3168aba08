from django.contrib import admin

from reminders.models import Delivery, Preferences


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "alerts", "iso_dates", "last_seen_at")
    list_filter = ("frequency", "alerts")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """What was sent, to whom and when: read-only, the send_digests command writes it."""

    list_display = ("claimed_at", "user", "kind", "period", "state", "attempts", "sent_at")
    list_filter = ("kind", "state")
    search_fields = ("user__username", "user__email", "period", "subject")
    list_select_related = ("user",)
    date_hierarchy = "claimed_at"
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
