"""Signed one-click unsubscribe tokens: who, and from what (digests or alerts). No expiry: a
link in a mail from last year must still work. Salted so that no other signed value of the
site can pass for one."""

from __future__ import annotations

from django.core import signing

SALT = "reminders.unsubscribe"
DIGESTS, ALERTS = "digests", "alerts"
TOPICS = {DIGESTS: "the digest emails", ALERTS: "the alerts when a signer leaves"}


def unsubscribe_token(user_id: int, topic: str) -> str:
    return signing.dumps({"user": user_id, "from": topic}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, topic), or None for a token this site did not sign."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("from") not in TOPICS:
        return None
    user_id = data.get("user")
    return (user_id, data["from"]) if isinstance(user_id, int) else None
