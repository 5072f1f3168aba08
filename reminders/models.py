"""Per-user reminder preferences and the record of every mail sent (or being sent).

A `Delivery` row per (user, kind, period) is claimed before a mail goes out: the unique
constraint makes a second sender (another cron run, another machine) find the row taken, so
each digest and each alert leaves at most once per successful send.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reminders.choices import Frequency, Kind, State


class Preferences(models.Model):
    """How often a user hears from the site, and when they last looked at My work. Created
    lazily (reminders.services.preferences_for) on the first visit or the first digest run."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY, verbose_name="Digest"
    )
    alerts = models.BooleanField(
        default=True,
        verbose_name="Alerts",
        help_text="An email as soon as a signer of a live compact of your cities leaves.",
    )
    iso_dates = models.BooleanField(
        default=False,
        verbose_name="Dates as 2026-12-07",
        help_text="Numeric ISO dates in emails instead of 7 Dec 2026.",
    )
    # The start of the latest visit and of the one before it: "what changed since your last
    # visit" counts from the previous one, so a reload does not empty the list.
    last_seen_at = models.DateTimeField(null=True, blank=True)
    previous_visit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Reminder preferences of {self.user}"


class Delivery(models.Model):
    """One mail to one user: a digest of a period, or an alert about one departure. Claimed
    (inserted) before sending, then sent, failed (retried by the next run) or skipped (nothing
    to say)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # "2026-11-30" (the week starting that Monday), "2026-11" (a month), "term-42" (an alert).
    period = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=1)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "period"],
                name="%(app_label)s_%(class)s_once_per_period",
                violation_error_message="This mail is already recorded for that period.",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(state=State.SENT),
                name="%(app_label)s_%(class)s_sent_at_only_when_sent",
                violation_error_message="Only a sent mail has a sending time.",
            ),
        ]
        indexes = [models.Index(fields=["state", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} to {self.user}"
