"""The digest and the alert as email: plain text and HTML from templates, with the RFC 8058
one-click unsubscribe headers. Links are absolute (settings.SITE_URL)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from reminders.tokens import ALERTS, DIGESTS, unsubscribe_token


def _message(user, preferences, subject: str, template: str, context: dict, topic: str):
    unsubscribe_url = settings.SITE_URL + reverse(
        "reminders:unsubscribe", args=[unsubscribe_token(user.pk, topic)]
    )
    context = {
        **context,
        "recipient": user,
        "site": settings.SITE_URL,
        "iso_dates": preferences.iso_dates,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": settings.SITE_URL + reverse("reminders:preferences"),
    }
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"reminders/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string(f"reminders/email/{template}.html", context), "text/html"
    )
    return message


def digest_message(user, preferences, period, work) -> EmailMultiAlternatives:
    parts = []
    if work.counts.get("overdue"):
        parts.append(f"{work.counts['overdue']} overdue")
    if work.due:
        parts.append(f"{len(work.due)} due soon")
    if work.seats_count:
        parts.append(
            f"{work.seats_count} seat{'s' if work.seats_count != 1 else ''} to fill or re-affirm"
        )
    if work.changes:
        parts.append(f"{work.changes_count} change{'s' if work.changes_count != 1 else ''}")
    noun = "weekly" if period.kind == "weekly" else "monthly"
    subject = f"Your {noun} Compact Tracker digest: {', '.join(parts) or 'what is due'}"
    context = {"work": work, "period": period, "noun": noun}
    return _message(user, preferences, subject, "digest", context, DIGESTS)


def alert_message(user, preferences, term, compacts) -> EmailMultiAlternatives:
    subject = f"A signer left: {term.person.full_name}, {term.organization.name}"
    context = {"term": term, "compacts": compacts, "today": timezone.localdate()}
    return _message(user, preferences, subject, "alert", context, ALERTS)
