"""Pieces every domain model shares."""

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """created_at / updated_at on every domain record.

    updated_at doubles as the version token of edit forms: a save whose token differs from the
    stored value is a concurrent edit and is refused.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DemoDataset(models.Model):
    """Present while the illustrative demo data is loaded, so every page can say so."""

    loaded_at = models.DateTimeField(default=timezone.now)
    banner = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.banner
