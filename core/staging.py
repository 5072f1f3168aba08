"""Uploaded files kept between a preview and its confirmation.

An import shows what it would change before writing; the file the user uploaded must still be
there when they confirm, without trusting anything the browser sends back. The bytes go to a
file under VAR_DIR/staged-uploads named by a random token; the token lives in the user's
session under the upload's purpose, and the confirmation only says "yes" to that token (it is
compared, never used as a path). Files older than a day are swept on the next staging.

One app server's disk: behind several servers without sticky sessions, point VAR_DIR at storage
they share.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

MAX_AGE_SECONDS = 24 * 3600
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")


def staging_dir() -> Path:
    path = Path(settings.VAR_DIR) / "staged-uploads"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _session_key(purpose: str) -> str:
    return f"staged-upload:{purpose}"


def _path(token: str, name: str) -> Path:
    if not TOKEN_PATTERN.fullmatch(token) or not name.isidentifier():
        raise ValueError("Not a staging token.")
    return staging_dir() / f"{token}.{name}"


def stage(request, purpose: str, files: dict[str, bytes], meta: dict) -> str:
    """Keep `files` (name -> bytes) for this user and purpose; returns the confirmation token.

    A new upload for the same purpose replaces the previous one.
    """
    discard(request, purpose)
    _sweep()
    token = secrets.token_urlsafe(24)
    for name, data in files.items():
        path = _path(token, name)
        path.write_bytes(data)
        path.chmod(0o600)
    request.session[_session_key(purpose)] = {
        "token": token,
        "names": sorted(files),
        "meta": meta,
        "user": request.user.pk,
    }
    return token


def load(request, purpose: str, token: str) -> tuple[dict[str, bytes], dict] | None:
    """The staged files and metadata when `token` is the one this user was given, else None."""
    entry = request.session.get(_session_key(purpose))
    if (
        not entry
        or entry.get("user") != request.user.pk
        or not isinstance(token, str)
        or not secrets.compare_digest(entry["token"], token)
    ):
        return None
    files = {}
    for name in entry["names"]:
        path = _path(entry["token"], name)
        if not path.exists():
            return None
        files[name] = path.read_bytes()
    return files, entry["meta"]


def discard(request, purpose: str) -> None:
    entry = request.session.pop(_session_key(purpose), None)
    if entry:
        for name in entry["names"]:
            _path(entry["token"], name).unlink(missing_ok=True)


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in staging_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
