"""Headers and production settings: CSP without inline scripts, frame denial, secure cookies,
HSTS, and a clean `check --deploy`."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.matrix.harness import all_routes
from tests.matrix.world import build_world

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_pages_carry_a_content_security_policy_without_inline_script(editor_client):
    policy = directives(editor_client.get("/accounts/password_change/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in " ".join(sum(policy.values(), []))


def test_the_sign_in_page_carries_it_too_and_refuses_framing(anonymous_client):
    response = anonymous_client.get("/accounts/login/")
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_error_pages_refuse_framing_too(viewer_client):
    response = viewer_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]


# Data blocks (json_script's type="application/json") are never run, so the policy allows them.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.IGNORECASE
)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """What the policy would block: inline scripts, style attributes, on* handlers."""
    found = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("event handler attribute", EVENT_ATTRIBUTE),
    ):
        found += [f"{name}: {match.group(0)[:80]}" for match in pattern.finditer(html)]
    return found


def test_the_inline_code_scan_finds_what_the_policy_blocks():
    html = (
        '<p style="color:red" onclick="x()"></p><script>alert(1)</script><script src="/a.js">'
        '<script id="data" type="application/json">{}</script>'
    )
    assert [line.split(":")[0] for line in inline_code(html)] == [
        "inline <script>",
        "style attribute",
        "event handler attribute",
    ]


def test_no_page_carries_inline_code_the_policy_would_block(city_x, city_y, superuser_client):
    """Every page of the permission matrix, as the superuser who may see them all."""
    world = build_world(city_x, city_y)
    found = {}
    for route in all_routes():
        url = reverse(route.name, kwargs=route.kwargs(world.x))
        response = superuser_client.get(f"{url}?{route.query}" if route.query else url)
        is_page = response.status_code == 200 and "text/html" in response.get("Content-Type", "")
        if is_page and (blocked := inline_code(response.content.decode())):
            found[url] = blocked
    assert found == {}


def _production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        {
            "DEBUG": "0",
            "SECURE_SSL": "1",
            "ALLOWED_HOSTS": "compacts.example.org",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "VAR_DIR": str(tmp_path),
            **overrides,
        }
    )
    return env


def _manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Production runs several workers, and they share one cache (see the next tests).
SHARED_CACHE = {"REDIS_URL": "redis://127.0.0.1:6379/0"}


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    result = _manage(
        _production_env(tmp_path, **SHARED_CACHE), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_warns_when_each_worker_has_its_own_cache(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "accounts.W001" in output
    assert "serving old dashboards for up to 10 minutes" in output
    assert "Set REDIS_URL" in output


def test_the_deploy_check_would_catch_plain_http_settings(tmp_path):
    result = _manage(
        _production_env(tmp_path, SECURE_SSL="0", **SHARED_CACHE),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_production_cookies_are_secure_and_http_only_with_hsts(tmp_path):
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({name: "
        "getattr(s, name) for name in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS', "
        "'DEBUG']}))"
    )
    result = _manage(_production_env(tmp_path, **SHARED_CACHE), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "X_FRAME_OPTIONS": "DENY",
        "DEBUG": False,
    }


def test_settings_refuse_to_start_without_a_secret_key_in_production(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_session_cookie_is_http_only(editor):
    response = Client().post(
        "/accounts/login/", {"username": "editor", "password": "correct horse battery staple"}
    )
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["sessionid"]["samesite"] == "Lax"
