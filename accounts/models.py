"""Who may see and change which city's records."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.choices import Role
from core.models import TimeStampedModel


class Membership(TimeStampedModel):
    """A user's role in one city: editors change its records, viewers read them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    city = models.ForeignKey("schools.City", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.VIEWER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "city"],
                name="%(app_label)s_%(class)s_unique_user_city",
                violation_error_message="This user already has a role in this city.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="%(app_label)s_%(class)s_role_valid",
                violation_error_message="The role is editor or viewer.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} of {self.city}"
