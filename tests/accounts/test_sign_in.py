"""Sign-in, sign-out, deny by default, deactivated users, and password reset by email."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_the_sign_in_page_is_in_the_site_layout(anonymous_client):
    response = anonymous_client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in &middot; Compact Tracker</title>" in html
    assert '<main id="main"' in html
    assert 'href="#main"' in html
    assert 'autocomplete="current-password"' in html
    assert 'href="/accounts/password_reset/"' in html
    assert "After 5 failed attempts" in html
    # No navigation for anonymous visitors: nothing to see before signing in.
    assert 'href="/commitments/"' not in html


def test_it_signs_in_and_lands_on_the_page_the_user_was_going_to(editor):
    client = Client()
    response = sign_in(client, "editor", next="/commitments/?status=stalled")
    assert response.status_code == 302
    assert response["Location"] == "/commitments/?status=stalled"
    assert client.get("/accounts/password_change/").status_code == 200


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/cities/", "http://testserver.evil.example/"],
)
def test_it_ignores_a_next_address_on_another_site(editor, next_url):
    response = sign_in(Client(), "editor", next=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_editor_without_a_next_page_lands_on_my_work(editor):
    response = sign_in(Client(), "editor")
    assert response["Location"] == "/"


def test_a_reader_without_a_next_page_lands_on_the_portfolio(viewer):
    """Funders only read: My work's chores are not theirs, the portfolio is what they came for."""
    response = sign_in(Client(), "viewer")
    assert response["Location"] == "/reports/"


def test_a_reader_still_goes_where_next_says(viewer):
    response = sign_in(Client(), "viewer", next="/cities/")
    assert response["Location"] == "/cities/"


def test_it_refuses_a_wrong_password_with_a_message_and_no_session(editor):
    client = Client()
    response = sign_in(client, "editor", password="not the password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get("/accounts/password_change/").status_code == 302


def test_anonymous_visitors_are_sent_to_sign_in_with_the_page_they_wanted(anonymous_client):
    response = anonymous_client.get("/commitments/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/commitments/%3Fpage%3D2"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/not-a-token/",
        "/accounts/reset/done/",
        "/healthz",
        "/static/css/app.css",
    ],
)
def test_sign_in_pages_healthz_and_static_files_are_open(anonymous_client, path):
    assert anonymous_client.get(path).status_code == 200


def test_sign_out_by_get_is_refused(editor_client):
    assert editor_client.get("/accounts/logout/").status_code == 405
    assert editor_client.get("/accounts/password_change/").status_code == 200


def test_sign_out_ends_the_session_and_says_so(editor_client):
    response = editor_client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "You have signed out." in response.content.decode()
    assert editor_client.get("/accounts/password_change/").status_code == 302


def test_sign_out_from_an_expired_session_lands_on_sign_in(anonymous_client):
    response = anonymous_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_a_deactivated_users_session_stops_working_on_the_next_request(editor):
    client = Client()
    sign_in(client, "editor")
    assert client.get("/accounts/password_change/").status_code == 200

    editor.is_active = False
    editor.save(update_fields=["is_active"])

    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert sign_in(Client(), "editor").status_code == 200  # and cannot sign in again


def test_changing_the_password_keeps_this_session_and_ends_the_others(editor):
    here, elsewhere = Client(), Client()
    sign_in(here, "editor")
    sign_in(elsewhere, "editor")
    new_password = "a much longer passphrase"
    response = here.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    assert here.get("/accounts/password_change/done/").status_code == 200
    assert elsewhere.get("/accounts/password_change/").status_code == 302


def _reset_link() -> str:
    assert len(mail.outbox) == 1
    return re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)


def test_password_reset_sends_a_one_time_link_that_sets_a_new_password(anonymous_client):
    UserFactory(username="funder", email="funder@example.org")
    response = anonymous_client.post("/accounts/password_reset/", {"email": "funder@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox[0].subject == "Reset your Compact Tracker password"
    assert mail.outbox[0].to == ["funder@example.org"]

    link = _reset_link()
    form_url = anonymous_client.get(link)["Location"]  # Django hides the token behind a redirect
    new_password = "twelve chars plus"
    response = anonymous_client.post(
        form_url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response["Location"] == "/accounts/reset/done/"
    assert sign_in(Client(), "funder", password=new_password).status_code == 302

    # The link works once.
    response = anonymous_client.get(link, follow=True)
    assert "This link no longer works" in response.content.decode()


def test_password_reset_says_the_same_for_an_unknown_address(anonymous_client):
    response = anonymous_client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_password_reset_refuses_a_malformed_address(anonymous_client):
    response = anonymous_client.post("/accounts/password_reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []
