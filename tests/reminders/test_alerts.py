import datetime

import pytest
from django.core import mail
from django.utils import timezone

from compacts.choices import CompactStatus
from reminders import services
from reminders.choices import Kind, State
from reminders.models import Delivery, Preferences
from schools.services import leadership_departure
from tests.compacts.factories import CompactFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signatory(city_x):
    return SignatoryFactory(compact=CompactFactory(city=city_x, title="Xville compact"))


def _leaves(signatory, editor, django_capture_on_commit_callbacks):
    term = signatory.leadership_term
    with django_capture_on_commit_callbacks(execute=True):
        leadership_departure(
            organization=term.organization,
            role=term.role,
            last_day=timezone.localdate() - datetime.timedelta(days=1),
            end_reason="retired",
            actor=editor,
        )


def test_the_citys_editors_and_viewers_are_alerted_once_when_a_signer_leaves(
    signatory, editor, viewer, outsider, django_capture_on_commit_callbacks
):
    _leaves(signatory, editor, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([editor.email, viewer.email])
    message = mail.outbox[0]
    assert signatory.leadership_term.person.full_name in message.subject
    assert "Xville compact" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    services.signatory_left_alert(term_id=signatory.leadership_term_id)
    assert len(mail.outbox) == 2


def test_no_alert_for_a_compact_that_is_no_longer_live(
    signatory, editor, django_capture_on_commit_callbacks
):
    signatory.compact.status = CompactStatus.LAPSED
    signatory.compact.ended_on = datetime.date(2015, 1, 1)
    signatory.compact.save()
    _leaves(signatory, editor, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_a_user_who_turned_alerts_off_gets_none(
    signatory, editor, viewer, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=viewer, alerts=False)
    _leaves(signatory, editor, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_a_failed_alert_is_retried_by_the_digest_run(
    signatory, city_x, editor, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    _leaves(signatory, editor, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(kind=Kind.ALERT, user=editor)
    assert delivery.state == State.FAILED
    monkeypatch.undo()
    services.digests_send()
    delivery.refresh_from_db()
    assert delivery.state == State.SENT
    assert [message.subject.startswith("A signer left") for message in mail.outbox] == [True]
