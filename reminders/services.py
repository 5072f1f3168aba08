"""Every write of reminders: preferences, visits, and the claim-then-send of each mail.

Sending is safe to run from several machines at once. A mail is claimed by inserting its
`Delivery` row (unique per user, kind and period) before it is sent: a second run finds the row
and leaves it. A failed send is retaken by the next run, and so is a claim left by a run that
crashed (older than REMINDERS_CLAIM_MINUTES); retaking is a conditional UPDATE on the attempts
seen, so of two runs retaking at once only one wins.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Membership
from accounts.scope import can_read
from compacts.choices import LIVE_COMPACT_STATUSES
from compacts.models import Compact
from reminders import mail
from reminders.choices import Frequency, Kind, State
from reminders.models import Delivery, Preferences
from reminders.periods import Period, last_ended
from reminders.selectors import my_work
from reminders.tokens import ALERTS, DIGESTS
from schools.models import LeadershipTerm

logger = logging.getLogger(__name__)

# A pause longer than this between two page views starts a new visit.
VISIT_GAP = datetime.timedelta(minutes=30)
# Days ahead a digest lists milestones due: the next period's length.
DIGEST_HORIZON = {Frequency.WEEKLY: 7, Frequency.MONTHLY: 31}


def preferences_for(user) -> Preferences:
    """The user's preferences, created with the defaults on first use."""
    preferences, _ = Preferences.objects.get_or_create(user=user)
    return preferences


def visit_record(*, user, now: datetime.datetime) -> datetime.datetime | None:
    """Note a view of My work at `now`; return the start of the previous visit (None on the
    first), from which My work lists what changed."""
    preferences = preferences_for(user)
    if preferences.last_seen_at is not None and now - preferences.last_seen_at > VISIT_GAP:
        preferences.previous_visit_at = preferences.last_seen_at
    preferences.last_seen_at = now
    preferences.save(update_fields=["last_seen_at", "previous_visit_at"])
    return preferences.previous_visit_at


def preferences_update(*, user, frequency: str, alerts: bool, iso_dates: bool) -> Preferences:
    preferences = preferences_for(user)
    preferences.frequency, preferences.alerts, preferences.iso_dates = frequency, alerts, iso_dates
    preferences.full_clean()
    preferences.save(update_fields=["frequency", "alerts", "iso_dates"])
    return preferences


def unsubscribe(*, user_id: int, topic: str) -> bool:
    """Stop the digests or the alerts of a user (from a signed link: no sign-in). False when
    the user no longer exists."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    preferences = preferences_for(user)
    if topic == DIGESTS:
        preferences.frequency = Frequency.OFF
    elif topic == ALERTS:
        preferences.alerts = False
    preferences.save(update_fields=["frequency", "alerts"])
    return True


# --- claiming and sending ---


def delivery_claim(*, user, kind: str, period: str, now: datetime.datetime) -> Delivery | None:
    """The delivery row, claimed for this run; None when another run holds it, or it was sent,
    skipped, or failed REMINDERS_MAX_ATTEMPTS times."""
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            user=user, kind=kind, period=period, defaults={"claimed_at": now}
        )
    if created:
        return delivery
    abandoned = now - datetime.timedelta(minutes=settings.REMINDERS_CLAIM_MINUTES)
    retake = Q(state=State.FAILED) | Q(state=State.CLAIMED, claimed_at__lt=abandoned)
    taken = Delivery.objects.filter(
        retake,
        pk=delivery.pk,
        attempts=delivery.attempts,
        attempts__lt=settings.REMINDERS_MAX_ATTEMPTS,
    ).update(state=State.CLAIMED, attempts=F("attempts") + 1, claimed_at=now, error="")
    if not taken:
        return None
    delivery.refresh_from_db()
    return delivery


def _send(delivery: Delivery, message, now: datetime.datetime) -> str:
    """Send a claimed delivery's message; record sent, or failed for the next run."""
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Sending %s failed: %s", delivery, error)
        Delivery.objects.filter(pk=delivery.pk).update(
            state=State.FAILED, subject=message.subject[:200], error=str(error)[:2000]
        )
        return State.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(
        state=State.SENT, sent_at=now, subject=message.subject[:200]
    )
    return State.SENT


def user_time_zone(user) -> str:
    """The zone of a user's periods: that of their first city by name, else the site's. A user
    with cities in several zones gets one digest a period, so one zone must decide."""
    zone = (
        Membership.objects.filter(user=user)
        .order_by("city__name", "city__state")
        .values_list("city__time_zone", flat=True)
        .first()
    )
    return zone or settings.TIME_ZONE


def digest_send(*, user, preferences: Preferences, period: Period, now) -> str:
    """Claim and send the user's digest of `period`: My work as it stood when the period
    ended, the milestones due in the next period, and the changes others made during it.
    Returns the outcome: sent, failed, skipped (nothing to say) or taken."""
    delivery = delivery_claim(user=user, kind=period.kind, period=period.key, now=now)
    if delivery is None:
        return "taken"
    work = my_work(
        user=user,
        today=period.end.date(),
        horizon_days=DIGEST_HORIZON[period.kind],
        since=period.start,
        until=period.end,
    )
    if not work.has_news:
        Delivery.objects.filter(pk=delivery.pk).update(state=State.SKIPPED)
        return State.SKIPPED
    return _send(delivery, mail.digest_message(user, preferences, period, work), now)


def digest_recipients():
    """Active users with an email who belong to a city (editors and viewers)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def digests_send(*, now: datetime.datetime | None = None) -> Counter:
    """One run of `manage.py send_digests`: each recipient's digest of the last period that
    ended in their zone, if not sent yet; then the alerts that failed or were abandoned."""
    now = now or timezone.now()
    outcomes: Counter = Counter()
    for user in digest_recipients():
        preferences = preferences_for(user)
        if preferences.frequency == Frequency.OFF:
            continue
        period = last_ended(preferences.frequency, now, user_time_zone(user))
        outcomes[digest_send(user=user, preferences=preferences, period=period, now=now)] += 1
    for delivery in _alerts_to_retry(now):
        term_id = int(delivery.period.removeprefix("term-"))
        outcomes[signatory_left_alert(term_id=term_id, now=now, only=delivery.user)] += 1
    return outcomes


def _alerts_to_retry(now: datetime.datetime):
    abandoned = now - datetime.timedelta(minutes=settings.REMINDERS_CLAIM_MINUTES)
    return Delivery.objects.filter(
        Q(state=State.FAILED) | Q(state=State.CLAIMED, claimed_at__lt=abandoned),
        kind=Kind.ALERT,
        attempts__lt=settings.REMINDERS_MAX_ATTEMPTS,
    ).select_related("user")


def signatory_left_alert(*, term_id: int, now=None, only=None) -> str:
    """Alert the editors and viewers of the cities whose live compacts the holder of the
    closed term signed (or `only` that user, on a retry), each once per term. Returns the last
    outcome, "none" when nobody is to be told."""
    now = now or timezone.now()
    term = (
        LeadershipTerm.objects.select_related("person", "organization")
        .filter(pk=term_id, ended_on__isnull=False)
        .first()
    )
    if term is None:
        return "none"
    compacts = list(
        Compact.objects.filter(signatories__leadership_term=term, status__in=LIVE_COMPACT_STATUSES)
        .select_related("city")
        .distinct()
        .order_by("city__name", "title")
    )
    recipients = (
        get_user_model()
        .objects.filter(is_active=True, memberships__city__in={c.city_id for c in compacts})
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    if only is not None:
        recipients = recipients.filter(pk=only.pk)
    outcome = "none"
    for user in recipients:
        preferences = preferences_for(user)
        if not preferences.alerts:
            continue
        delivery = delivery_claim(user=user, kind=Kind.ALERT, period=f"term-{term.pk}", now=now)
        if delivery is None:
            outcome = "taken"
            continue
        theirs = [compact for compact in compacts if can_read(user, compact.city_id)]
        outcome = _send(delivery, mail.alert_message(user, preferences, term, theirs), now)
    return outcome
