"""Error pages in the site's layout; the 500 page needs no request context."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory, override_settings

from core.errors import server_error

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.accounts.error_urls"),
]


def assert_in_layout(html: str, title: str):
    assert f"<title>{title} &middot; Compact Tracker</title>" in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<footer" in html


def test_the_400_page_is_in_the_layout(viewer_client):
    response = viewer_client.get("/fail/400/")
    assert response.status_code == 400
    html = response.content.decode()
    assert_in_layout(html, "Bad request")
    assert "Sign out" in html


def test_the_403_page_is_in_the_layout_and_explains_roles(viewer_client):
    response = viewer_client.get("/fail/403/")
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html, "Not allowed")
    assert "Viewers read a city's records; editors change them." in html
    assert 'href="/cities/"' in html  # the navigation is there


def test_the_404_page_is_in_the_layout(viewer_client):
    response = viewer_client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert_in_layout(html, "Not found")
    assert "a city you are not a member of" in html


def test_the_404_page_shows_no_navigation_to_anonymous_visitors(anonymous_client):
    response = anonymous_client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'href="/cities/"' not in response.content.decode()


def test_the_500_page_is_in_the_layout_without_the_users_details(viewer_client):
    client = Client(raise_request_exception=False)
    client.cookies = viewer_client.cookies
    response = client.get("/fail/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong · Compact Tracker</title>" in html
    assert '<main id="main"' in html
    assert "/static/css/app.css" in html
    assert "Sign out" not in html


def test_the_500_handler_renders_without_any_request_context():
    # A bare request: no user, no session, no messages; and a database that does not answer.
    request = RequestFactory().get("/cities/")
    with mock.patch(
        "core.context_processors.current_demo_banner", side_effect=DatabaseError("down")
    ):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_stale_form_gets_an_explanation_in_the_layout(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/accounts/password_change/", {})
    assert response.status_code == 403
    html = response.content.decode()
    assert_in_layout(html, "Form expired")
    assert "Allow cookies for this site" in html  # no CSRF cookie was ever set


def test_a_stale_token_is_explained_as_an_expired_form(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/accounts/password_change/")  # sets the CSRF cookie
    response = client.post("/accounts/password_change/", {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert "The form was opened before your session changed" in response.content.decode()


@override_settings(ALLOWED_HOSTS=["compacts.example.org"])
def test_an_unknown_host_gets_the_400_page(anonymous_client):
    response = anonymous_client.get("/accounts/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
