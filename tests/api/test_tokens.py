"""Personal API tokens: hashed at rest, shown once, refused when expired or revoked, last use
noted; the token page and the admin's revoke action."""

import datetime
import hashlib
import re

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.admin import ApiTokenAdmin
from api.models import ApiToken
from api.services import token_create
from api.throttling import TokenRateThrottle

CITIES = "/api/v1/cities/"


def _client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_the_secret_is_stored_only_as_its_hash(editor):
    token, secret = token_create(user=editor, name="sync", days=30)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.key_hash, stored.prefix, stored.name}
    assert secret.startswith("ct_" + stored.prefix)


def test_a_token_acts_as_its_user(editor, city_x):
    _, secret = token_create(user=editor, name="sync", days=30)
    response = _client(secret).get(CITIES)
    assert response.status_code == 200
    assert [city["slug"] for city in response.json()["results"]] == [city_x.slug]


def test_an_unknown_token_is_refused(db):
    assert _client("ct_not-a-token").get(CITIES).status_code == 401
    assert _client("something-else").get(CITIES).status_code == 401


def test_an_expired_token_is_refused(editor, clock):
    _, secret = token_create(user=editor, name="sync", days=30)
    clock(days=31)
    assert _client(secret).get(CITIES).status_code == 401


def test_a_revoked_token_is_refused(editor):
    token, secret = token_create(user=editor, name="sync", days=30)
    token.revoked_at = timezone.now()
    token.save()
    assert _client(secret).get(CITIES).status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(editor):
    _, secret = token_create(user=editor, name="sync", days=30)
    editor.is_active = False
    editor.save()
    assert _client(secret).get(CITIES).status_code == 401


def test_the_last_use_is_noted_at_most_once_a_minute(editor, clock):
    token, secret = token_create(user=editor, name="sync", days=30)
    assert token.last_used_at is None
    _client(secret).get(CITIES)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    _client(secret).get(CITIES)
    token.refresh_from_db()
    assert token.last_used_at == first
    clock(minutes=2)
    _client(secret).get(CITIES)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_the_account_page_links_to_the_tokens(editor_client):
    response = editor_client.get(reverse("account"))
    assert reverse("api:token_list").encode() in response.content


def test_the_token_page_shows_a_new_secret_once(editor_client, editor):
    response = editor_client.post(reverse("api:token_list"), {"name": "nightly", "days": "90"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=editor)
    secrets_shown = re.findall(r"ct_[-\w]+", response.content.decode())
    assert len(secrets_shown) == 1
    secret = secrets_shown[0]
    assert _client(secret).get(CITIES).status_code == 200
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    again = editor_client.get(reverse("api:token_list")).content.decode()
    assert secret not in again
    assert token.prefix in again


def test_the_token_page_lists_only_the_persons_tokens(editor_client, viewer):
    token_create(user=viewer, name="viewer's script", days=30)
    assert b"viewer&#x27;s script" not in editor_client.get(reverse("api:token_list")).content


def test_a_person_revokes_their_token_on_the_page(editor_client, editor):
    token, secret = token_create(user=editor, name="sync", days=30)
    response = editor_client.post(reverse("api:token_list"), {"revoke": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _client(secret).get(CITIES).status_code == 401


def test_nobody_revokes_another_persons_token_on_the_page(editor_client, viewer):
    token, _ = token_create(user=viewer, name="sync", days=30)
    response = editor_client.post(reverse("api:token_list"), {"revoke": token.pk})
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_admin_revokes_any_token(superuser, editor, viewer):
    tokens = [token_create(user=user, name="sync", days=30)[0] for user in (editor, viewer)]
    request = RequestFactory().post("/admin/api/apitoken/")
    request.user = superuser
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()
    ApiTokenAdmin(ApiToken, site).revoke(request, ApiToken.objects.all())
    assert all(ApiToken.objects.get(pk=t.pk).revoked_at is not None for t in tokens)


def test_the_admin_lists_tokens_without_their_hash(superuser_client, editor):
    token, _ = token_create(user=editor, name="sync", days=30)
    listing = superuser_client.get(reverse("admin:api_apitoken_changelist"))
    assert listing.status_code == 200
    page = superuser_client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert token.key_hash.encode() not in page.content


def test_requests_are_throttled_per_token(editor, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    first = _client(token_create(user=editor, name="a", days=30)[1])
    second = _client(token_create(user=editor, name="b", days=30)[1])
    assert [first.get(CITIES).status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(CITIES).status_code == 200


def test_a_token_cannot_expire_before_it_was_created(editor):
    token, _ = token_create(user=editor, name="sync", days=30)
    token.expires_at = token.created_at
    with pytest.raises(ValidationError, match="expires after it is created"):
        token.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        token.save()


def test_an_answer_to_a_token_is_kept_by_no_cache(editor):
    _, secret = token_create(user=editor, name="sync", days=30)
    response = _client(secret).get(CITIES)
    assert "no-store" in response["Cache-Control"]
