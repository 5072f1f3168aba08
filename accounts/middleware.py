"""What every request of a signed-in user goes through: the user loaded once, no copy of a page
kept by a browser or proxy, sessions that end after idleness or a fixed time, and the second
sign-in step.

None of these queries the database: they read the session and the user, loaded from the cache
(accounts/backends.py).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from accounts import two_factor

SIGNED_IN_AT_SESSION_KEY = "signed_in_at"
LAST_SEEN_SESSION_KEY = "last_seen"
# The idle clock is kept to the minute, so that a page view does not write the session each time.
LAST_SEEN_RESOLUTION_SECONDS = 60


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with `request.user` the user itself rather than a lazy proxy of it.

    The proxy would spare loading the user on a request that never asks who is asking, but every
    request here asks (NoStoreForSignedInMiddleware, after the view); meanwhile each of the
    fifty or so reads of the user on a page (the middleware below, the scope, the layout) went
    through the proxy's Python code. The user is loaded as the proxy would load it."""

    def process_request(self, request):
        super().process_request(request)
        request.user = auth_middleware.get_user(request)


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store, private` on every answer to a signed-in user (pages, exports,
    redirects), so that a shared computer's browser cache or a proxy keeps none of a city's
    records after the person has gone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def note_sign_in(session) -> None:
    now = timezone.now().timestamp()
    session[SIGNED_IN_AT_SESSION_KEY] = now
    session[LAST_SEEN_SESSION_KEY] = now


def _minutes(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def session_end_reason(session) -> str | None:
    """Why this session is over (a sentence for the person), or None while it is still good;
    keeps the idle clock when it is."""
    now = timezone.now().timestamp()
    signed_in_at = session.setdefault(SIGNED_IN_AT_SESSION_KEY, now)
    last_seen = session.get(LAST_SEEN_SESSION_KEY, now)
    if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return (
            f"For your security you were signed out {_minutes(settings.SESSION_ABSOLUTE_TIMEOUT)}"
            " after signing in. Please sign in again to carry on."
        )
    if now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return (
            f"You were signed out after {_minutes(settings.SESSION_IDLE_TIMEOUT)} without "
            "activity. Please sign in again to carry on."
        )
    if LAST_SEEN_SESSION_KEY not in session or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_SESSION_KEY] = now
    return None


class SessionLimitsMiddleware:
    """Ends a session SESSION_IDLE_TIMEOUT after its last request, or SESSION_ABSOLUTE_TIMEOUT
    after sign-in: the request is signed out and sent to sign in, with a calm message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = session_end_reason(request.session)
            if reason:
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def second_step_allowed(view):
    """Marks a view that a signed-in user may reach before passing the second step."""
    view.second_step_allowed = True
    return view


class SecondStepMiddleware:
    """Until a session passes the second step, its user reaches only the code step, the app
    set-up (superusers without an app) and sign-out: every other page, the admin included,
    redirects to the step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or getattr(view_func, "second_step_allowed", False):
            return None
        if not two_factor.step_needed(user, request.session):
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('two_factor_verify')}?{query}")
