"""Writes to leadership records: the leadership change, which closes a seat's open term and opens
the successor's in one transaction (or, at a vacant seat, records the new leader alone), the
departure without a successor yet, and the correction of a term.

Which existing person a successor is, is the caller's decision within the user's scope
(accounts.scope.reusable_people): these services never look a person up by name."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import recorded_as
from core.changes import cities_changed
from core.concurrency import lock_current
from core.formats import date_text
from schools.changes import person_cities, seat_cities
from schools.choices import LeadershipRole
from schools.models import LeadershipTerm, Organization, Person
from schools.signals import term_closed

ANNOUNCED_DEPARTURE_HORIZON = datetime.timedelta(days=365)


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


def _day(value: datetime.date) -> str:
    return date_text(value)


def person_create(*, full_name: str, actor) -> Person:
    """A new person record of that name (spacing tidied)."""
    full_name = _clean_name(full_name)
    if not full_name:
        raise ValidationError({"full_name": "Give the person's name."})
    person = Person(full_name=full_name)
    with transaction.atomic(), recorded_as(actor):
        person.full_clean()
        person.save()
    return person


@dataclass
class LeadershipChange:
    """The outcome of a leadership change, for the confirmation message."""

    closed_term: LeadershipTerm | None  # None: the seat was vacant, no term was closed
    new_term: LeadershipTerm | None  # None: a departure, the seat is vacant for now
    # Compacts whose signatory held the closed term: they lost (or, with a future last day, will
    # lose) a signatory still in post.
    compacts_losing_signatory: list = field(default_factory=list)
    new_person: bool = False  # the successor is a person recorded by this change


def _seat_open_term(organization: Organization, role: str) -> LeadershipTerm | None:
    """The seat's open term, locked: the one without an end, else one ending in the future."""
    terms = LeadershipTerm.objects.select_for_update().filter(organization=organization, role=role)
    term = terms.filter(ended_on__isnull=True).first()
    if term is None:
        term = terms.filter(ended_on__gt=timezone.localdate()).order_by("-started_on").first()
    return term


def _open_term(
    organization, role, person: Person | None, name: str, first_day, title: str, actor
) -> LeadershipTerm:
    """The new leader's open term at the seat (inside the caller's transaction); a new person
    named `name` when `person` is None."""
    if person is None:
        person = person_create(full_name=name, actor=actor)
    term = LeadershipTerm(
        person=person, organization=organization, role=role, title=title, started_on=first_day
    )
    term.full_clean()
    term.save()
    cities_changed(seat_cities(organization.pk, role))
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


def _closing_errors(term: LeadershipTerm, last_day, end_reason: str) -> dict[str, str]:
    """Why the open term cannot close on `last_day` for `end_reason` (empty when it can)."""
    leaving = term.person
    errors = {}
    if last_day is None:
        errors["last_day"] = f"{leaving} is in post: give their last day."
    elif last_day < term.started_on:
        errors["last_day"] = (
            f"{leaving} started in this seat on {_day(term.started_on)}; "
            "the last day cannot be before that."
        )
    elif last_day > timezone.localdate() + ANNOUNCED_DEPARTURE_HORIZON:
        # An announced departure a few months ahead is real; one years ahead is a typo'd year.
        errors["last_day"] = (
            f"{_day(last_day)} is more than a year ahead. Record an announced departure at "
            "most a year before it happens."
        )
    if not end_reason:
        errors["end_reason"] = f"Say why {leaving} left."
    return errors


def _close(term: LeadershipTerm, last_day, end_reason: str) -> None:
    term.ended_on = last_day
    term.end_reason = end_reason
    term.full_clean()
    term.save()
    cities_changed(seat_cities(term.organization_id, term.role))
    # Once committed: a signer of a live compact who leaves is news for the city (reminders).
    transaction.on_commit(
        lambda: term_closed.send(sender=LeadershipTerm, term_id=term.pk), robust=True
    )


def _compacts_signed_by(term: LeadershipTerm) -> list:
    from compacts.models import Compact

    return list(
        Compact.objects.filter(signatories__leadership_term=term)
        .select_related("city")
        .distinct()
        .order_by("signed_on", "title")
    )


_SEAT_CHANGED = (
    "This seat changed while you were recording the change; reload and check the current "
    "leader before trying again."
)


def leadership_change(
    *,
    organization: Organization,
    role: str,
    last_day: datetime.date | None,
    end_reason: str,
    successor_name: str,
    successor_first_day: datetime.date,
    successor_title: str = "",
    successor: Person | None = None,
    actor,
) -> LeadershipChange:
    """Close the open term of the seat (organization, role) on `last_day` and open the
    successor's from `successor_first_day`, both or neither. At a vacant seat (nobody in post),
    given no last day and no reason, record the new leader's term alone. The successor is
    `successor`, an existing person the caller chose within the user's scope, or else a new
    person named `successor_name`.

    Refuses: a last day or reason at a vacant seat (there is nothing to close: most likely the
    wrong seat), a new leader at a vacant seat starting before the last leader left, an occupied
    seat without the leaving leader's last day and reason, a last day before the leaving
    leader's term began, a successor starting before that term began, a successor who already
    holds the seat, and any second open term at the seat (the partial unique constraint backs
    this up).
    """
    successor_name = _clean_name(successor.full_name if successor else successor_name)
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
                    organization,
                    role,
                    successor,
                    successor_name,
                    successor_first_day,
                    successor_title,
                    actor,
                )
                return LeadershipChange(
                    closed_term=None, new_term=new_term, new_person=successor is None
                )
            leaving = term.person
            errors = _closing_errors(term, last_day, end_reason)
            if successor_first_day < term.started_on:
                errors["successor_first_day"] = (
                    f"The successor cannot start before {leaving}'s term began "
                    f"({_day(term.started_on)})."
                )
            elif last_day is not None and successor_first_day < last_day:
                # The seat has one holder at a time; the successor may start on the last day.
                errors["successor_first_day"] = (
                    f"{leaving}'s last day is {_day(last_day)}; the successor cannot start "
                    "before it."
                )
            same_name = _clean_name(leaving.full_name).lower() == successor_name.lower()
            if successor == leaving or (successor is None and same_name):
                errors["successor_name"] = f"{leaving} already holds this seat."
            if errors:
                raise ValidationError(errors)
            _close(term, last_day, end_reason)
            new_term = _open_term(
                organization,
                role,
                successor,
                successor_name,
                successor_first_day,
                successor_title,
                actor,
            )
    except IntegrityError:
        # Another change of the same seat committed between our check and our write.
        raise ValidationError(_SEAT_CHANGED) from None
    return LeadershipChange(
        closed_term=term,
        new_term=new_term,
        compacts_losing_signatory=_compacts_signed_by(term),
        new_person=successor is None,
    )


def leadership_departure(
    *,
    organization: Organization,
    role: str,
    last_day: datetime.date | None,
    end_reason: str,
    actor,
) -> LeadershipChange:
    """A leader leaves the seat (organization, role) with no successor named yet ("resigned,
    search under way"): close the open term on `last_day`; the seat is vacant from then until a
    leadership change at the vacant seat records the new leader.

    Refuses: a seat with nobody in post, a missing last day or reason, a last day before the
    term began.
    """
    with transaction.atomic(), recorded_as(actor):
        term = _seat_open_term(organization, role)
        if term is None:
            role_label = LeadershipRole(role).label.lower()
            raise ValidationError(
                {
                    "role": f"Nobody is recorded in post as {role_label} of {organization}, so "
                    "there is no departure to record. Check the organization and role."
                }
            )
        errors = _closing_errors(term, last_day, end_reason)
        if errors:
            raise ValidationError(errors)
        _close(term, last_day, end_reason)
    return LeadershipChange(
        closed_term=term, new_term=None, compacts_losing_signatory=_compacts_signed_by(term)
    )


# Fields a correction may change besides the person's name. The seat (organization, role) and
# the person a term belongs to are what it is: a different seat or person is a different term.
TERM_FIELDS = ("title", "started_on", "ended_on", "end_reason", "source_url")


def _until(term: LeadershipTerm) -> str:
    return _day(term.ended_on) if term.ended_on else "in post"


def _term_errors(term: LeadershipTerm) -> dict[str, str]:
    """Why the corrected term does not fit its seat: another open term, an overlap with a
    neighbouring term, or a compact it signed on a date it no longer covers."""
    errors: dict[str, str] = {}
    horizon = timezone.localdate() + ANNOUNCED_DEPARTURE_HORIZON
    if term.ended_on and term.ended_on > horizon:
        errors["ended_on"] = (
            f"{_day(term.ended_on)} is more than a year ahead. Record an announced departure at "
            "most a year before it happens."
        )
    if term.started_on > horizon:
        errors["started_on"] = f"{_day(term.started_on)} is more than a year ahead."
    neighbours = (
        LeadershipTerm.objects.filter(organization_id=term.organization_id, role=term.role)
        .exclude(pk=term.pk)
        .select_related("person")
        .order_by("started_on", "pk")
    )
    for other in neighbours:
        if term.ended_on is None and other.ended_on is None:
            errors["ended_on"] = (
                f"{other.person} is in post in this seat since {_day(other.started_on)}; "
                "give this term's last day."
            )
        # A term ends on its last day and the next may start that same day.
        elif (term.ended_on is None or other.started_on < term.ended_on) and (
            other.ended_on is None or term.started_on < other.ended_on
        ):
            field = "started_on" if other.started_on <= term.started_on else "ended_on"
            errors.setdefault(
                field,
                f"This overlaps {other.person}'s term in the seat "
                f"({_day(other.started_on)} – {_until(other)}).",
            )
    for signatory in term.signatures.select_related("compact"):
        # An original signer signed on the compact's date; a successor on their re-affirmation.
        signed_on = signatory.reaffirmed_on or signatory.compact.signed_on
        verb = "re-affirmed" if signatory.reaffirmed_on else "signed"
        if term.started_on > signed_on or (term.ended_on and term.ended_on < signed_on):
            errors.setdefault(
                "started_on" if term.started_on > signed_on else "ended_on",
                f"{term.person} {verb} {signatory.compact.title} on {_day(signed_on)} in this "
                "seat: the term must cover that day.",
            )
    return errors


def leadership_term_correct(
    *, term: LeadershipTerm, data: dict, actor, expected_version: str | None = None
) -> LeadershipTerm:
    """Correct a recorded term: wrong dates, title, end reason or source, and (data key
    `person_name`) a typo in its person's name, which every term of that person shows.

    Refuses, writing nothing: a term changed since `expected_version` was loaded
    (core.concurrency.StaleVersion), a last day before the first, an end reason without a last
    day, a second open term at the seat, an overlap with a neighbouring term at the seat, and a
    term that no longer covers the signing date of a compact it signed.
    """
    data = dict(data)
    person_name = _clean_name(data.pop("person_name", "")) if "person_name" in data else None
    if person_name == "":
        raise ValidationError({"person_name": "Give the person's name."})
    unknown = set(data) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"Term corrections cannot change {sorted(unknown)}.")
    try:
        with transaction.atomic(), recorded_as(actor):
            current = lock_current(term, expected_version)
            for name, value in data.items():
                setattr(current, name, value)
            # The seat's rules are checked below with messages naming the other term; the
            # database constraints back them up.
            current.full_clean(validate_constraints=False)
            errors = _term_errors(current)
            if errors:
                raise ValidationError(errors)
            person = current.person
            cities = seat_cities(current.organization_id, current.role)
            if person_name is not None and person_name != person.full_name:
                person.full_name = person_name
                person.full_clean()
                person.save()
                # The name shows at every seat the person held, not only this one.
                cities = person_cities(person.pk)
            current.save()
            cities_changed(cities)
    except IntegrityError:
        raise ValidationError(_SEAT_CHANGED) from None
    return current
