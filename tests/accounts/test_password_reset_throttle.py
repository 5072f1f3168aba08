"""Password reset is throttled per account (emails) and per client address (requests): over a
limit the page answers exactly as usual, so it never tells whether an address has an account,
and sends nothing."""

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password_reset/"
DONE = "/accounts/password_reset/done/"


def ask(email="funder@example.org", address="192.0.2.10"):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def funder(db):
    return UserFactory(username="funder", email="funder@example.org")


def test_an_account_gets_at_most_three_reset_emails_an_hour(funder):
    addresses = [f"198.51.100.{n}" for n in range(5)]  # from different places
    responses = [ask(address=address) for address in addresses]
    assert [response["Location"] for response in responses] == [DONE] * 5
    assert len(mail.outbox) == 3


def test_an_address_gets_at_most_ten_requests_an_hour_whatever_the_emails(db):
    for n in range(12):
        UserFactory(username=f"person{n}", email=f"person{n}@example.org")
    responses = [ask(email=f"person{n}@example.org") for n in range(12)]
    assert [response["Location"] for response in responses] == [DONE] * 12
    assert len(mail.outbox) == 10
    assert ask(email="person11@example.org", address="203.0.113.5")["Location"] == DONE
    assert len(mail.outbox) == 11  # another address is not held back


def test_over_the_limit_the_answer_is_the_same_as_for_an_unknown_address(funder):
    for _ in range(3):
        ask()
    throttled, unknown = ask(), ask(email="nobody@example.org", address="203.0.113.9")
    assert (throttled.status_code, throttled["Location"]) == (unknown.status_code, DONE)
    assert len(mail.outbox) == 3


def test_the_limits_are_settings(funder, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 1
    ask(address="198.51.100.1")
    ask(address="198.51.100.2")
    assert len(mail.outbox) == 1


def test_an_hour_later_the_account_gets_an_email_again(funder, clock):
    for _ in range(4):
        ask()
    assert len(mail.outbox) == 3
    clock(hours=1)
    ask()
    assert len(mail.outbox) == 4


def test_a_malformed_address_is_refused_as_before_and_sends_nothing(db):
    response = ask(email="not an address")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []
