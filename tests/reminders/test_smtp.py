"""The digest through a real SMTP server (aiosmtpd, started by the test), parsed as a mail
client would."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from reminders import services

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def test_the_digest_arrives_over_smtp_with_both_parts_and_the_unsubscribe_headers(
    smtp_server, viewer, work_x, settings
):
    services.digests_send()
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == [viewer.email]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == viewer.email
    assert message["Subject"].startswith("Your weekly Compact Tracker digest")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header may be folded onto a continuation line: unfolded, it starts with a space.
    assert message["List-Unsubscribe"].strip().startswith(f"<{settings.SITE_URL}/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Xwork overdue report" in text and "Xwork overdue report" in html
    assert f'href="{settings.SITE_URL}/compacts/{work_x.compact.pk}/' in html
