"""Two-step sign-in for tests: an authenticator app for a user, the code it shows, and a
signed-in session that has passed the step.

`sign_in_verified` stands for a person who signed in with their password and typed the app's
code: superusers always need that, so every test that signs a superuser in goes through it.
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import STEP_DUE_SESSION_KEY


def app_for(user) -> TOTPDevice:
    """The user's confirmed authenticator app, added if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    """The code the app shows now (or at `at`), or the next one if this one was used already."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def sign_in_verified(client, user) -> None:
    """Sign `user` in on `client`, past the second step when they need one."""
    client.force_login(user)
    session = client.session
    if not (user.is_superuser or session.get(STEP_DUE_SESSION_KEY)):
        return
    session[DEVICE_ID_SESSION_KEY] = app_for(user).persistent_id
    session.pop(STEP_DUE_SESSION_KEY, None)
    session.save()
