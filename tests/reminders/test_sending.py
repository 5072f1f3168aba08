import datetime
import smtplib
import threading
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.choices import Role
from reminders import services
from reminders.choices import Frequency, Kind, State
from reminders.models import Delivery, Preferences
from reminders.periods import last_ended
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.reminders.conftest import build_work

pytestmark = pytest.mark.django_db

MONDAY_NOON = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)


def _mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def test_a_digest_lists_the_users_city_only(viewer, outsider, work_x, work_y):
    services.digests_send()
    [message] = _mails_to(viewer)
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Xwork overdue report" in body
        assert "Xwork stale facilities" in body
        assert "Secretwork" not in body
    assert "Xwork" not in _mails_to(outsider)[0].body


def test_a_digest_is_sent_only_when_there_is_something_to_say(viewer, city_x):
    services.digests_send()
    assert mail.outbox == []
    assert Delivery.objects.get(user=viewer).state == State.SKIPPED


def test_every_mail_carries_the_one_click_unsubscribe_headers(viewer, work_x):
    services.digests_send()
    [message] = _mails_to(viewer)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"]
    assert url.startswith("<http") and "/unsubscribe/" in url and url.endswith("/>")
    assert url[1:-1] in message.body


def test_a_second_run_sends_nothing_again(viewer, work_x):
    services.digests_send()
    services.digests_send()
    call_command("send_digests", stdout=mock.Mock())
    assert len(_mails_to(viewer)) == 1
    assert Delivery.objects.get(user=viewer).state == State.SENT


def test_off_means_no_digest(viewer, work_x):
    Preferences.objects.create(user=viewer, frequency=Frequency.OFF)
    services.digests_send()
    assert _mails_to(viewer) == []


def test_monthly_users_get_one_digest_a_month(viewer, work_x):
    Preferences.objects.create(user=viewer, frequency=Frequency.MONTHLY)
    services.digests_send()
    delivery = Delivery.objects.get(user=viewer)
    assert delivery.kind == Kind.MONTHLY
    assert delivery.period == last_ended(Frequency.MONTHLY, timezone.now(), "UTC").key


def test_an_smtp_failure_is_retried_by_the_next_run_without_a_duplicate(viewer, work_x):
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=smtplib.SMTPServerDisconnected("gone"),
    ):
        services.digests_send()
    delivery = Delivery.objects.get(user=viewer)
    assert (delivery.state, delivery.attempts) == (State.FAILED, 1)
    assert "gone" in delivery.error
    services.digests_send()
    services.digests_send()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.SENT, 2)
    assert len(_mails_to(viewer)) == 1


def test_a_claim_left_by_a_crashed_run_is_retaken_later(viewer, work_x, settings):
    period = last_ended(Frequency.WEEKLY, timezone.now(), "UTC")
    Delivery.objects.create(
        user=viewer, kind=Kind.WEEKLY, period=period.key, claimed_at=timezone.now()
    )
    services.digests_send()
    assert _mails_to(viewer) == []  # another run may still be sending it
    Delivery.objects.update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=settings.REMINDERS_CLAIM_MINUTES + 1)
    )
    services.digests_send()
    assert len(_mails_to(viewer)) == 1
    assert Delivery.objects.get(user=viewer).attempts == 2


def test_a_mail_that_keeps_failing_is_given_up(viewer, work_x, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 2
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError()
    ) as send:
        for _ in range(4):
            services.digests_send()
    assert send.call_count == 2
    assert Delivery.objects.get(user=viewer).state == State.FAILED


def test_the_week_follows_the_city_time_zone(viewer, city_x, work_x, clock):
    # Monday 00:30 in Chicago is Monday 06:30 UTC: the week to Sunday has ended there...
    city_x.time_zone = "America/Chicago"
    city_x.save()
    with mock.patch(
        "django.utils.timezone.now", return_value=MONDAY_NOON.replace(hour=6, minute=30)
    ):
        services.digests_send()
    assert Delivery.objects.get(user=viewer).period == "2026-11-23"
    # ...but at 05:30 UTC (Sunday 23:30 in Chicago) the week before was still the last one.
    Delivery.objects.all().delete()
    with mock.patch(
        "django.utils.timezone.now", return_value=MONDAY_NOON.replace(hour=5, minute=30)
    ):
        services.digests_send()
    assert Delivery.objects.get(user=viewer).period == "2026-11-16"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_digest_once(city_x):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory shared-cache test database answers a second writer with "
            "'database table is locked' instead of waiting; the race runs on PostgreSQL"
        )
    users = [UserFactory(username=f"reader{n}") for n in range(8)]
    for user in users:
        MembershipFactory(user=user, city=city_x, role=Role.VIEWER)
    build_work(city_x, "Race", timezone.localdate())
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            services.digests_send()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in users)
    assert Delivery.objects.filter(state=State.SENT).count() == len(users)


def test_hostile_names_are_escaped_in_the_html_digest(viewer, work_x):
    hostile = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
    work_x.compact.title = hostile
    work_x.compact.save()
    services.digests_send()
    [message] = _mails_to(viewer)
    html = message.alternatives[0][0]
    assert hostile not in html
    assert "&lt;script&gt;" in html
    assert hostile in message.body  # plain text is not markup


def test_the_database_refuses_a_second_row_for_the_same_mail(viewer):
    from django.db import IntegrityError, transaction

    Delivery.objects.create(
        user=viewer, kind=Kind.WEEKLY, period="2026-11-23", claimed_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            user=viewer, kind=Kind.WEEKLY, period="2026-11-23", claimed_at=timezone.now()
        )
