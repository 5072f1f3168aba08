"""Walks every URL pattern as every persona and checks DESIGN.md's "Who may do what" table.

The routes come from tests/matrix/routes_*.py, the checking from tests/matrix/harness.py. The
last tests point the same checking at throwaway views (tests/matrix/unguarded_urls.py) to show
that it catches a view whose permission check was removed.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.accounts.factories import UserFactory
from tests.accounts.two_factor import sign_in_verified
from tests.matrix import CITY_CHANGE, EXPECTED, PUBLIC, SIGN_OUT, SIGNED_IN, Route
from tests.matrix.harness import (
    all_routes,
    check_route,
    open_pattern_names,
    sign_in,
    uncovered_patterns,
    url_pattern_names,
)
from tests.matrix.world import World, build_cities, build_personas, build_world

ROUTES = all_routes()


def test_every_url_pattern_is_in_the_matrix():
    missing = uncovered_patterns(ROUTES)
    assert missing == [], f"URL patterns missing from tests/matrix/routes_*.py: {missing}"


def test_the_matrix_names_only_existing_patterns():
    stale = sorted({route.name for route in ROUTES} - set(url_pattern_names()))
    assert stale == []


# Deny by default: these and nothing else answer without a session (besides static files and
# the admin's own sign-in page).
OPEN_WITHOUT_SIGN_IN = [
    "healthz",
    "login",
    "logout",
    "password_reset",
    "password_reset_complete",
    "password_reset_confirm",
    "password_reset_done",
    "reminders:unsubscribe",
]


# The API's endpoints and schema pass the sign-in middleware because they authenticate each
# request themselves (a token, or the session) and answer 401 without: the matrix checks that
# answer on every one of them (harness.outcome), and tests/api that each requires it.
API_PREFIX = "api:"


def test_only_the_sign_in_pages_and_healthz_are_open_without_a_session():
    open_pages = [name for name in open_pattern_names() if not name.startswith(API_PREFIX)]
    assert sorted(open_pages) == OPEN_WITHOUT_SIGN_IN
    open_routes = sorted(route.name for route in ROUTES if route.access in {PUBLIC, SIGN_OUT})
    assert open_routes == OPEN_WITHOUT_SIGN_IN


@override_settings(ROOT_URLCONF="tests.matrix.unguarded_urls")
def test_the_open_view_check_sees_a_view_marked_login_not_required():
    assert "login" in open_pattern_names()
    assert "commitment_list" not in open_pattern_names()


def test_every_route_has_an_access_class_of_the_table():
    unknown = sorted(route.name for route in ROUTES if route.access not in EXPECTED)
    assert unknown == []


def test_no_route_is_listed_twice():
    keys = [(route.name, route.query) for route in ROUTES]
    assert sorted({key for key in keys if keys.count(key) > 1}) == []


@dataclass
class Matrix:
    world: World
    users: dict
    sessions: dict


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """One sample world and one set of signed-in personas for the whole module.

    Built once inside a transaction that is rolled back when the module is done; every test
    still runs in its own savepoint (pytest-django's `db`), and the harness rolls back each
    POST, so no test sees another's writes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        city_x, city_y = build_cities()
        users = build_personas(city_x, city_y)
        yield Matrix(world=build_world(city_x, city_y), users=users, sessions=sign_in(users))
        transaction.set_rollback(True)


@pytest.fixture
def world(matrix, db):
    return matrix.world


@pytest.fixture
def sessions(matrix, db):
    return matrix.sessions


def _route_id(route: Route) -> str:
    query = route.query if isinstance(route.query, str) else "(query from the world)"
    return f"{route.name}{query}"


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_route_answers_each_persona_as_designed(route, world, sessions):
    failures = check_route(route, world, sessions)
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "admin_login"),
        ("viewer", "admin_login"),
        ("outsider", "admin_login"),
        ("editor", "admin_login"),
        ("staff_member", "admin_login"),
        ("superuser", 200),
    ],
)
def test_admin_is_for_superusers_only(persona, expected, matrix, db):
    users = {
        **matrix.users,
        # Flagged staff by mistake, without being a superuser: still no way in.
        "staff_member": UserFactory(username="staff", is_staff=True),
    }
    client = Client()
    if persona in users:
        sign_in_verified(client, users[persona])
    response = client.get("/admin/")
    if expected == "admin_login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == expected


# The matrix bites: the same checking, pointed at throwaway views with a check removed.

unguarded_urls = override_settings(ROOT_URLCONF="tests.matrix.unguarded_urls")


def _edit(name):
    return Route(name, CITY_CHANGE, kwargs=lambda w: {"pk": w.commitment.pk}, post=True)


@unguarded_urls
def test_the_matrix_passes_views_that_check_scope_and_role(world, sessions):
    for route in (_edit("commitment_edit"), Route("commitment_list", SIGNED_IN)):
        assert check_route(route, world, sessions) == []


@unguarded_urls
def test_the_matrix_fails_an_edit_view_without_its_editor_check(world, sessions):
    url = f"/edit-no-role/{world.x.commitment.pk}/"
    assert check_route(_edit("commitment_edit_without_role_check"), world, sessions) == [
        f"GET {url} (commitment_edit_without_role_check) as viewer: got ok, expected 403",
        f"POST {url} (commitment_edit_without_role_check) as viewer: got ok, expected 403",
    ]


@unguarded_urls
def test_the_matrix_fails_an_edit_view_that_does_not_scope_its_record(world, sessions):
    url = f"/edit-no-scope/{world.x.commitment.pk}/"
    assert check_route(_edit("commitment_edit_without_scope"), world, sessions) == [
        f"GET {url} (commitment_edit_without_scope) as outsider: got ok, expected 404",
        f"POST {url} (commitment_edit_without_scope) as outsider: got ok, expected 404",
    ]


@unguarded_urls
def test_the_matrix_fails_a_list_that_shows_every_city(world, sessions):
    route = Route("commitment_list_without_scope", SIGNED_IN)
    url = "/list-no-scope/"
    assert check_route(route, world, sessions) == [
        f"GET {url} (commitment_list_without_scope) as viewer: shows 'Yton', a city the viewer "
        "is not a member of",
        f"GET {url} (commitment_list_without_scope) as outsider: shows 'Xville', a city the "
        "outsider is not a member of",
        f"GET {url} (commitment_list_without_scope) as editor: shows 'Yton', a city the editor "
        "is not a member of",
    ]


@unguarded_urls
def test_the_matrix_fails_a_reading_route_that_claims_to_accept_post(world, sessions):
    failures = check_route(Route("commitment_list", SIGNED_IN, post=True), world, sessions)
    assert failures == [
        f"POST /list/ (commitment_list) as {persona}: got 405, expected ok"
        for persona in ("viewer", "outsider", "editor", "superuser")
    ]


@unguarded_urls
def test_the_meta_test_reports_patterns_without_a_route():
    covered = [_edit("commitment_edit"), Route("commitment_list", SIGNED_IN)]
    missing = uncovered_patterns(covered)
    assert "commitment_edit_without_scope" in missing
    assert "login" in missing
    assert "<unnamed <URLPattern 'unnamed/'>>" in missing
