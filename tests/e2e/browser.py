"""The browser the end-to-end tests drive, the screens they use and the people's password."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
# Headless, and quiet: no network traffic of its own, no sync, no updates, no first-run pages.
# Playwright starts every launch with a fresh temporary profile (its own --user-data-dir, removed
# on close), so no state carries over from one run to the next.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install it with `sudo apt-get install chromium` (Debian/Ubuntu), or point E2E_CHROMIUM at a "
    "Chromium binary; the project never downloads a browser"
)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
PASSWORD = "correct horse battery staple"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"


def browser_missing() -> str:
    """Why the end-to-end tests cannot run here, or "" when they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        hint = f" (a chromium is on PATH at {found}: set E2E_CHROMIUM)" if found else ""
        return f"Chromium not found at {CHROMIUM}{hint}; {INSTALL_HINT}."
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed; run `make install` (the dev extras)."
    return ""


def sign_in_through_the_form(page, site, username: str, land_on: str = "/cities/") -> None:
    """The real sign-in form, as a person fills it in, and the code step for those who have an
    authenticator app (every administrator): the code their app shows now."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.two_factor import code_for

    page.goto(site("/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Signing in lands on My work, or on the portfolio for those who only read; most journeys
    # carry on from the city list.
    landings = (site("/"), site("/reports/"))
    page.wait_for_url(lambda url: url in landings or "/two-step/" in url)
    if "/two-step/" in page.url:
        user = get_user_model().objects.get(username=username)
        page.get_by_label("Code").fill(code_for(TOTPDevice.objects.get(user=user)))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: url in landings)
    if page.url != site(land_on):
        page.goto(site(land_on))
