"""What deleting a record would take with it, and what stops it: the words of every delete
confirmation page (in the app and in the admin), and the delete that refuses with them.

`describe_dependents(obj)` answers with Django's Collector, so it says exactly what
`obj.delete()` would do. `deletion_plan(obj)` shapes that for a confirmation page and
`delete_or_refuse(obj)` deletes or raises DeletionRefused naming what depends on the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

# How many blocking records a message names before it says "and N more".
NAMED_BLOCKERS = 5


def _count_text(model: type[models.Model], number: int) -> str:
    name = model._meta.verbose_name if number == 1 else model._meta.verbose_name_plural
    return f"{number} {name}"


@dataclass
class Dependents:
    """The consequences of deleting one record.

    cascade: records deleted with it, per model ("3 milestones").
    unlinked: records that stay but lose their link to it (on_delete SET_NULL), per model.
    blockers: records that forbid the deletion (on_delete PROTECT / RESTRICT), per model.
    """

    cascade: dict[type[models.Model], int] = field(default_factory=dict)
    unlinked: dict[type[models.Model], int] = field(default_factory=dict)
    blockers: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    @property
    def is_blocked(self) -> bool:
        return bool(self.blockers)

    @property
    def cascade_items(self) -> list[str]:
        return [_count_text(model, n) for model, n in self.cascade.items()]

    @property
    def unlinked_items(self) -> list[str]:
        return [_count_text(model, n) for model, n in self.unlinked.items()]

    @property
    def cascade_text(self) -> str:
        """ "3 milestones, 1 activity", or "" when nothing else is deleted."""
        return ", ".join(self.cascade_items)

    @property
    def unlinked_text(self) -> str:
        return ", ".join(self.unlinked_items)

    @property
    def blockers_text(self) -> str:
        """ "2 signatories (Ana Ruiz signed ..., ...)": what must go before this record can."""
        parts = []
        for model, objects in self.blockers.items():
            names = [str(obj) for obj in objects[:NAMED_BLOCKERS]]
            if len(objects) > NAMED_BLOCKERS:
                names.append(f"and {len(objects) - NAMED_BLOCKERS} more")
            parts.append(f"{_count_text(model, len(objects))} ({', '.join(names)})")
        return "; ".join(parts)

    def refusal_message(self, obj) -> str:
        """The message of a refused deletion, naming what depends on the record."""
        single = sum(len(objects) for objects in self.blockers.values()) == 1
        return (
            f"{obj._meta.verbose_name.capitalize()} “{obj}” cannot be deleted: "
            f"{self.blockers_text} {'depends' if single else 'depend'} on it. "
            "Delete or change those first."
        )

    def confirmation_message(self, obj) -> str:
        """What the confirmation page says will happen."""
        text = f"Deleting {obj._meta.verbose_name} “{obj}”"
        if self.cascade:
            text += f" also deletes {self.cascade_text}"
        if self.unlinked:
            text += f"{',' if self.cascade else ''} and unlinks {self.unlinked_text}"
        return text + "."


def _is_same_record(obj, model: type[models.Model], instance) -> bool:
    """The parent rows of a multi-table child are the record itself, not a dependent."""
    return instance.pk == obj.pk and (model is type(obj) or model in obj._meta.get_parent_list())


def _add_blockers(dependents: Dependents, blocking) -> None:
    for blocker in blocking:
        model = type(blocker)._meta.concrete_model
        dependents.blockers.setdefault(model, []).append(blocker)


def describe_dependents(obj: models.Model) -> Dependents:
    """What deleting `obj` would delete, unlink and be blocked by, using Django's Collector,
    so the answer is exactly what `obj.delete()` would do."""
    using = router.db_for_write(type(obj), instance=obj) or DEFAULT_DB_ALIAS
    dependents = Dependents()
    collector = Collector(using=using, origin=obj)
    try:
        collector.collect([obj])
    except ProtectedError as error:
        _add_blockers(dependents, error.protected_objects)
    except RestrictedError as error:
        _add_blockers(dependents, error.restricted_objects)
    if dependents.blockers:
        for objects in dependents.blockers.values():
            objects.sort(key=str)
        return dependents
    for model, instances in collector.data.items():
        count = sum(1 for instance in instances if not _is_same_record(obj, model, instance))
        if count and not model._meta.auto_created:
            dependents.cascade[model] = dependents.cascade.get(model, 0) + count
    for queryset in collector.fast_deletes:
        model = queryset.model
        if model._meta.auto_created:
            continue
        count = queryset.count()
        if count:
            dependents.cascade[model] = dependents.cascade.get(model, 0) + count
    for (field_, _value), batches in collector.field_updates.items():
        model = field_.model._meta.concrete_model
        count = sum(
            batch.count() if isinstance(batch, models.QuerySet) else len(batch) for batch in batches
        )
        if count:
            dependents.unlinked[model] = dependents.unlinked.get(model, 0) + count
    return dependents


class DeletionRefused(Exception):
    """A deletion other records forbid; the message names them."""


@dataclass(frozen=True)
class DeletionPlan:
    """What a delete confirmation page shows: blocked (and why), or what goes and what stays."""

    blocked: bool
    blocked_message: str
    cascades: list[str]
    unlinks: list[str]


def deletion_plan(obj: models.Model) -> DeletionPlan:
    """describe_dependents(obj), in the words of a confirmation page."""
    dependents = describe_dependents(obj)
    return DeletionPlan(
        blocked=dependents.is_blocked,
        blocked_message=dependents.refusal_message(obj) if dependents.is_blocked else "",
        cascades=dependents.cascade_items,
        unlinks=dependents.unlinked_items,
    )


def delete_or_refuse(obj: models.Model) -> None:
    """Delete `obj` with what cascades from it, or raise DeletionRefused naming the records that
    protect it. Nothing is deleted when refused: Django collects every protected relation before
    it deletes anything, and the savepoint covers the rest."""
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as error:
        raise DeletionRefused(describe_dependents(obj).refusal_message(obj)) from error
