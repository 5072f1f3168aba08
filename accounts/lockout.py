"""django-axes glue: where a sign-in comes from, the lockout rules, and the page shown once
sign-in is paused."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
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


def address_failures(request) -> int:
    """Failed sign-ins from the request's address within the cool-off, whatever the usernames."""
    return (
        AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )


def address_locked(request) -> bool:
    return address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """axes' rule, (username, address) after AXES_FAILURE_LIMIT failures, plus one across
    usernames: AXES_ADDRESS_FAILURE_LIMIT failures from one address lock that address, so that
    one machine cannot try a few passwords on every username."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or request.axes_locked_out or not address_locked(request):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )


def locked_out(request, original_response=None, credentials=None):
    """The sign-in page's answer once a username, or the whole address, is locked (HTTP 429)."""
    cool_off = get_cool_off(request)
    whole_address = address_locked(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "whole_address": whole_address,
        "failure_limit": (
            settings.AXES_ADDRESS_FAILURE_LIMIT if whole_address else settings.AXES_FAILURE_LIMIT
        ),
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
