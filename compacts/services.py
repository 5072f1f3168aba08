"""Every write to a compact's records: create, update and delete of compacts, signatories,
participants, commitments, milestones, activities and grants.

Each service runs in one transaction, validates the whole record with full_clean() before
saving, and writes its history rows with the acting user (core.audit.recorded_as), also for the
rows a delete cascades to. Updates take the version token the edit form loaded and refuse a save
against a record that changed since (core.concurrency). Deletes refuse, naming them, when other
records depend on the target (core.deletion).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from compacts.changes import cities_of
from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus, ResponsibleParty
from compacts.models import (
    Activity,
    Commitment,
    Compact,
    Grant,
    Milestone,
    Participant,
    Signatory,
)
from core.audit import recorded_as
from core.changes import cities_changed
from core.concurrency import lock_current
from core.deletion import describe_dependents
from schools.choices import DatePrecision, role_in_sentence
from schools.models import LeadershipTerm

# Fields an update may change, per model. What a record belongs to (its compact, a milestone's
# commitment, a compact's city) is fixed at creation: moving it would carry its children into
# another city's scope.
COMPACT_FIELDS = (
    "title",
    "signed_on",
    "signed_on_precision",
    "cohort",
    "status",
    "ended_on",
    "document_url",
    "summary",
)
SIGNATORY_FIELDS = (
    "leadership_term",
    "reaffirmed_on",
    "reaffirmed_on_precision",
    "source_url",
)
PARTICIPANT_FIELDS = ("organization", "joined_on", "left_on")
COMMITMENT_FIELDS = (
    "category",
    "title",
    "description",
    "responsible_party",
    "target_on",
    "status",
    "achieved_on",
    "participants",
)
MILESTONE_FIELDS = ("title", "due_on", "status", "completed_on", "evidence_url", "notes")
ACTIVITY_FIELDS = (
    "commitment",
    "kind",
    "occurred_on",
    "title",
    "district_attendees",
    "charter_attendees",
    "notes",
)
GRANT_FIELDS = ("funder", "amount", "awarded_on", "months", "purpose")


def _changes(record: models.Model, data: dict, m2m_names: set[str]) -> bool:
    """Whether `data` differs from what `record` holds (a relation compared by id)."""
    for name, value in data.items():
        if name in m2m_names:
            linked = set(getattr(record, name).values_list("pk", flat=True))
            if linked != {getattr(item, "pk", item) for item in value}:
                return True
            continue
        field = record._meta.get_field(name)
        if field.is_relation:
            if getattr(record, field.attname) != getattr(value, "pk", value):
                return True
        elif getattr(record, name) != value:
            return True
    return False


def _set_links_quietly(record: models.Model, m2m: dict) -> None:
    """Set many-to-many links without the extra history version simple_history writes for
    each link change: one save is one version, links included."""
    record.skip_history_when_saving = True
    try:
        for name, values in m2m.items():
            getattr(record, name).set(values)
    finally:
        del record.skip_history_when_saving


def _save_new(record: models.Model, *, actor, m2m: dict | None = None) -> models.Model:
    with transaction.atomic(), recorded_as(actor):
        record.full_clean()
        record.save()
        if m2m:
            _set_links_quietly(record, m2m)
            _add_links_to_latest_version(record, m2m)
        cities_changed(cities_of(record))
    return record


def _add_links_to_latest_version(record: models.Model, m2m: dict) -> None:
    """The creation version was written before the record had links; give it the links."""
    version = record.history.order_by("-history_date", "-history_id").first()
    for name in m2m:
        field = record._meta.get_field(name)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        link_rows = field.remote_field.through.objects.filter(**{source: record})
        versioned = getattr(version, name).model
        versioned.objects.bulk_create(
            versioned(
                history=version,
                id=row.pk,
                **{f"{source}_id": record.pk, f"{target}_id": getattr(row, f"{target}_id")},
            )
            for row in link_rows
        )


def _update(
    record: models.Model,
    *,
    data: dict,
    allowed: tuple[str, ...],
    actor,
    expected_version: str | None,
    check=None,
) -> models.Model:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"{type(record).__name__} updates cannot change {sorted(unknown)}.")
    m2m_names = {f.name for f in record._meta.many_to_many}
    with transaction.atomic(), recorded_as(actor):
        current = lock_current(record, expected_version)
        if not _changes(current, data, m2m_names):
            # A save would write a history version and a new version token for nothing, and
            # a second editor's form would then be refused as stale.
            return current
        for name, value in data.items():
            if name not in m2m_names:
                setattr(current, name, value)
        if check is not None:
            check(current, data)
        current.full_clean()
        links = {name: data[name] for name in m2m_names & set(data)}
        if links:
            # Links first, so that the version the save writes holds them.
            _set_links_quietly(current, links)
        current.save()
        # What a record belongs to is fixed (see COMPACT_FIELDS), so its cities are the same
        # before and after.
        cities_changed(cities_of(current))
    return current


class DeletionRefused(Exception):
    """A delete refused because other records depend on the target (on_delete PROTECT or
    RESTRICT); nothing was deleted. The message names the dependants."""


def _delete(record: models.Model, *, actor) -> None:
    try:
        with transaction.atomic(), recorded_as(actor):
            record.delete()
            # What it belonged to outlives it (a delete cascades down, never up): its cities
            # are still found.
            cities_changed(cities_of(record))
    except (ProtectedError, RestrictedError):
        raise DeletionRefused(describe_dependents(record).refusal_message(record)) from None


# --- compacts ---


def compact_create(
    *,
    city,
    title: str,
    signed_on: datetime.date,
    signed_on_precision: str = DatePrecision.DAY,
    cohort: str = "",
    status: str = CompactStatus.ACTIVE,
    ended_on: datetime.date | None = None,
    document_url: str = "",
    summary: str = "",
    actor,
) -> Compact:
    """Record a new compact in a city."""
    compact = Compact(
        city=city,
        title=title,
        signed_on=signed_on,
        signed_on_precision=signed_on_precision,
        cohort=cohort,
        status=status,
        ended_on=ended_on,
        document_url=document_url,
        summary=summary,
    )
    return _save_new(compact, actor=actor)


def compact_update(*, compact: Compact, data: dict, actor, expected_version=None) -> Compact:
    """Change a compact's own fields (not its city)."""
    return _update(
        compact,
        data=data,
        allowed=COMPACT_FIELDS,
        actor=actor,
        expected_version=expected_version,
    )


def compact_delete(*, compact: Compact, actor) -> None:
    """Delete a compact with everything recorded under it."""
    _delete(compact, actor=actor)


# --- signatories ---


def signatory_create(*, compact: Compact, leadership_term, actor) -> Signatory:
    """Record that the holder of a leadership term signed the compact."""
    return _save_new(Signatory(compact=compact, leadership_term=leadership_term), actor=actor)


def seat_holder_term(*, organization_id: int, role: str, today: datetime.date | None = None):
    """The open term at a seat (organization, role) today: the one that started latest by today,
    else the first to start; None when the seat is vacant."""
    today = today or timezone.localdate()
    open_terms = LeadershipTerm.objects.filter(organization_id=organization_id, role=role).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    return (
        open_terms.filter(started_on__lte=today).order_by("-started_on", "-id").first()
        or open_terms.order_by("started_on", "id").first()
    )


def signatory_reaffirm(
    *,
    signatory: Signatory,
    reaffirmed_on: datetime.date,
    reaffirmed_on_precision: str = DatePrecision.DAY,
    source_url: str = "",
    actor,
) -> Signatory:
    """Record that whoever holds the seat of `signatory` now publicly recommitted to its compact:
    a signatory row for the holder's term with `reaffirmed_on`. Refused when the seat is vacant,
    or when its holder already signed or re-affirmed the compact."""
    seat = signatory.leadership_term
    with transaction.atomic():
        # Lock the seat's terms so that a concurrent leadership change cannot swap the holder
        # between the look-up and the insert.
        list(
            LeadershipTerm.objects.select_for_update()
            .filter(organization_id=seat.organization_id, role=seat.role)
            .values_list("pk", flat=True)
        )
        holder = seat_holder_term(organization_id=seat.organization_id, role=seat.role)
        if holder is None:
            raise ValidationError(
                f"Nobody is recorded in post as {role_in_sentence(seat.role)} of "
                f"{seat.organization}: record who holds the seat with a leadership change first."
            )
        signed = Signatory.objects.filter(compact_id=signatory.compact_id, leadership_term=holder)
        if signed.exists():
            raise ValidationError(
                f"{holder.person} already signed or re-affirmed {signatory.compact.title}."
            )
        reaffirmation = Signatory(
            compact_id=signatory.compact_id,
            leadership_term=holder,
            reaffirmed_on=reaffirmed_on,
            reaffirmed_on_precision=reaffirmed_on_precision,
            source_url=source_url,
        )
        reaffirmation.compact = signatory.compact
        return _save_new(reaffirmation, actor=actor)


def signatory_update(
    *, signatory: Signatory, data: dict, actor, expected_version=None
) -> Signatory:
    """Point a signatory at another leadership term (a correction)."""
    return _update(
        signatory,
        data=data,
        allowed=SIGNATORY_FIELDS,
        actor=actor,
        expected_version=expected_version,
    )


def signatory_delete(*, signatory: Signatory, actor) -> None:
    """Remove a signatory from a compact (the leadership term stays)."""
    _delete(signatory, actor=actor)


# --- participants ---


def participant_create(
    *,
    compact: Compact,
    organization,
    joined_on: datetime.date,
    left_on: datetime.date | None = None,
    actor,
) -> Participant:
    """Record a district, charter school or network taking part in a compact."""
    participant = Participant(
        compact=compact, organization=organization, joined_on=joined_on, left_on=left_on
    )
    return _save_new(participant, actor=actor)


def participant_update(
    *, participant: Participant, data: dict, actor, expected_version=None
) -> Participant:
    """Change a participant's organization or its dates."""
    return _update(
        participant,
        data=data,
        allowed=PARTICIPANT_FIELDS,
        actor=actor,
        expected_version=expected_version,
    )


def participant_delete(*, participant: Participant, actor) -> None:
    """Delete a participant; opt-in commitments simply lose it."""
    _delete(participant, actor=actor)


# --- commitments ---


def _check_participants_of_compact(compact_id: int, participants: Iterable[Participant]) -> None:
    strangers = [p for p in participants if p.compact_id != compact_id]
    if strangers:
        raise ValidationError(
            {"participants": f"Choose participants of this compact: {strangers[0]} is not one."}
        )


def commitment_create(
    *,
    compact: Compact,
    category: str,
    title: str,
    description: str = "",
    responsible_party: str = ResponsibleParty.SHARED,
    target_on: datetime.date | None = None,
    status: str = CommitmentStatus.NOT_STARTED,
    achieved_on: datetime.date | None = None,
    participants: Iterable[Participant] = (),
    actor,
) -> Commitment:
    """Record something the compact's parties promised; `participants` makes it opt-in."""
    participants = list(participants)
    _check_participants_of_compact(compact.pk, participants)
    commitment = Commitment(
        compact=compact,
        category=category,
        title=title,
        description=description,
        responsible_party=responsible_party,
        target_on=target_on,
        status=status,
        achieved_on=achieved_on,
    )
    return _save_new(commitment, actor=actor, m2m={"participants": participants})


def commitment_update(
    *, commitment: Commitment, data: dict, actor, expected_version=None
) -> Commitment:
    """Change a commitment: its status, dates, wording or opt-in participants."""

    def check(current, data):
        if "participants" in data:
            _check_participants_of_compact(current.compact_id, data["participants"])

    return _update(
        commitment,
        data=data,
        allowed=COMMITMENT_FIELDS,
        actor=actor,
        expected_version=expected_version,
        check=check,
    )


def commitment_delete(*, commitment: Commitment, actor) -> None:
    """Delete a commitment with its milestones; its activities stay, unlinked."""
    _delete(commitment, actor=actor)


# --- milestones ---


def milestone_create(
    *,
    commitment: Commitment,
    title: str,
    due_on: datetime.date,
    status: str = MilestoneStatus.PLANNED,
    completed_on: datetime.date | None = None,
    evidence_url: str = "",
    notes: str = "",
    actor,
) -> Milestone:
    """Add a dated step to a commitment."""
    milestone = Milestone(
        commitment=commitment,
        title=title,
        due_on=due_on,
        status=status,
        completed_on=completed_on,
        evidence_url=evidence_url,
        notes=notes,
    )
    return _save_new(milestone, actor=actor)


def milestone_update(
    *, milestone: Milestone, data: dict, actor, expected_version=None
) -> Milestone:
    """Change a milestone's wording, due date, status or completion."""
    return _update(
        milestone,
        data=data,
        allowed=MILESTONE_FIELDS,
        actor=actor,
        expected_version=expected_version,
    )


def milestone_mark_done(
    *,
    milestone: Milestone,
    completed_on: datetime.date,
    evidence_url: str,
    actor,
    expected_version: str | None = None,
) -> Milestone:
    """Mark a milestone done on a date, with the link that shows it."""
    return milestone_update(
        milestone=milestone,
        data={
            "status": MilestoneStatus.DONE,
            "completed_on": completed_on,
            "evidence_url": evidence_url,
        },
        actor=actor,
        expected_version=expected_version,
    )


def milestone_delete(*, milestone: Milestone, actor) -> None:
    """Delete a milestone."""
    _delete(milestone, actor=actor)


# --- activities ---


def activity_create(
    *,
    compact: Compact,
    kind: str,
    occurred_on: datetime.date,
    title: str,
    commitment: Commitment | None = None,
    district_attendees: int = 0,
    charter_attendees: int = 0,
    notes: str = "",
    actor,
) -> Activity:
    """Log something the compact's parties did together, with attendance by sector."""
    activity = Activity(
        compact=compact,
        commitment=commitment,
        kind=kind,
        occurred_on=occurred_on,
        title=title,
        district_attendees=district_attendees,
        charter_attendees=charter_attendees,
        notes=notes,
    )
    return _save_new(activity, actor=actor)


def activity_update(*, activity: Activity, data: dict, actor, expected_version=None) -> Activity:
    """Change a logged activity."""
    return _update(
        activity,
        data=data,
        allowed=ACTIVITY_FIELDS,
        actor=actor,
        expected_version=expected_version,
    )


def activity_delete(*, activity: Activity, actor) -> None:
    """Delete a logged activity."""
    _delete(activity, actor=actor)


# --- grants ---


def grant_create(
    *,
    compact: Compact,
    funder,
    amount: Decimal,
    awarded_on: datetime.date,
    months: int | None = None,
    purpose: str = "",
    actor,
) -> Grant:
    """Record money a funder gave to support the compact."""
    grant = Grant(
        compact=compact,
        funder=funder,
        amount=amount,
        awarded_on=awarded_on,
        months=months,
        purpose=purpose,
    )
    return _save_new(grant, actor=actor)


def grant_update(*, grant: Grant, data: dict, actor, expected_version=None) -> Grant:
    """Change a grant."""
    return _update(
        grant,
        data=data,
        allowed=GRANT_FIELDS,
        actor=actor,
        expected_version=expected_version,
    )


def grant_delete(*, grant: Grant, actor) -> None:
    """Delete a grant."""
    _delete(grant, actor=actor)
