"""End-to-end tests: Debian's Chromium, driven by Playwright, against the app served by the test
run on the demo data.

The project never downloads a browser. Without Chromium these tests are skipped with a message
saying how to install it, unless E2E_REQUIRED=1 (CI), where a missing browser fails the run.

Speed on a small machine: one browser for the whole package, and the demo data loaded once and
committed, so that the live server (another thread, and on PostgreSQL another connection) sees
it. The tests that write (the staff and admin journeys) compare what they see before and after
their own change, so they share the data safely with the read-only tests. The database is
flushed when the package ends, so no other test sees the demo data.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import setup_databases, teardown_databases

from tests.e2e.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LAPTOP,
    PHONE,
    browser_missing,
    sign_in_through_the_form,
)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # -q hides skip reasons; say plainly why the browser tests did not run.
    skipped = terminalreporter.stats.get("skipped", [])
    if any("tests/e2e/" in report.nodeid for report in skipped) and browser_missing():
        terminalreporter.write_line(
            f"End-to-end browser tests skipped: {browser_missing()}", yellow=True
        )


@pytest.fixture(scope="package")
def chromium() -> str:
    missing = browser_missing()
    if missing:
        if os.environ.get("E2E_REQUIRED", "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail(f"E2E_REQUIRED is set and the browser tests cannot run: {missing}")
        pytest.skip(f"End-to-end browser tests skipped: {missing}")
    return CHROMIUM


@pytest.fixture(scope="package")
def _async_unsafe_allowed() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
    # thread with a running loop unless told that this is deliberate.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Site:
    """The running app and the people who use it (usernames; every password is PASSWORD)."""

    url: str
    staff: str = "staff"
    funder: str = "funder"
    program: str = "program"
    admin: str = "admin"
    storage: dict = field(default_factory=dict)

    def __call__(self, path: str) -> str:
        return f"{self.url}{path}"


def _create_people(site: Site) -> None:
    from accounts.choices import Role
    from schools.models import City
    from tests.accounts.factories import MembershipFactory, UserFactory
    from tests.accounts.two_factor import app_for

    cities = list(City.objects.order_by("name"))
    staff = UserFactory(username=site.staff, first_name="Sam", last_name="Staff")
    for name in ("Spring Branch", "San Jose"):
        MembershipFactory(user=staff, city=City.objects.get(name=name), role=Role.EDITOR)
    # A funder follows every demo city, as create_demo_users' viewer does.
    funder = UserFactory(username=site.funder, first_name="Fran", last_name="Funder")
    # Program staff who edit every city: every page at its fullest, with every edit control.
    program = UserFactory(username=site.program, first_name="Pat", last_name="Program")
    for city in cities:
        MembershipFactory(user=funder, city=city, role=Role.VIEWER)
        MembershipFactory(user=program, city=city, role=Role.EDITOR)
    admin = UserFactory(username=site.admin, is_superuser=True, is_staff=True)
    # Administrators sign in with a code from their app as well: the admin's phone.
    app_for(admin)


# The project's own database, as configured before any test database replaces it.
PROJECT_DATABASE = settings.DATABASES["default"]["NAME"]


@pytest.fixture(scope="package")
def _test_database(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The test database, whatever else was selected. pytest-django creates one only when a
    collected test asks for the database by marker or fixture; these tests share committed data
    instead, so when they run alone nothing has created it yet and the connection still points at
    the project's own database, which must never be loaded or flushed here."""
    created = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == PROJECT_DATABASE:
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    assert connection.settings_dict["NAME"] != PROJECT_DATABASE, "not on a test database"
    yield
    if created is not None:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture(scope="package")
def site(chromium, _async_unsafe_allowed, _test_database, django_db_blocker) -> Iterator[Site]:
    from pytest_django.live_server_helper import LiveServer

    test_settings = override_settings(
        # The production hasher's deliberate slowness would dominate every sign-in.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The live server answers on localhost whatever ALLOWED_HOSTS the environment gives.
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "localhost"],
    )
    test_settings.enable()
    server = None
    try:
        with django_db_blocker.unblock():
            call_command("load_demo", verbosity=0)
        server = LiveServer("localhost")
        site = Site(url=server.url)
        with django_db_blocker.unblock():
            _create_people(site)
        yield site
    finally:
        if server is not None:
            server.stop()
        assert connection.settings_dict["NAME"] != PROJECT_DATABASE
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        test_settings.disable()


@pytest.fixture(autouse=True)
def _database(django_db_blocker) -> Iterator[None]:
    # The data are committed and shared (see the module docstring); tests read and check them
    # directly, as the live server does.
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="package")
def browser(chromium, _async_unsafe_allowed):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class BrowserProblems:
    """Console errors (a CSP violation is one), uncaught page errors and failed loads, collected
    from every page a test opens; the test fails if any was seen."""

    def __init__(self):
        self.seen: list[str] = []

    def watch(self, page) -> None:
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.seen.append(f"page error on {page.url}: {error}"))
        page.on("requestfailed", lambda request: self._request_failed(page, request))

    def _console(self, page, message) -> None:
        if message.type == "error":
            source = (message.location or {}).get("url") or "the page"
            self.seen.append(f"console error on {page.url}: {message.text} [{source}]")

    def _request_failed(self, page, request) -> None:
        # A load cut short because the page moved on (ERR_ABORTED) is no fault of the page.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.seen.append(f"request failed on {page.url}: {request.url} ({request.failure})")

    def expect(self, fragment: str) -> None:
        """Forgive one expected console error (e.g. a deliberately refused page)."""
        for index, problem in enumerate(self.seen):
            if fragment in problem:
                del self.seen[index]
                return
        raise AssertionError(f"expected a browser problem containing {fragment!r}: {self.seen}")


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def open_page(browser, site, browser_problems) -> Iterator[Callable]:
    """open_page(as_user=None, viewport=LAPTOP) -> a new page in its own browser context,
    signed in as that user (through the real form once per user, then by its cookies)."""
    contexts = []

    def open_(as_user: str | None = None, viewport: dict = LAPTOP, **options):
        if viewport == PHONE:
            options.setdefault("is_mobile", True)
            options.setdefault("has_touch", True)
        # Styles settle at once (Bootstrap drops its transitions), so a focus ring is measured
        # as shown, not halfway through fading in.
        options.setdefault("reduced_motion", "reduce")
        options.setdefault("locale", "en-US")
        if as_user is not None and as_user not in site.storage:
            context = browser.new_context(viewport=LAPTOP)
            page = context.new_page()
            browser_problems.watch(page)
            sign_in_through_the_form(page, site, as_user)
            site.storage[as_user] = context.storage_state()
            context.close()
        context = browser.new_context(
            viewport=viewport,
            storage_state=site.storage.get(as_user),
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        browser_problems.watch(page)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not browser_problems.seen, "Problems in the browser:\n" + "\n".join(
        browser_problems.seen
    )
