"""django-axes glue: where a sign-in comes from, and the page shown once sign-in is paused."""

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str:
    """The address a sign-in comes from, for axes' (username, address) lockout.

    Behind N trusted proxies (TRUSTED_PROXY_COUNT in the environment) the client is the Nth
    address from the right of X-Forwarded-For: the entries left of it are whatever the client
    chose to send. Without proxies it is REMOTE_ADDR.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote_addr
    return forwarded[-proxies]


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page's answer once a username is locked out from an address (HTTP 429)."""
    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
