"""Personal API tokens: how a script acts as its user on the REST API."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A secret a user created to call the API as themselves, until it expires or is revoked.

    Only the SHA-256 hash of the secret is stored: the secret is shown once, when created. The
    prefix (the secret's first characters) is what lists show, so that a person can tell their
    tokens apart without the secret.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “nightly sync”.")
    prefix = models.CharField(max_length=16, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="%(app_label)s_%(class)s_expires_after_creation",
                violation_error_message="A token expires after it is created.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at > moment

    @property
    def is_usable(self) -> bool:
        return self.is_usable_at(timezone.now())
