"""Undo from history: restore a deleted record, or revert a record to an earlier version.

Both write through the models (full_clean, then save), so the usual history row is recorded with
the acting user and a change reason ("Restored", "Reverted to version of ..."), in the same
transaction as the change itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.deletion import CASCADE, SET_NULL

from accounts.scope import unchoosable_link
from core.changes import cities_changed
from core.formats import datetime_text
from history.records import (
    REGISTRY,
    FieldChange,
    Labels,
    RecordState,
    Tracked,
    compare_values,
    diff_fields,
    format_value,
    tracked_for,
    version_instance,
)

RESTORED = "Restored"

# Records deleted by one cascade share the author and are written within this window of the
# deletion of the record they depended on.
CASCADE_WINDOW = datetime.timedelta(seconds=2)

_ORDER = {tracked.model: index for index, tracked in enumerate(REGISTRY)}


class UndoRefused(Exception):
    """The undo cannot be done; the message says why, in words a user can act on."""


@dataclass
class UndoOutcome:
    """What an undo did: the records it wrote, and what it could not bring back."""

    restored: list[str] = field(default_factory=list)
    not_restored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _join(self.restored)

    def not_restored_text(self) -> str:
        """ "Not everything could be restored. Signatory ... was deleted. ..." or ""."""
        if not self.not_restored:
            return ""
        sentences = [_sentence(item) for item in self.not_restored]
        return "Not everything could be restored. " + " ".join(sentences)

    def notes_text(self) -> str:
        return " ".join(_sentence(note) for note in self.notes)


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def reverted_reason(version) -> str:
    when = datetime_text(version.history_date)
    return f"Reverted to version of {when}"


def _plain_label(tracked: Tracked, instance) -> str:
    labels = Labels()
    labels.want(tracked.model, instance.pk)
    labels.load()
    return labels.get(tracked.model, instance.pk).removesuffix(" (deleted)")


def _count(tracked: Tracked, number: int) -> str:
    name = tracked.verbose_name if number == 1 else tracked.verbose_name_plural
    return f"{number} {name}"


def _missing_parents(instance) -> list[tuple[models.ForeignKey, object]]:
    """The foreign keys of `instance` whose target record no longer exists."""
    missing = []
    for f in instance._meta.concrete_fields:
        if not f.is_relation or getattr(f.remote_field, "parent_link", False):
            continue
        value = getattr(instance, f.attname)
        if value is None:
            continue
        if not f.related_model._default_manager.filter(pk=value).exists():
            missing.append((f, value))
    return missing


def _gone(f, value) -> str:
    """ "commitment “Shared buses”": a related record that no longer exists, by its last name."""
    return f"{f.verbose_name} “{format_value(f, value).removesuffix(' (deleted)')}”"


def _validation_text(error: ValidationError) -> str:
    return " ".join(message for message in error.messages)


def _unchoosable(instance, user) -> str | None:
    """Why `user` may not give `instance` the seat or organization it links
    (accounts.scope.unchoosable_link), or None."""
    name = unchoosable_link(user, instance)
    if name is None:
        return None
    f = instance._meta.get_field(name)
    return (
        f"its {_gone(f, getattr(instance, f.attname))} belongs only to other cities' compacts now; "
        "an administrator may link it to this compact."
    )


def _check(instance, actor) -> None:
    """What a form would check before saving the record as `actor`: the model's rules, and
    that the actor may choose what it links. Restore and revert both pass here."""
    instance.full_clean()
    reason = _unchoosable(instance, actor)
    if reason is not None:
        raise ValidationError(reason)


def _restore_refusal(tracked: Tracked, label: str, reason: str) -> str:
    return f"{tracked.verbose_name.capitalize()} “{label}” cannot be restored: {reason}"


def _recreate(tracked: Tracked, row, actor, outcome: UndoOutcome, *, reason: str) -> models.Model:
    """Insert the record of a historical row again, under its old primary key.

    Raises UndoRefused when a required parent is gone or the record no longer validates.
    """
    instance = version_instance(row)
    instance._state.adding = True
    label = _plain_label(tracked, instance)
    for f, value in _missing_parents(instance):
        if not f.null:
            raise UndoRefused(
                f"{tracked.verbose_name.capitalize()} “{label}” cannot be restored: its "
                f"{_gone(f, value)} was deleted. Restore that first."
            )
        setattr(instance, f.attname, None)
        outcome.not_restored.append(
            f"the link of {tracked.verbose_name} “{label}” to {_gone(f, value)}, which was deleted"
        )
    try:
        _check(instance, actor)
    except ValidationError as error:
        raise UndoRefused(_restore_refusal(tracked, label, _validation_text(error))) from error
    instance._history_user = actor
    instance._change_reason = reason
    instance.save()
    _restore_links(tracked, row, instance, outcome)
    return instance


def _restore_links(tracked: Tracked, row, instance, outcome: UndoOutcome) -> None:
    """Set the many-to-many links the history keeps (a commitment's opt-in participants) as they
    were before the deletion; links to records deleted since are named in the outcome.

    The deletion's own version holds no links (the cascade removed them first), so they come
    from the version before it.
    """
    source = row.prev_record if row.history_type == "-" and row.prev_record else row
    for m2m_field in tracked.history_model._history_m2m_fields:
        target = m2m_field.m2m_reverse_field_name()
        wanted = set(getattr(source, m2m_field.name).values_list(f"{target}_id", flat=True))
        if not wanted:
            continue
        existing = set(
            m2m_field.related_model._default_manager.filter(pk__in=wanted).values_list(
                "pk", flat=True
            )
        )
        getattr(instance, m2m_field.name).set(existing)
        if len(wanted - existing):
            outcome.not_restored.append(
                f"{len(wanted - existing)} of the {m2m_field.verbose_name} of "
                f"{tracked.verbose_name} “{_plain_label(tracked, instance)}”, deleted since"
            )


def _cascade_rows(tracked: Tracked, row) -> list[tuple[Tracked, object]]:
    """The records deleted by the same cascade as `row`, children and grandchildren, whose
    latest version is that deletion (so nobody re-created them since)."""
    found: list[tuple[Tracked, object]] = []
    pk = getattr(row, tracked.pk_name)
    for relation in tracked.model._meta.related_objects:
        child = tracked_for(relation.related_model)
        if (
            child is None
            or getattr(relation, "on_delete", None) is not CASCADE
            or relation.parent_link
        ):
            continue
        deletions = child.history_model.objects.filter(
            **{relation.field.attname: pk},
            history_type="-",
            history_user_id=row.history_user_id,
            history_date__gte=row.history_date - CASCADE_WINDOW,
            history_date__lte=row.history_date + CASCADE_WINDOW,
        ).order_by("history_date", "history_id")
        for deletion in deletions:
            child_pk = getattr(deletion, child.pk_name)
            if child.model._default_manager.filter(pk=child_pk).exists():
                continue
            latest = (
                child.history_model.objects.filter(**{child.pk_name: child_pk})
                .order_by("-history_date", "-history_id")
                .first()
            )
            if latest.history_id != deletion.history_id:
                continue
            found.append((child, deletion))
            found.extend(_cascade_rows(child, deletion))
    return found


def _unlinked_children(tracked: Tracked, pk) -> list[tuple[models.ForeignKey, models.Model]]:
    """Live records whose link to this record was cleared (SET_NULL) when it was deleted.

    A SET_NULL is an UPDATE without signals, so their latest version still shows the link.
    """
    found = []
    for relation in tracked.model._meta.related_objects:
        child = tracked_for(relation.related_model)
        if child is None or getattr(relation, "on_delete", None) is not SET_NULL:
            continue
        fk = relation.field
        linked_before = child.history_model.objects.filter(**{fk.attname: pk}).values(child.pk_name)
        candidates = child.model._default_manager.filter(
            **{f"{fk.attname}__isnull": True, "pk__in": linked_before}
        )
        for candidate in candidates:
            latest = candidate.history.order_by("-history_date", "-history_id").first()
            if latest is not None and getattr(latest, fk.attname) == pk:
                found.append((fk, candidate))
    return found


@dataclass
class RestorePlan:
    """What a restore would write: the record, what was deleted with it, links to re-make."""

    tracked: Tracked
    row: object
    cascade: list[tuple[Tracked, object]]
    relinks: list[tuple[models.ForeignKey, models.Model]]
    blockers: list[str]
    unrecorded: list[str]

    def cascade_counts(self) -> list[str]:
        counts: dict[Tracked, int] = {}
        for child, _row in self.cascade:
            counts[child] = counts.get(child, 0) + 1
        return [_count(child, n) for child, n in sorted(counts.items(), key=_registry_order)]

    def relink_counts(self) -> list[str]:
        counts: dict[Tracked, int] = {}
        for _fk, obj in self.relinks:
            child = tracked_for(obj)
            counts[child] = counts.get(child, 0) + 1
        return [_count(child, n) for child, n in sorted(counts.items(), key=_registry_order)]


def _registry_order(item) -> int:
    return _ORDER[item[0].model]


def restore_plan(state: RecordState, user) -> RestorePlan:
    """Read-only preview of a restore by `user`, for the confirmation page."""
    if state.exists:
        raise UndoRefused(f"This {state.tracked.verbose_name} exists; there is nothing to restore.")
    tracked, row = state.tracked, state.latest
    instance = version_instance(row)
    blockers = [
        f"its {_gone(f, value)} was deleted"
        for f, value in _missing_parents(instance)
        if not f.null
    ]
    unchoosable = None if blockers else _unchoosable(instance, user)
    if unchoosable is not None:
        raise UndoRefused(_restore_refusal(tracked, _plain_label(tracked, instance), unchoosable))
    cascade = _cascade_rows(tracked, row)
    return RestorePlan(
        tracked,
        row,
        cascade,
        _unlinked_children(tracked, state.pk),
        blockers,
        _unrecorded_links([tracked, *(child for child, _row in cascade)]),
    )


def _unrecorded_links(trackeds: list[Tracked]) -> list[str]:
    """The many-to-many links of these kinds of record that their history does not keep (a
    commitment's opt-in participants), so that a restore can say they need setting again."""
    notes = []
    for tracked in dict.fromkeys(trackeds):
        kept = {f.name for f in tracked.history_model._history_m2m_fields}
        notes.extend(
            f"the history does not keep the {f.verbose_name} of {tracked.verbose_name_plural}: "
            f"set them again on the restored {tracked.verbose_name_plural} if there were any"
            for f in tracked.model._meta.many_to_many
            if f.name not in kept
        )
    return notes


def record_restore(*, state: RecordState, actor) -> UndoOutcome:
    """Re-create a deleted record from its last version, with the records deleted in the same
    cascade (a commitment's milestones), and re-link records whose link to it was cleared.

    All or nothing for the record itself: a required parent that is gone or a rule the record
    now breaks refuses the whole restore. A dependent that cannot come back is left out and
    named in the outcome.
    """
    with transaction.atomic():
        plan = restore_plan(state, actor)
        outcome = UndoOutcome()
        restored = _recreate(plan.tracked, plan.row, actor, outcome, reason=RESTORED)
        outcome.restored.append(
            f"{plan.tracked.verbose_name} “{_plain_label(plan.tracked, restored)}”"
        )
        counts: dict[Tracked, int] = {}
        for child, row in sorted(plan.cascade, key=lambda item: _ORDER[item[0].model]):
            try:
                with transaction.atomic():
                    _recreate(child, row, actor, outcome, reason=RESTORED)
            except UndoRefused as refusal:
                outcome.not_restored.append(str(refusal))
                continue
            counts[child] = counts.get(child, 0) + 1
        for fk, obj in plan.relinks:
            setattr(obj, fk.attname, state.pk)
            obj._history_user = actor
            obj._change_reason = RESTORED
            obj.save(update_fields=[fk.attname, "updated_at"])
        outcome.restored.extend(
            _count(child, n) for child, n in sorted(counts.items(), key=_registry_order)
        )
        outcome.restored.extend(f"the link of {n}" for n in plan.relink_counts())
        outcome.notes.extend(plan.unrecorded)
        # A restore brings back records, links and cascades of any model: every city's figures.
        cities_changed(None)
        return outcome


def revert_changes(state: RecordState, version) -> list[FieldChange]:
    """What reverting to `version` would change, field by field, from the current record."""
    if state.live is None:
        return []
    return compare_values(state.tracked, state.live, version)


def _revert_onto(tracked: Tracked, obj, version, actor, outcome: UndoOutcome) -> None:
    """Give `obj` the values of `version`, checked as a form would check them (_check), without
    saving it. Raises UndoRefused naming what stops it."""
    changed = False
    for f in diff_fields(tracked):
        value = getattr(version, f.attname)
        if (
            f.is_relation
            and value is not None
            and not f.related_model._default_manager.filter(pk=value).exists()
        ):
            if not f.null:
                raise UndoRefused(
                    f"This version cannot be restored: its {_gone(f, value)} was deleted."
                )
            outcome.not_restored.append(f"its link to {_gone(f, value)}, which was deleted")
            value = None
        if getattr(obj, f.attname) != value:
            setattr(obj, f.attname, value)
            changed = True
    if not changed:
        raise UndoRefused("The record already has the values of that version.")
    try:
        _check(obj, actor)
    except ValidationError as error:
        raise UndoRefused(f"This version cannot be restored: {_validation_text(error)}") from error


def revert_refusal(*, state: RecordState, version, user) -> str | None:
    """Why reverting to `version` would be refused to `user`, for the confirmation page; None
    when it would be done. Writes nothing."""
    if state.live is None:
        return f"This {state.tracked.verbose_name} was deleted; restore it instead."
    obj = state.tracked.model._default_manager.get(pk=state.pk)
    try:
        _revert_onto(state.tracked, obj, version, user, UndoOutcome())
    except UndoRefused as refusal:
        return str(refusal)
    return None


def record_revert(*, state: RecordState, version, actor) -> UndoOutcome:
    """Give a live record the values of one of its earlier versions.

    Refused when the record was deleted (restore it instead), when the version already matches,
    when a required related record of that version is gone, when the values no longer
    validate, or when the actor may not choose the seat or organization it names.
    """
    tracked = state.tracked
    with transaction.atomic():
        if state.live is None:
            raise UndoRefused(f"This {tracked.verbose_name} was deleted; restore it instead.")
        obj = tracked.model._default_manager.select_for_update().get(pk=state.pk)
        outcome = UndoOutcome()
        _revert_onto(tracked, obj, version, actor, outcome)
        obj._history_user = actor
        obj._change_reason = reverted_reason(version)
        obj.save()
        # A revert may move the record (another city, another seat): every city's figures.
        cities_changed(None)
        outcome.restored.append(f"{tracked.verbose_name} “{_plain_label(tracked, obj)}”")
        return outcome
