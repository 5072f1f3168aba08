"""/healthz: JSON for load balancers, open without sign-in, 503 when the database is down."""

from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_the_database_answers(anonymous_client):
    response = anonymous_client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_does_not(anonymous_client):
    with mock.patch.object(
        connection, "cursor", side_effect=DatabaseError("connection refused")
    ) as cursor:
        response = anonymous_client.get("/healthz")
    assert cursor.called
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_it_refuses_post(anonymous_client):
    assert anonymous_client.post("/healthz").status_code == 405


@override_settings(SECURE_SSL_REDIRECT=True)
def test_it_answers_over_plain_http_behind_an_https_redirect(anonymous_client):
    # Load balancers probe the app server directly, without TLS.
    assert anonymous_client.get("/healthz").status_code == 200
    assert anonymous_client.get("/accounts/login/").status_code == 301
