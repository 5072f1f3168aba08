"""Walks every URL pattern as every persona and checks DESIGN.md's "Who may do what" table."""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tests.matrix import EXPECTED, PERSONAS
from tests.matrix.world import build_world

# Django's admin has hundreds of generated patterns; it is checked as a whole below.
SKIPPED_NAMESPACES = {"admin"}


def all_routes():
    routes = []
    for module_info in pkgutil.iter_modules(tests.matrix.__path__):
        if module_info.name.startswith("routes_"):
            module = importlib.import_module(f"tests.matrix.{module_info.name}")
            routes.extend(module.ROUTES)
    return routes


def url_pattern_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            names.extend(url_pattern_names(pattern, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>")
    return names


ROUTES = all_routes()


def test_every_url_pattern_is_in_the_matrix():
    covered = {route.name for route in ROUTES}
    missing = sorted(set(url_pattern_names()) - covered)
    assert missing == [], f"URL patterns missing from tests/matrix/routes_*.py: {missing}"


def test_the_matrix_names_only_existing_patterns():
    stale = sorted({route.name for route in ROUTES} - set(url_pattern_names()))
    assert stale == []


@pytest.fixture
def personas(city_x, city_y, viewer, editor, outsider, superuser):
    clients = {"anonymous": Client()}
    for name, user in (
        ("viewer", viewer),
        ("outsider", outsider),
        ("editor", editor),
        ("superuser", superuser),
    ):
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


def _outcome(response) -> object:
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303) and location.startswith(reverse("login")):
        return "login"
    if response.status_code < 400:
        return "ok"
    return response.status_code


def _check(route, method, outcome, expected, persona):
    assert outcome == expected, (
        f"{method} {route.name} as {persona}: got {outcome}, expected {expected}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.name}{route.query}")
def test_route_answers_each_persona_as_designed(route, personas, city_x, city_y):
    world = build_world(city_x, city_y)
    url = reverse(route.name, kwargs=route.kwargs(world.x))
    if route.query:
        url = f"{url}?{route.query}"
    expected = EXPECTED[route.access]
    for persona in PERSONAS:
        client = personas[persona]
        _check(route, "GET", _outcome(client.get(url)), expected[persona], persona)
        with transaction.atomic():
            response = client.post(url, route.post_data(world.x))
            transaction.set_rollback(True)
        outcome = _outcome(response)
        if route.post or outcome == "login":
            _check(route, "POST", outcome, expected[persona], persona)
        elif persona == "outsider" and outcome == 404:
            continue
        else:
            _check(route, "POST", outcome, 405, persona)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "admin_login"),
        ("viewer", "admin_login"),
        ("outsider", "admin_login"),
        ("editor", "admin_login"),
        ("superuser", 200),
    ],
)
def test_admin_is_for_superusers_only(personas, persona, expected):
    response = personas[persona].get("/admin/")
    if expected == "admin_login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == expected
