"""The signed-in user of every request comes from the cache (accounts.backends), from the first
page after signing in, and every change of the user counts on the next request: a new password
signs other sessions out, an account made inactive is signed out at once, a lower role or a
removed membership counts at once, a signed-out session is over."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from accounts.models import Membership
from core.changes import cities_changed
from core.context_processors import DEMO_BANNER_CACHE_KEY
from core.models import DemoDataset
from tests.api.conftest import token_client
from tests.compacts.factories import CommitmentFactory, CompactFactory, MilestoneFactory
from tests.conftest import PASSWORD, _client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "qwfpgjluyarz"


def user_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if '"auth_user"' in query["sql"]]


def test_a_warm_page_does_not_query_the_user(viewer_client, city_x):
    url = f"/cities/{city_x.slug}/"
    viewer_client.get(url)
    assert user_queries(viewer_client, url) == []


def test_the_first_page_after_signing_in_does_not_query_the_user(editor, city_x):
    client = Client()
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert user_queries(client, f"/cities/{city_x.slug}/") == []


def test_a_user_stored_at_sign_in_keeps_nothing_of_the_sign_in_request(editor, city_x):
    client = Client()
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    # The sign-in saved last_login: the stored copy has it, and only the user's own fields.
    editor.refresh_from_db()
    _generation, stored = cache.get(f"accounts:user:{editor.pk}")
    assert stored.last_login == editor.last_login is not None
    assert not {"backend", "_city_roles", "_all_cities", "_demo_banner"} & set(vars(stored))


def test_an_editor_made_a_viewer_cannot_post_on_the_next_request(editor_client, editor, city_x):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=CompactFactory(city=city_x)))
    url = reverse("compacts:milestone_done", kwargs={"pk": milestone.pk})
    assert editor_client.get(url).status_code == 200  # user and roles cached as an editor's

    membership = Membership.objects.get(user=editor, city=city_x)
    membership.role = Role.VIEWER
    membership.save()

    response = editor_client.post(url, {"completed_on": "2026-01-05", "version": "x"})
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_a_user_removed_from_a_city_gets_a_404_there_on_the_next_request(
    viewer_client, viewer, city_x
):
    url = f"/cities/{city_x.slug}/"
    assert viewer_client.get(url).status_code == 200

    Membership.objects.get(user=viewer, city=city_x).delete()

    assert viewer_client.get(url).status_code == 404


def test_a_signed_out_session_is_over_even_for_a_kept_cookie(editor_client, city_x):
    url = f"/cities/{city_x.slug}/"
    assert editor_client.get(url).status_code == 200  # the user is cached now
    kept = editor_client.cookies["sessionid"].value

    editor_client.post("/accounts/logout/")

    assert editor_client.get(url).url.startswith("/accounts/login/")
    replayed = Client()
    replayed.cookies["sessionid"] = kept
    assert replayed.get(url).url.startswith("/accounts/login/")


def test_a_changed_password_signs_the_other_sessions_out(editor, city_x):
    here, elsewhere = _client_for(editor), _client_for(editor)
    url = f"/cities/{city_x.slug}/"
    assert elsewhere.get(url).status_code == 200  # the user is cached now

    response = here.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert here.get(url).status_code == 200  # the session that changed it stays signed in
    assert elsewhere.get(url).url.startswith("/accounts/login/")


def test_an_account_made_inactive_is_signed_out_at_once(viewer_client, viewer, city_x):
    url = f"/cities/{city_x.slug}/"
    assert viewer_client.get(url).status_code == 200

    viewer.is_active = False
    viewer.save()

    assert viewer_client.get(url).url.startswith("/accounts/login/")


def test_a_new_name_shows_on_the_next_page(viewer_client, viewer, city_x):
    url = f"/cities/{city_x.slug}/"
    viewer_client.get(url)

    viewer.first_name, viewer.last_name = "Vera", "Newname"
    viewer.save()

    assert "Vera Newname" in viewer_client.get(url).content.decode()


def test_a_deleted_user_is_signed_out(viewer_client, viewer, city_x):
    url = f"/cities/{city_x.slug}/"
    viewer_client.get(url)

    viewer.delete()

    assert viewer_client.get(url).url.startswith("/accounts/login/")


def test_a_restore_drops_the_cached_users(viewer_client, viewer, city_x, city_y):
    url = f"/cities/{city_y.slug}/"
    assert viewer_client.get(url).status_code == 404
    # A restore writes users and memberships raw (no signals), then announces every city.
    type(viewer).objects.filter(pk=viewer.pk).update(first_name="Restored", last_name="Name")
    Membership.objects.bulk_create([Membership(user=viewer, city=city_y, role=Role.VIEWER)])
    cities_changed(None)

    response = viewer_client.get(url)
    assert response.status_code == 200
    assert "Restored Name" in response.content.decode()


def test_the_demo_banner_read_with_the_user_shows_a_new_load_on_the_next_page(
    viewer_client, city_x
):
    url = f"/cities/{city_x.slug}/"
    assert "demo-banner" not in viewer_client.get(url).content.decode()

    DemoDataset.objects.create(banner="Illustrative demo data, not real records.")
    cache.delete(DEMO_BANNER_CACHE_KEY)  # as load_demo and the admin do

    assert "Illustrative demo data" in viewer_client.get(url).content.decode()
    assert "Illustrative demo data" in viewer_client.get(url).content.decode()  # now cached


def test_the_api_follows_a_demotion_on_the_next_request_by_token_and_by_session(
    editor, editor_client, city_x
):
    compact = CompactFactory(city=city_x)
    by_token, url = token_client(editor), reverse("api:commitment-list")

    def new(title: str) -> dict:
        return {"compact": compact.pk, "category": "ENR", "title": title}

    assert by_token.post(url, new("By token"), format="json").status_code == 201
    session_write = editor_client.post(url, new("By session"), content_type="application/json")
    assert session_write.status_code == 201  # the session's user and roles are cached now

    membership = Membership.objects.get(user=editor, city=city_x)
    membership.role = Role.VIEWER
    membership.save()

    assert by_token.post(url, new("Token again"), format="json").status_code == 403
    again = editor_client.post(url, new("Session again"), content_type="application/json")
    assert again.status_code == 403
    assert editor_client.get(url).status_code == 200  # still a reader of the city

    editor_client.post("/accounts/logout/")
    assert editor_client.get(url).status_code == 401
