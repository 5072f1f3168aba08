"""Named personas shared by every test: a city X with its editor and viewer, an outsider who
edits city Y, a superuser, and anonymous visitors."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

import core.changes
from accounts.choices import Role
from reports import cache as report_cache
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.accounts.two_factor import sign_in_verified
from tests.schools.factories import CityFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Dashboards, the demo banner and axes counters live in the cache; tests must not leak them.
    cache.clear()
    report_cache.kept_pages.clear()
    yield
    cache.clear()
    report_cache.kept_pages.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher's deliberate slowness (~0.3 s a password) would dominate every test
    # that creates a user; what is tested is who may sign in, not the hash's cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "city_changes_on_commit: hold city changes for the commit, as in production"
    )


@pytest.fixture(autouse=True)
def city_changes_at_once(request, monkeypatch):
    """Send core.changes' "city changed" at once, as outside a transaction.

    Each test runs inside a transaction that never commits, so a change held for the commit
    would never reach the report caches and a test that writes and then reads a dashboard would
    read stale figures; in production the write's own transaction commits before the next
    request reads. Tests of the batching itself opt out with @pytest.mark.city_changes_on_commit.
    """
    if "city_changes_on_commit" not in request.keywords:
        monkeypatch.setattr(core.changes, "deferred_until_commit", lambda: False)


@pytest.fixture
def clock(monkeypatch):
    """clock(minutes=...) moves the time every part of the site reads forward from now."""
    real_now = timezone.now

    def move(**delta):
        target = real_now() + timedelta(**delta)
        monkeypatch.setattr(timezone, "now", lambda: target)

    return move


@pytest.fixture
def city_x(db):
    return CityFactory(name="Xville", state="TX")


@pytest.fixture
def city_y(db):
    return CityFactory(name="Yton", state="CA")


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def editor(city_x):
    user = UserFactory(username="editor")
    MembershipFactory(user=user, city=city_x, role=Role.EDITOR)
    return user


@pytest.fixture
def viewer(city_x):
    user = UserFactory(username="viewer")
    MembershipFactory(user=user, city=city_x, role=Role.VIEWER)
    return user


@pytest.fixture
def outsider(city_y):
    """Editor of city Y, and so a stranger to everything of city X."""
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, city=city_y, role=Role.EDITOR)
    return user


def _client_for(user) -> Client:
    """A client signed in as the user; a superuser has passed the second step (their app's
    code), as they must before any page."""
    client = Client()
    sign_in_verified(client, user)
    return client


@pytest.fixture
def superuser_client(superuser):
    return _client_for(superuser)


@pytest.fixture
def editor_client(editor):
    return _client_for(editor)


@pytest.fixture
def viewer_client(viewer):
    return _client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def live_app():
    """Django's WSGI application, as a server runs it, except that a request's end does not
    close the database connection (Django's test client keeps it open the same way): it holds
    the test's transaction."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in signals:
        signal.connect(close_old_connections)
