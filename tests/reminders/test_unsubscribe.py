import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from reminders.choices import Frequency
from reminders.models import Preferences
from reminders.tokens import ALERTS, DIGESTS, SALT, unsubscribe_token

pytestmark = pytest.mark.django_db


def _url(user, topic=DIGESTS) -> str:
    return reverse("reminders:unsubscribe", args=[unsubscribe_token(user.pk, topic)])


def test_the_link_asks_before_unsubscribing_without_signing_in(viewer):
    response = Client().get(_url(viewer))
    assert response.status_code == 200
    assert b"Stop receiving the digest emails" in response.content
    assert not Preferences.objects.filter(user=viewer, frequency=Frequency.OFF).exists()


def test_the_confirm_button_unsubscribes_without_a_session_or_csrf_token(viewer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_url(viewer))
    assert response.status_code == 200
    assert Preferences.objects.get(user=viewer).frequency == Frequency.OFF


def test_a_mail_clients_one_click_post_unsubscribes(viewer):
    client = Client(enforce_csrf_checks=True)
    client.post(_url(viewer, ALERTS), {"List-Unsubscribe": "One-Click"})
    preferences = Preferences.objects.get(user=viewer)
    assert preferences.alerts is False
    assert preferences.frequency == Frequency.WEEKLY


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps({"user": 1, "from": DIGESTS}, salt="another.salt"),
        signing.dumps({"user": 1, "from": "everything"}, salt=SALT),
    ],
)
def test_a_token_the_site_did_not_sign_for_this_is_refused(viewer, token):
    response = Client().post(reverse("reminders:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert not Preferences.objects.filter(frequency=Frequency.OFF).exists()


def test_the_preferences_page_saves_the_choice(viewer, viewer_client):
    response = viewer_client.post(
        reverse("reminders:preferences"), {"frequency": "monthly", "iso_dates": "on"}
    )
    assert response.status_code == 302
    preferences = Preferences.objects.get(user=viewer)
    assert (preferences.frequency, preferences.alerts, preferences.iso_dates) == (
        Frequency.MONTHLY,
        False,
        True,
    )
