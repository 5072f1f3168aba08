"""Five failed sign-ins lock that username from that address for 15 minutes; twenty from one
address, whatever the usernames, lock that address for 15 minutes."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings

from accounts.lockout import client_ip
from tests.accounts.factories import UserFactory
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "not the password"


def attempt(username, password=WRONG, address="192.0.2.10"):
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(times, username="editor", address="192.0.2.10"):
    return [attempt(username, address=address) for _ in range(times)]


def test_four_failures_still_let_the_right_password_in(editor):
    responses = fail(4)
    assert [response.status_code for response in responses] == [200] * 4
    assert attempt("editor", PASSWORD).status_code == 302


def test_the_fifth_failure_locks_with_a_clear_message_in_the_layout(editor):
    *_, fifth = fail(5)
    html = fifth.content.decode()
    assert fifth.status_code == 429
    assert "<title>Sign-in paused &middot; Compact Tracker</title>" in html
    assert '<main id="main"' in html
    assert "There were 5 failed sign-ins for <strong>editor</strong> from your address" in html
    assert "paused for 15 minutes" in html


def test_the_right_password_is_refused_while_locked(editor):
    fail(5)
    response = attempt("editor", PASSWORD)
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "sessionid" not in response.cookies


def test_another_username_from_the_same_address_is_unaffected(editor, viewer):
    fail(5, username="editor")
    assert attempt("viewer", PASSWORD).status_code == 302


def test_the_same_username_from_another_address_is_unaffected(editor):
    fail(5, address="192.0.2.10")
    assert attempt("editor", PASSWORD, address="198.51.100.7").status_code == 302


def test_the_lock_lifts_after_15_minutes(editor):
    fail(5)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=15, seconds=1)
    )
    assert attempt("editor", PASSWORD).status_code == 302


def test_a_lock_is_not_extended_by_attempts_made_during_it(editor):
    fail(5)
    locked_at = AccessAttempt.objects.get().attempt_time
    fail(2)
    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_a_successful_sign_in_forgets_earlier_failures(editor):
    fail(4)
    assert attempt("editor", PASSWORD).status_code == 302
    assert [response.status_code for response in fail(4)] == [200] * 4


def test_an_unknown_username_is_locked_too_and_says_nothing_about_existence():
    UserFactory(username="someone")
    *_, fifth = fail(5, username="nobody")
    assert fifth.status_code == 429
    assert "for <strong>nobody</strong>" in fifth.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a spoofed entry left of the proxy's
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "", "10.0.0.1"),  # header missing: fall back to the peer
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(proxies, forwarded_for, expected):
    request = RequestFactory().post(
        LOGIN, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for
    )
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lock_follows_the_forwarded_address(editor):
    def through_proxy(password, client_address):
        return Client().post(
            LOGIN,
            {"username": "editor", "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(5):
        through_proxy(WRONG, "203.0.113.9")
    assert through_proxy(PASSWORD, "203.0.113.9").status_code == 429
    assert through_proxy(PASSWORD, "198.51.100.7").status_code == 302


# One address trying many usernames: 20 failures from it, whatever the usernames, lock it.


def spread_failures(total, address="192.0.2.10"):
    """`total` failures from one address, four per username (under the per-username limit)."""
    responses = []
    for index in range(total):
        responses.append(attempt(f"guess{index // 4}", address=address))
    return responses


def test_nineteen_failures_across_usernames_still_let_the_right_password_in(editor):
    responses = spread_failures(19)
    assert {response.status_code for response in responses} == {200}
    assert attempt("editor", PASSWORD).status_code == 302


def test_the_twentieth_failure_from_one_address_locks_every_username_there(editor, viewer):
    *_, twentieth = spread_failures(20)
    html = twentieth.content.decode()
    assert twentieth.status_code == 429
    assert "There were 20 failed sign-ins from your address, for one or more usernames" in html
    assert "sign-in from this address is paused for 15 minutes" in html
    for username in ("editor", "viewer"):
        response = attempt(username, PASSWORD)
        assert response.status_code == 429
        assert "sessionid" not in response.cookies


def test_the_address_lock_leaves_other_addresses_alone(editor):
    spread_failures(20, address="192.0.2.10")
    assert attempt("editor", PASSWORD, address="198.51.100.7").status_code == 302


def test_the_address_lock_lifts_after_15_minutes(editor):
    spread_failures(20)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=15, seconds=1)
    )
    assert attempt("editor", PASSWORD).status_code == 302


def test_the_per_username_rule_still_holds_beside_the_address_rule(editor):
    *_, fifth = fail(5, username="editor")
    assert fifth.status_code == 429
    assert "for <strong>editor</strong> from your address" in fifth.content.decode()
    assert attempt("viewer-to-be", PASSWORD).status_code == 200  # other usernames: still tried
