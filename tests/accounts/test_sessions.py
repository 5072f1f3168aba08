"""Sessions of signed-in users: no copy kept by browsers or proxies (pages and exports alike), an
idle timeout and an absolute lifetime, after which the next request is signed out and sent to
sign in with a calm message. Time is moved forward, never waited for."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.middleware import NoStoreForSignedInMiddleware
from tests.compacts.factories import CommitmentFactory, CompactFactory
from tests.conftest import PASSWORD
from tests.matrix.harness import all_routes
from tests.matrix.world import build_world

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def signed_in(username="editor") -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return client


# Cache-Control


def test_every_page_of_the_matrix_is_no_store_for_a_signed_in_user(
    city_x, city_y, superuser_client
):
    world = build_world(city_x, city_y)
    missing = []
    for route in all_routes():
        url = reverse(route.name, kwargs=route.kwargs(world.x))
        url = f"{url}?{route.query}" if route.query else url
        if route.name == "logout":
            continue  # signs the client out: answered to an anonymous visitor
        response = superuser_client.get(url)
        if not {"no-store", "private"} <= cache_control(response):
            missing.append(f"{url}: {response.status_code} {response.get('Cache-Control')!r}")
    assert missing == []


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_exports_are_no_store_too(viewer_client, city_x, export):
    CommitmentFactory(compact=CompactFactory(city=city_x))
    response = viewer_client.get(f"/reports/?export={export}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert {"no-store", "private"} <= cache_control(response)


def test_list_exports_and_errors_are_no_store(viewer_client, city_x):
    CommitmentFactory(compact=CompactFactory(city=city_x))
    assert {"no-store", "private"} <= cache_control(viewer_client.get("/commitments/?export=csv"))
    assert {"no-store", "private"} <= cache_control(viewer_client.get("/no-such-page/"))


def test_the_admin_keeps_its_own_no_cache_and_adds_private(superuser_client):
    assert {"no-store", "no-cache", "private"} <= cache_control(superuser_client.get("/admin/"))


def test_answers_to_anonymous_visitors_are_left_to_their_own_caching(editor):
    def view(request):
        return HttpResponse("public", headers={"Cache-Control": "max-age=60"})

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert cache_control(NoStoreForSignedInMiddleware(view)(request)) == {"max-age=60"}
    request.user = editor
    assert cache_control(NoStoreForSignedInMiddleware(view)(request)) == {
        "max-age=60",
        "no-store",
        "private",
    }


# Idle timeout


def test_a_session_idle_for_two_hours_is_signed_out_with_a_calm_message(editor, clock):
    client = signed_in()
    clock(hours=2, seconds=1)
    response = client.get("/commitments/?status=stalled")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/commitments/%3Fstatus%3Dstalled"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 2 hours without activity." in page
    assert 'role="status"' in page  # an information, not an error
    assert client.get("/commitments/")["Location"].startswith(LOGIN)


def test_activity_keeps_a_session_going_past_two_hours(editor, clock):
    client = signed_in()
    for minutes in (100, 200, 300):
        clock(minutes=minutes)
        assert client.get("/cities/").status_code == 200


def test_just_under_two_hours_idle_is_still_signed_in(editor, clock):
    client = signed_in()
    clock(hours=1, minutes=59)
    assert client.get("/cities/").status_code == 200


def test_the_idle_timeout_is_a_setting(editor, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
    client = signed_in()
    clock(minutes=16)
    response = client.get("/cities/", follow=True)
    assert "You were signed out after 15 minutes without activity." in response.content.decode()


def test_a_page_view_does_not_write_the_session_each_time(editor, clock):
    client = signed_in()
    clock(seconds=30)
    assert "sessionid" not in client.get("/cities/").cookies
    clock(minutes=2)
    assert "sessionid" in client.get("/cities/").cookies  # the idle clock moves on


# Absolute lifetime


def test_a_session_ends_twelve_hours_after_sign_in_however_active(editor, clock):
    client = signed_in()
    for hours in range(1, 12):
        clock(hours=hours)
        assert client.get("/cities/").status_code == 200
    clock(hours=12, seconds=1)
    response = client.get("/cities/", follow=True)
    assert response.redirect_chain == [(f"{LOGIN}?next=/cities/", 302)]
    assert "signed out 12 hours after signing in" in response.content.decode()


def test_the_absolute_lifetime_is_a_setting(editor, clock, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=1)
    client = signed_in()
    clock(minutes=30)
    assert client.get("/cities/").status_code == 200
    clock(minutes=61)
    assert client.get("/cities/")["Location"].startswith(LOGIN)


def test_signing_in_again_starts_a_new_lifetime(editor, clock):
    client = signed_in()
    clock(hours=13)
    client.get("/cities/")
    assert client.post(LOGIN, {"username": "editor", "password": PASSWORD}).status_code == 302
    assert client.get("/cities/").status_code == 200


def test_a_form_posted_after_the_timeout_changes_nothing(editor, city_x, clock):
    commitment = CommitmentFactory(compact=CompactFactory(city=city_x), title="Before")
    client = signed_in()
    clock(hours=3)
    response = client.post(f"/commitments/{commitment.pk}/edit/", {"title": "After"})
    assert response["Location"].startswith(LOGIN)
    commitment.refresh_from_db()
    assert commitment.title == "Before"
