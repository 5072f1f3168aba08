"""Two-step sign-in: a code from an authenticator app after the password, required for
superusers (who reach nothing else, the admin included, until they pass it or set it up),
optional for everyone else, with recovery codes shown once, and turned off only with a code or
the password."""

import base64
import binascii
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import SETUP_KEY_SESSION_KEY, recovery_codes_renew
from tests.accounts.test_security_headers import directives, inline_code
from tests.accounts.two_factor import app_for, code_for
from tests.conftest import PASSWORD
from tests.matrix.harness import all_routes
from tests.matrix.world import build_world

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
STEP = "/accounts/two-step/"
SETUP = "/accounts/two-step/set-up/"
CODES = "/accounts/two-step/recovery-codes/"
TURN_OFF = "/accounts/two-step/turn-off/"
# Where a session whose step is due may still go.
OPEN_BEFORE_THE_STEP = {"two_factor_verify", "two_factor_setup", "logout"}


def sign_in_with_password(username, next_url="") -> Client:
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def setup_code(client) -> str:
    """The code an app that scanned this session's set-up QR code shows now."""
    key = binascii.unhexlify(client.session[SETUP_KEY_SESSION_KEY])
    return f"{TOTP(key).token():06d}"


def every_page(city_x, city_y) -> list[tuple[str, str]]:
    world = build_world(city_x, city_y)
    pages = [("admin:index", "/admin/"), ("admin:auth_user_changelist", "/admin/auth/user/")]
    for route in all_routes():
        url = reverse(route.name, kwargs=route.kwargs(world.x))
        pages.append((route.name, f"{url}?{route.query}" if route.query else url))
    return pages


# Superusers


def test_a_superuser_with_an_app_is_asked_for_a_code_after_the_password(superuser):
    app_for(superuser)
    client = sign_in_with_password("admin", next_url="/reports/")
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"] == f"{STEP}?next=%2Freports%2F"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<title>Enter your code &middot; Compact Tracker</title>" in html
    assert 'autocomplete="one-time-code"' in html
    assert 'href="/reports/"' not in html  # no menu before the step


def test_before_the_code_a_superuser_reaches_no_page_not_even_the_admin(superuser, city_x, city_y):
    app_for(superuser)
    client = sign_in_with_password("admin")
    reached = []
    for name, url in every_page(city_x, city_y):
        if name in OPEN_BEFORE_THE_STEP:
            continue
        for response in (client.get(url), client.post(url)):
            if not response.get("Location", "").startswith(STEP):
                method = response.request["REQUEST_METHOD"]
                reached.append(f"{method} {url}: {response.status_code}")
    assert reached == []


def test_the_right_code_opens_the_site_and_goes_on_to_the_page_wanted(superuser):
    device = app_for(superuser)
    client = sign_in_with_password("admin")
    key_before = client.session.session_key
    response = client.post(STEP, {"code": code_for(device), "next": "/reports/"})
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert client.get("/reports/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.session.session_key != key_before  # a new session key once the step is passed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_a_code_typed_with_a_space_is_accepted(superuser):
    device = app_for(superuser)
    client = sign_in_with_password("admin")
    code = code_for(device)
    response = client.post(STEP, {"code": f" {code[:3]} {code[3:]} "})
    assert response["Location"] == "/"


def test_the_code_step_never_sends_to_another_site(superuser):
    device = app_for(superuser)
    client = sign_in_with_password("admin")
    response = client.post(STEP, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize("code", ["000000", "12345", "not a code", "", "1" * 40])
def test_a_wrong_code_is_refused_next_to_the_field(superuser, code):
    device = app_for(superuser)
    if code == "000000" and code_for(device) == code:
        code = "111111"
    client = sign_in_with_password("admin")
    response = client.post(STEP, {"code": code})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="field-error"' in html
    assert client.get("/cities/")["Location"].startswith(STEP)


def test_wrong_codes_in_a_row_slow_the_next_tries(superuser):
    device = app_for(superuser)
    client = sign_in_with_password("admin")
    client.post(STEP, {"code": "000001" if code_for(device) != "000001" else "000002"})
    response = client.post(STEP, {"code": code_for(device)})
    assert "Too many wrong codes in a row. Wait 1 second," in response.content.decode()
    assert client.get("/cities/")["Location"].startswith(STEP)


def test_a_used_code_cannot_be_replayed_in_another_session(superuser):
    device = app_for(superuser)
    code = code_for(device)
    first = sign_in_with_password("admin")
    assert first.post(STEP, {"code": code})["Location"] == "/"
    second = sign_in_with_password("admin")
    assert second.post(STEP, {"code": code}).status_code == 200


def test_a_superuser_without_an_app_is_sent_to_set_it_up_and_reaches_nothing_else(
    superuser, city_x, city_y
):
    client = sign_in_with_password("admin")
    response = client.get("/cities/", follow=True)
    assert response.redirect_chain[-1][0] == f"{SETUP}?next=%2Fcities%2F"
    html = response.content.decode()
    assert "Administrators sign in with a code from their phone" in html
    assert 'href="/reports/"' not in html  # no menu before the step
    reached = []
    for name, url in every_page(city_x, city_y):
        if name in OPEN_BEFORE_THE_STEP:
            continue
        response = client.get(url, follow=True)
        if not response.redirect_chain or not response.redirect_chain[-1][0].startswith(SETUP):
            reached.append(f"{url}: {response.status_code}")
    assert reached == []


def test_a_superuser_sets_up_the_app_and_goes_on(superuser):
    client = sign_in_with_password("admin")
    client.get(SETUP)
    response = client.post(SETUP, {"code": setup_code(client), "next": "/reports/"})
    assert response["Location"] == f"{CODES}?next=%2Freports%2F"
    assert TOTPDevice.objects.filter(user=superuser, confirmed=True).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'href="/reports/"' in page  # "I have saved them" goes on
    assert client.get("/admin/").status_code == 200


# Set-up


def test_the_set_up_page_shows_a_qr_code_and_the_key_under_the_sites_policy(editor_client):
    response = editor_client.get(SETUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;charset=utf-8,[^"]+"', html)
    assert 'alt="QR code to scan with your authenticator app"' in html
    assert 'href="otpauth://totp/Compact%20Tracker%3Aeditor?secret=' in html  # on the phone itself
    hex_key = editor_client.session[SETUP_KEY_SESSION_KEY]
    secret = base64.b32encode(binascii.unhexlify(hex_key)).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert inline_code(html) == []
    assert "data:" in directives(response)["img-src"]
    assert "Not now" in html  # optional for an editor
    assert TOTPDevice.objects.count() == 0  # nothing is stored before the code confirms it


def test_reloading_the_set_up_page_keeps_the_same_key(editor_client):
    editor_client.get(SETUP)
    key = editor_client.session[SETUP_KEY_SESSION_KEY]
    editor_client.get(SETUP)
    assert editor_client.session[SETUP_KEY_SESSION_KEY] == key


def test_a_wrong_set_up_code_writes_nothing_and_says_so(editor_client):
    editor_client.get(SETUP)
    right = setup_code(editor_client)
    wrong = "123456" if right != "123456" else "654321"
    response = editor_client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "That code does not fit" in response.content.decode()
    assert TOTPDevice.objects.count() == 0
    assert StaticToken.objects.count() == 0


def test_recovery_codes_are_shown_once_after_set_up(editor, editor_client):
    editor_client.get(SETUP)
    response = editor_client.post(SETUP, {"code": setup_code(editor_client)}, follow=True)
    html = response.content.decode()
    shown = re.findall(r'<li class="col">([a-z2-7]{4}-[a-z2-7]{4})</li>', html)
    assert len(shown) == 10 and len(set(shown)) == 10
    assert "Two-step sign-in is on." in html
    assert "shown only this once" in html
    again = editor_client.get(CODES).content.decode()
    assert not any(code in again for code in shown)
    assert "You have 10 unused recovery codes" in again


def test_new_recovery_codes_replace_the_old_ones(editor, editor_client):
    app_for(editor)
    old = set(recovery_codes_renew(user=editor))
    response = editor_client.post(CODES)
    assert response["Location"] == CODES
    html = editor_client.get(CODES).content.decode()
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not old & new
    assert all(f"{code[:4]}-{code[4:]}" in html for code in new)


def test_an_app_already_on_is_not_replaced_through_set_up(editor, editor_client):
    device = app_for(editor)
    response = editor_client.get(SETUP)
    assert response["Location"] == "/accounts/"
    assert list(TOTPDevice.objects.filter(user=editor)) == [device]


# Everyone else: optional


def test_without_an_app_an_editor_signs_in_with_the_password_alone(editor):
    client = sign_in_with_password("editor")
    assert client.get("/cities/").status_code == 200


def test_once_an_editor_has_an_app_sign_in_asks_for_its_code(editor):
    device = app_for(editor)
    client = sign_in_with_password("editor")
    assert client.get("/cities/")["Location"] == f"{STEP}?next=%2Fcities%2F"
    # An app cannot be swapped in through set-up to skip the step.
    assert client.get(SETUP)["Location"] == "/accounts/"
    assert client.get("/accounts/")["Location"].startswith(STEP)
    assert client.post(STEP, {"code": code_for(device)})["Location"] == "/"
    assert client.get("/cities/").status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app(editor):
    app_for(editor)
    code, *_ = recovery_codes_renew(user=editor)
    client = sign_in_with_password("editor")
    response = client.post(STEP, {"code": f"{code[:4]}-{code[4:].upper()}"}, follow=True)
    assert "You used a recovery code; 9 left." in response.content.decode()
    assert client.get("/cities/").status_code == 200
    again = sign_in_with_password("editor")
    assert again.post(STEP, {"code": code}).status_code == 200


def test_the_code_step_sends_a_session_that_needs_none_on(editor_client):
    assert editor_client.get(STEP)["Location"] == "/"


def test_the_account_page_says_whether_two_step_sign_in_is_on(editor, editor_client):
    html = editor_client.get("/accounts/").content.decode()
    assert "Set up two-step sign-in" in html and f'href="{SETUP}"' in html
    app_for(editor)
    html = editor_client.get("/accounts/").content.decode()
    assert "After your password, sign-in asks for a code" in html
    assert f'href="{TURN_OFF}"' in html


# Turning it off


def test_turning_it_off_needs_a_code_or_the_password(editor, editor_client):
    app_for(editor)
    response = editor_client.post(TURN_OFF, {"code_or_password": "not the password"})
    assert response.status_code == 200
    assert "That is neither a current code nor your password." in response.content.decode()
    assert TOTPDevice.objects.filter(user=editor).exists()
    response = editor_client.post(TURN_OFF, {"code_or_password": PASSWORD})
    assert response["Location"] == "/accounts/"
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    assert sign_in_with_password("editor").get("/cities/").status_code == 200


def test_a_current_code_turns_it_off_too(editor, editor_client):
    device = app_for(editor)
    editor_client.post(TURN_OFF, {"code_or_password": code_for(device)})
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_a_superuser_who_turns_it_off_sets_it_up_again_at_once(superuser, superuser_client):
    superuser_client.post(TURN_OFF, {"code_or_password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=superuser).exists()
    assert superuser_client.get("/admin/", follow=True).redirect_chain[-1][0].startswith(SETUP)


def test_the_turn_off_page_sends_a_user_without_an_app_to_the_account(editor_client):
    assert editor_client.get(TURN_OFF)["Location"] == "/accounts/"


# The helper the other tests use stands for a real code step.


def test_the_test_helper_code_is_what_the_app_would_show(superuser):
    device = app_for(superuser)
    client = sign_in_with_password("admin")
    code = code_for(device, at=time.time())
    assert client.post(STEP, {"code": code})["Location"] == "/"
