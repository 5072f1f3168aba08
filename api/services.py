"""Every write to API tokens: create (the secret is returned once), revoke, and the last-used
time that authentication notes."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

# "ct_" names the site in a leaked secret (secret scanners match on it); the prefix that lists
# show is the first PREFIX_LENGTH characters after it.
SECRET_START = "ct_"
PREFIX_LENGTH = 8
# A request notes the token's use at most this often: a busy script does not write every time.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
EXPIRY_CHOICES_DAYS = (30, 90, 365)


def hash_secret(secret: str) -> str:
    """The stored form of a secret. A plain SHA-256 suffices: the secret is 256 random bits,
    never guessable, so a slow password hash would only slow every request down."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of `user`, valid `days` days; returns it with its secret, which is never
    stored and cannot be shown again."""
    body = secrets.token_urlsafe(32)
    secret = f"{SECRET_START}{body}"
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name,
        prefix=body[:PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    with transaction.atomic():
        token.full_clean()
        token.save()
    return token, secret


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Refuse the token from now on; a revoked token stays listed, with when it was revoked."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_revoke(queryset) -> int:
    """Revoke every token of the queryset not yet revoked (the admin's action); how many."""
    return queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_for_secret(secret: str) -> ApiToken | None:
    """The usable token with this secret, its user joined, noting its use; None otherwise."""
    if not secret.startswith(SECRET_START):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
    now = timezone.now()
    if token is None or not token.is_usable_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
