"""Monthly snapshots of the figures, so that a funder can ask "better or worse than last quarter?".

A snapshot keeps every DESIGN.md figure of a city (its live compacts together) or of one compact
as it stood on `as_of`, with the health and its reasons in words. Ratios are kept as numerator and
denominator, so a trend shows the same rounding as the live page.
"""

from django.db import models

from compacts.models import Compact
from schools.models import City


class Snapshot(models.Model):
    month = models.DateField(help_text="The first day of the month the figures are of.")
    as_of = models.DateField(help_text="The day the figures were computed for.")
    health = models.CharField(
        max_length=5, blank=True, help_text="red, amber or green; empty without figures."
    )
    reasons = models.JSONField(default=list, blank=True)
    figures = models.JSONField(
        default=dict,
        blank=True,
        help_text="Metric -> count, true/false or [numerator, denominator].",
    )
    backfilled = models.BooleanField(
        default=False,
        help_text="Worked out later from the records' dates, not taken on the day.",
    )
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["month"]


class CitySnapshot(Snapshot):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="snapshots")

    class Meta(Snapshot.Meta):
        constraints = [
            models.UniqueConstraint(fields=["city", "month"], name="one_city_snapshot_a_month")
        ]

    def __str__(self):
        return f"{self.city} {self.month:%Y-%m}"


class CompactSnapshot(Snapshot):
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="snapshots")

    class Meta(Snapshot.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "month"], name="one_compact_snapshot_a_month"
            )
        ]

    def __str__(self):
        return f"{self.compact} {self.month:%Y-%m}"


class CityRollup(models.Model):
    """A city's figures and dashboard as last computed (reports/rollups.py), kept beside the
    records so that a report page reads one row per city instead of aggregating every activity.

    `version` moves with every write to the city's records (the "city changed" signal); a stored
    computation counts only while its key (release, day, version) is the current one, so nothing
    here is ever trusted past a write, a deploy or midnight. Derived data: not in the admin.
    """

    city = models.OneToOneField(
        City, on_delete=models.CASCADE, primary_key=True, related_name="rollup"
    )
    version = models.PositiveBigIntegerField(default=0)
    figures_key = models.TextField(blank=True, default="")
    figures = models.BinaryField(null=True)
    dashboard_key = models.TextField(blank=True, default="")
    dashboard = models.BinaryField(null=True)

    def __str__(self):
        return f"rollup of city {self.city_id} at version {self.version}"
