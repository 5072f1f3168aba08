"""Password reset throttle: a few emails per account and a few requests per address each hour.

Counted in the cache (shared by every worker once REDIS_URL is set) in windows of one clock hour;
incrementing is atomic, so parallel requests cannot slip past the limit together.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WINDOW_SECONDS = 3600

log = logging.getLogger(__name__)


def _take(kind: str, who: str, limit: int) -> bool:
    """Count one more for `who`; False once the window's count is past `limit`."""
    window = int(timezone.now().timestamp() // WINDOW_SECONDS)
    key = f"reset-throttle:{kind}:{who}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window has begun
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    if count > limit:
        log.warning("Password reset refused: more than %d this hour for %s %s", limit, kind, who)
        return False
    return True


def reset_allowed_from(address: str) -> bool:
    return _take("address", address, settings.PASSWORD_RESET_LIMIT_PER_ADDRESS)


def reset_email_allowed_for(user) -> bool:
    return _take("account", str(user.pk), settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT)
