from django.db import models


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    OFF = "off", "Off"


class Kind(models.TextChoices):
    """What a delivery is: a digest of one period, or the alert about one departure."""

    WEEKLY = "weekly", "Weekly digest"
    MONTHLY = "monthly", "Monthly digest"
    ALERT = "alert", "Signatory alert"


class State(models.TextChoices):
    CLAIMED = "claimed", "Claimed (sending)"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (retried by the next run)"
    SKIPPED = "skipped", "Nothing to say"
