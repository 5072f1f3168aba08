"""The matrix's checking, apart from the test module so that it can also be pointed at throwaway
views and shown to catch a missing permission check (tests/test_permission_matrix.py)."""

from __future__ import annotations

import importlib
import pkgutil

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tests.accounts.two_factor import sign_in_verified
from tests.matrix import EXPECTED, EXPECTED_POST, PERSONAS, SCOPED_LISTS, Route
from tests.matrix.world import World

# Django's admin has hundreds of generated patterns; tests/test_permission_matrix.py checks it
# as a whole.
SKIPPED_NAMESPACES = {"admin"}

# For each signed-in persona, the city whose name must never appear on a scoped list page.
FOREIGN_CITY = {"viewer": "y", "editor": "y", "outsider": "x"}


def all_routes() -> list[Route]:
    """The ROUTES of every tests/matrix/routes_<app>.py."""
    routes = []
    for module_info in pkgutil.iter_modules(tests.matrix.__path__):
        if module_info.name.startswith("routes_"):
            module = importlib.import_module(f"tests.matrix.{module_info.name}")
            routes.extend(module.ROUTES)
    return routes


def _patterns(resolver=None, namespace: str = ""):
    """(full name, pattern) for every URL pattern outside the skipped namespaces; unnamed ones
    are named "<unnamed ...>" so that the meta-test reports them too."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>"
            yield name, pattern


def url_pattern_names(resolver=None) -> list[str]:
    """Every URL pattern's full name ("compacts:commitment_edit")."""
    return [name for name, _ in _patterns(resolver)]


def open_pattern_names(resolver=None) -> list[str]:
    """The patterns whose view is marked login_not_required: LoginRequiredMiddleware lets
    anonymous visitors through to them."""
    return [
        name
        for name, pattern in _patterns(resolver)
        if not getattr(pattern.callback, "login_required", True)
    ]


def uncovered_patterns(routes: list[Route], resolver=None) -> list[str]:
    return sorted(set(url_pattern_names(resolver)) - {route.name for route in routes})


def outcome(response) -> object:
    """ "login" for a redirect to the sign-in page (or the API's 401), "ok" for any other success
    or redirect (or the API's 400 with field errors), else the status code."""
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303) and location.startswith(reverse("login")):
        return "login"
    # The API's way of asking for credentials (a script cannot follow a sign-in redirect).
    if response.status_code == 401:
        return "login"
    # The API's answer to a request that passed the access checks but not validation: the
    # page's 200 with the form's errors.
    if response.status_code == 400 and response.get("Content-Type") == "application/json":
        return "ok"
    if response.status_code < 400:
        return "ok"
    return response.status_code


def expected_get(route: Route, persona: str) -> object:
    return EXPECTED[route.access][persona]


def expected_post(route: Route, persona: str) -> set:
    """The acceptable answers to a POST.

    A writing route (post=True) follows the table. A reading route refuses POST with 405, except
    that the sign-in redirect and the outsider's 404 / the read-only member's 403 may come first.
    """
    if route.post:
        access = route.post_access or route.access
        return {EXPECTED_POST.get(access, EXPECTED[access])[persona]}
    on_get = expected_get(route, persona)
    if on_get == "login":
        return {"login"}
    if on_get in (403, 404):
        return {on_get, 405}
    return {405}


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def sign_in(users: dict[str, object]) -> dict[str, str | None]:
    """persona -> session key (None for anonymous), for the users given by persona name."""
    sessions: dict[str, str | None] = {"anonymous": None}
    for persona, user in users.items():
        client = Client()
        sign_in_verified(client, user)
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def check_route(route: Route, world: World, sessions: dict[str, str | None]) -> list[str]:
    """Walk one route as every persona, GET then POST; return what differs from the table.

    POSTs run in a savepoint that is rolled back, so that an editor's successful change (or a
    delete) leaves the sample records in place for the next persona. The clients are never
    signed out by a POST: each request starts from a fresh client holding the persona's session.
    """
    url = reverse(route.name, kwargs=route.kwargs(world.x))
    query = route.query(world.x) if callable(route.query) else route.query
    if query:
        url = f"{url}?{query}"
    failures = []
    for persona in PERSONAS:
        response = _client(sessions[persona]).get(url)
        got, wanted = outcome(response), expected_get(route, persona)
        if got != wanted:
            failures.append(f"GET {url} ({route.name}) as {persona}: got {got}, expected {wanted}")
        elif got == "ok" and route.access in SCOPED_LISTS and persona in FOREIGN_CITY:
            foreign = getattr(world, FOREIGN_CITY[persona]).city.name
            if foreign in _body(response):
                failures.append(
                    f"GET {url} ({route.name}) as {persona}: shows {foreign!r}, a city the "
                    f"{persona} is not a member of"
                )

        with transaction.atomic():
            response = _client(sessions[persona]).post(url, route.post_data(world.x))
            transaction.set_rollback(True)
        got, wanted = outcome(response), expected_post(route, persona)
        if got not in wanted:
            wanted_text = " or ".join(str(answer) for answer in sorted(wanted, key=str))
            failures.append(
                f"POST {url} ({route.name}) as {persona}: got {got}, expected {wanted_text}"
            )
    return failures


def _client(session_key: str | None) -> Client:
    client = Client()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client
