"""Writes to leadership records: finding a person by name and the leadership change, which closes
a seat's open term and opens the successor's in one transaction (or, at a vacant seat, records
the new leader alone)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from core.audit import recorded_as
from schools.choices import LeadershipRole
from schools.models import LeadershipTerm, Organization, Person


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


def _day(value: datetime.date) -> str:
    return date_format(value, "j M Y")


def person_find_or_create(*, full_name: str, actor) -> Person:
    """The person of that name (case and spacing ignored; the oldest record when several share
    it), or a new one."""
    full_name = _clean_name(full_name)
    if not full_name:
        raise ValidationError({"full_name": "Give the person's name."})
    person = Person.objects.filter(full_name__iexact=full_name).order_by("pk").first()
    if person is not None:
        return person
    person = Person(full_name=full_name)
    with transaction.atomic(), recorded_as(actor):
        person.full_clean()
        person.save()
    return person


@dataclass
class LeadershipChange:
    """The outcome of a leadership change, for the confirmation message."""

    closed_term: LeadershipTerm | None  # None: the seat was vacant, no term was closed
    new_term: LeadershipTerm
    # Compacts whose signatory held the closed term: they lost (or, with a future last day, will
    # lose) a signatory still in post.
    compacts_losing_signatory: list = field(default_factory=list)


def _seat_open_term(organization: Organization, role: str) -> LeadershipTerm | None:
    """The seat's open term, locked: the one without an end, else one ending in the future."""
    terms = LeadershipTerm.objects.select_for_update().filter(organization=organization, role=role)
    term = terms.filter(ended_on__isnull=True).first()
    if term is None:
        term = terms.filter(ended_on__gt=timezone.localdate()).order_by("-started_on").first()
    return term


def _open_term(organization, role, name: str, first_day, title: str, actor) -> LeadershipTerm:
    """The new leader's open term at the seat (inside the caller's transaction)."""
    person = person_find_or_create(full_name=name, actor=actor)
    term = LeadershipTerm(
        person=person, organization=organization, role=role, title=title, started_on=first_day
    )
    term.full_clean()
    term.save()
    return term


def _vacant_seat_errors(
    organization: Organization, role: str, last_day, end_reason: str, first_day: datetime.date
) -> dict[str, str]:
    """Why a new leader cannot be recorded at this vacant seat (empty when they can)."""
    role_label = LeadershipRole(role).label.lower() if role in LeadershipRole.values else role
    if last_day or end_reason:
        # Whoever gives a last day means to close a term: a wrong seat, or a missing record.
        return {
            "role": f"Nobody is recorded in post as {role_label} of {organization}, so there is "
            "no term to close. Check the organization and role; to record a leader for the "
            "vacant seat, leave the last day and the reason empty."
        }
    previous = (
        LeadershipTerm.objects.filter(organization=organization, role=role)
        .select_related("person")
        .order_by("-ended_on", "-started_on")
        .first()
    )
    if previous is not None and first_day < previous.ended_on:
        return {
            "successor_first_day": f"{previous.person} held this seat until "
            f"{_day(previous.ended_on)}; the new leader cannot start before that."
        }
    return {}


def leadership_change(
    *,
    organization: Organization,
    role: str,
    last_day: datetime.date | None,
    end_reason: str,
    successor_name: str,
    successor_first_day: datetime.date,
    successor_title: str = "",
    actor,
) -> LeadershipChange:
    """Close the open term of the seat (organization, role) on `last_day` and open the
    successor's from `successor_first_day`, both or neither. At a vacant seat (nobody in post),
    given no last day and no reason, record the new leader's term alone.

    Refuses: a last day or reason at a vacant seat (there is nothing to close: most likely the
    wrong seat), a new leader at a vacant seat starting before the last leader left, an occupied
    seat without the leaving leader's last day and reason, a last day before the leaving
    leader's term began, a successor starting before that term began, a successor who already
    holds the seat, and any second open term at the seat (the partial unique constraint backs
    this up).
    """
    from compacts.models import Compact

    successor_name = _clean_name(successor_name)
    if not successor_name:
        raise ValidationError({"successor_name": "Give the successor's name."})
    try:
        with transaction.atomic(), recorded_as(actor):
            term = _seat_open_term(organization, role)
            if term is None:
                errors = _vacant_seat_errors(
                    organization, role, last_day, end_reason, successor_first_day
                )
                if errors:
                    raise ValidationError(errors)
                new_term = _open_term(
                    organization, role, successor_name, successor_first_day, successor_title, actor
                )
                return LeadershipChange(closed_term=None, new_term=new_term)
            leaving = term.person
            errors = {}
            if last_day is None:
                errors["last_day"] = f"{leaving} is in post: give their last day."
            elif last_day < term.started_on:
                errors["last_day"] = (
                    f"{leaving} started in this seat on {_day(term.started_on)}; "
                    "the last day cannot be before that."
                )
            if successor_first_day < term.started_on:
                errors["successor_first_day"] = (
                    f"The successor cannot start before {leaving}'s term began "
                    f"({_day(term.started_on)})."
                )
            if not end_reason:
                errors["end_reason"] = f"Say why {leaving} left."
            if _clean_name(leaving.full_name).lower() == successor_name.lower():
                errors["successor_name"] = f"{leaving} already holds this seat."
            if errors:
                raise ValidationError(errors)

            term.ended_on = last_day
            term.end_reason = end_reason
            term.full_clean()
            term.save()

            new_term = _open_term(
                organization, role, successor_name, successor_first_day, successor_title, actor
            )
    except IntegrityError:
        # Another change of the same seat committed between our check and our write.
        raise ValidationError(
            "This seat changed while you were recording the change; reload and check the current "
            "leader before trying again."
        ) from None
    losing = list(
        Compact.objects.filter(signatories__leadership_term=term)
        .select_related("city")
        .distinct()
        .order_by("signed_on", "title")
    )
    return LeadershipChange(closed_term=term, new_term=new_term, compacts_losing_signatory=losing)
