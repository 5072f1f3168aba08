"""Two-step sign-in: a code from an authenticator app (TOTP) after the password, or a recovery
code when the phone is lost. Required for superusers, optional for everyone else.

The session remembers the step's state so that no request pays a query for it: the step is due
when the user has a confirmed app at sign-in, and passed once a code was accepted
(django-otp's DEVICE_ID_SESSION_KEY, the device that accepted it).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

STEP_DUE_SESSION_KEY = "second_step_due"
SETUP_KEY_SESSION_KEY = "second_step_setup_key"
NEW_RECOVERY_CODES_SESSION_KEY = "second_step_new_recovery_codes"

APP_CODE = re.compile(r"^\d{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def normalize_code(raw: str) -> str:
    """People type codes with spaces or dashes ("123 456", "abcd-efgh"), in either case."""
    return re.sub(r"[\s-]", "", raw or "").lower()


def has_app(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def step_passed(session) -> bool:
    return DEVICE_ID_SESSION_KEY in session


def step_needed(user, session) -> bool:
    """Whether this signed-in session must still pass the second step: superusers always,
    others when they had an app at sign-in."""
    if step_passed(session):
        return False
    return user.is_superuser or bool(session.get(STEP_DUE_SESSION_KEY))


def note_sign_in(user, session) -> None:
    """At sign-in (the password is right): the step is due if the user has an app."""
    session.pop(DEVICE_ID_SESSION_KEY, None)
    if has_app(user):
        session[STEP_DUE_SESSION_KEY] = True
    else:
        session.pop(STEP_DUE_SESSION_KEY, None)


def pass_step(request, device) -> None:
    """Record in the session that `device` accepted a code from this user, under a new session
    key (the session's privilege changed)."""
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session.pop(STEP_DUE_SESSION_KEY, None)


class Throttled(Exception):
    """Too many wrong codes lately: the device refuses to check another for a few seconds."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def _wait_seconds(device) -> int:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return 0
    failures = (details or {}).get("failure_count", 1)
    delay = device.get_throttle_factor() * 2 ** (failures - 1)
    elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
    return max(1, int(delay - elapsed + 0.999))


def check_code(user, raw_code: str):
    """The device that accepts this code (an app code or an unused recovery code, which is then
    used up), or None. Raises Throttled while the device refuses to check."""
    code = normalize_code(raw_code)
    if APP_CODE.match(code):
        model = TOTPDevice
    elif RECOVERY_CODE.match(code):
        model = StaticDevice
    else:
        return None
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            wait = _wait_seconds(device)
            if wait:
                raise Throttled(wait)
            if device.verify_token(code):
                return device
    return None


def new_setup_key() -> str:
    """A fresh TOTP secret (hex, as django-otp stores it), kept in the session until confirmed."""
    return binascii.hexlify(secrets.token_bytes(20)).decode()


def setup_key(session) -> str:
    if SETUP_KEY_SESSION_KEY not in session:
        session[SETUP_KEY_SESSION_KEY] = new_setup_key()
    return session[SETUP_KEY_SESSION_KEY]


def readable_secret(hex_key: str) -> str:
    """The secret as an app asks for it when typed by hand: base32, in groups of four."""
    text = base64.b32encode(binascii.unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))


def unsaved_app(user, hex_key: str) -> TOTPDevice:
    return TOTPDevice(user=user, key=hex_key, name="Authenticator app", confirmed=False)


def qr_image(device: TOTPDevice) -> tuple[str, int]:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data: images),
    and its width in pixels."""
    code = segno.make(device.config_url, error="m")
    width, _ = code.symbol_size(scale=5, border=2)
    return code.svg_data_uri(scale=5, border=2), width


def app_confirm(*, user, hex_key: str, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Turn two-step sign-in on once the app shows a right code for the new secret: the app's
    device (the code counts as used) and a fresh set of recovery codes. None, and nothing
    written, when the code does not fit."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, key=hex_key, name="Authenticator app", confirmed=True
        )
        if not device.verify_token(normalize_code(code)):
            transaction.set_rollback(True)
            return None
        return device, recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = []
    while len(codes) < settings.RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_disable(*, user) -> None:
    """Turn two-step sign-in off: the app and the recovery codes are forgotten."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
