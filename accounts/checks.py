"""Deploy checks for what several app processes must share.

Here because the accounts app is what most depends on it besides the dashboards: the password
reset throttle counts in the cache too.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "core.read_ahead.ReadAheadLocMemCache",
}


@register(Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs):
    """With DEBUG off, warn when the default cache lives inside each worker process."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    minutes = max(1, settings.DASHBOARD_CACHE_SECONDS // 60)
    return [
        Warning(
            f"The cache is per-process ({backend.rsplit('.', 1)[-1]}): with more than one worker, "
            "a write leaves the other workers serving old dashboards for up to "
            f"{minutes} minutes, and the password reset limits count per worker.",
            hint=(
                "Set REDIS_URL (for example redis://127.0.0.1:6379/0) so that every worker "
                "shares one cache. Running a single worker process? Set "
                "SILENCED_SYSTEM_CHECKS=accounts.W001 in the environment."
            ),
            id="accounts.W001",
        )
    ]
