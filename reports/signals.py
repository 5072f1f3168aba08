"""Invalidate cached figures on every ORM write to the records they count.

Each domain model maps a saved or deleted instance to the cities whose figures it can change. The
cities are invalidated at once, and again when the surrounding transaction commits: the first
keeps a page read inside the same transaction honest, the second covers a page that another
request cached from the data as it stood before the commit.

Bulk writes that bypass signals must call reports.cache.invalidate_cities / invalidate_all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from compacts.models import Activity, Commitment, Compact, Grant, Milestone, Participant, Signatory
from core.changes import city_changed
from reports.cache import invalidate_all, invalidate_cities
from schools.models import (
    CharterNetwork,
    CharterSchool,
    City,
    District,
    LeadershipTerm,
    Organization,
    Person,
)

_LOADED = "_reports_loaded"


def _city_through(instance, path: tuple[str, ...]) -> int | None:
    """The city id at the end of a chain of foreign keys ("commitment", "compact"), following
    relations already loaded and asking the database for the rest in one query."""
    obj = instance
    for index, name in enumerate(path):
        field = obj._meta.get_field(name)
        if field.is_cached(obj):
            obj = getattr(obj, name)
            if obj is None:
                return None
            continue
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        lookup = "__".join([*path[index + 1 :], "city_id"])
        return (
            field.related_model._base_manager.filter(pk=related_id)
            .values_list(lookup, flat=True)
            .first()
        )
    return obj.city_id


def _cities_signed_at_seats(seats: Iterable[tuple[int, str]]) -> set[int]:
    """Cities of compacts with a signatory in one of these (organization, role) seats."""
    from django.db.models import Q

    condition = Q()
    for organization_id, role in seats:
        condition |= Q(
            signatories__leadership_term__organization_id=organization_id,
            signatories__leadership_term__role=role,
        )
    if not condition:
        return set()
    return set(Compact.objects.filter(condition).values_list("city_id", flat=True).distinct())


def _compact_cities(instance) -> set:
    return {instance.city_id, getattr(instance, _LOADED, None)}


def _via_compact(instance) -> set:
    return {_city_through(instance, ("compact",))}


def _signatory_cities(instance) -> set:
    # A seat of no city (a network's CEO) can sign compacts in several cities; a signature or
    # re-affirmation changes what each of their dashboards says about that seat.
    seats = LeadershipTerm._base_manager.filter(pk=instance.leadership_term_id).values_list(
        "organization_id", "role"
    )
    return _via_compact(instance) | _cities_signed_at_seats(seats)


def _milestone_cities(instance) -> set:
    return {_city_through(instance, ("commitment", "compact"))}


def _term_cities(instance) -> set:
    seats = {(instance.organization_id, instance.role)}
    loaded = getattr(instance, _LOADED, None)
    if loaded:
        seats.add(loaded)
    return _cities_signed_at_seats(seats)


def _organization_cities(instance) -> set:
    cities = {instance.city_id, getattr(instance, _LOADED, None)}
    if instance.city_id is None:
        # An organization of no city (a network, a state agency) can hold seats that signed
        # compacts in several cities; its name is shown on their dashboards.
        cities |= set(
            Compact.objects.filter(signatories__leadership_term__organization_id=instance.pk)
            .values_list("city_id", flat=True)
            .distinct()
        )
    return cities


def _person_cities(instance) -> set:
    seats = LeadershipTerm.objects.filter(person_id=instance.pk).values_list(
        "organization_id", "role"
    )
    return _cities_signed_at_seats(seats)


RESOLVERS: dict[type, Callable[[object], set]] = {
    City: lambda instance: {instance.pk},
    Compact: _compact_cities,
    Signatory: _signatory_cities,
    Participant: _via_compact,
    Commitment: _via_compact,
    Activity: _via_compact,
    Grant: _via_compact,
    Milestone: _milestone_cities,
    LeadershipTerm: _term_cities,
    Organization: _organization_cities,
    District: _organization_cities,
    CharterSchool: _organization_cities,
    CharterNetwork: _organization_cities,
    Person: _person_cities,
}

# What was stored when the instance was loaded, so that a move (a compact to another city, a
# term to another seat) invalidates where it was as well as where it is.
LOADED_STATE: dict[type, Callable[[object], object]] = {
    Compact: lambda instance: instance.__dict__.get("city_id"),
    Organization: lambda instance: instance.__dict__.get("city_id"),
    District: lambda instance: instance.__dict__.get("city_id"),
    CharterSchool: lambda instance: instance.__dict__.get("city_id"),
    CharterNetwork: lambda instance: instance.__dict__.get("city_id"),
    LeadershipTerm: lambda instance: (
        instance.__dict__.get("organization_id"),
        instance.__dict__.get("role"),
    ),
}


class _InvalidateOnCommit:
    """One on-commit callback per transaction, collecting the cities of all its writes."""

    def __init__(self):
        self.city_ids: set[int] = set()

    def __call__(self):
        invalidate_cities(self.city_ids)


def _invalidate(city_ids: set) -> None:
    city_ids = {city_id for city_id in city_ids if city_id is not None}
    if not city_ids:
        return
    invalidate_cities(city_ids)
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        return
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _InvalidateOnCommit):
            callback.city_ids |= city_ids
            return
    callback = _InvalidateOnCommit()
    callback.city_ids |= city_ids
    transaction.on_commit(callback)


def _on_write(sender, instance, raw=False, created=False, **kwargs):
    if raw:  # loaddata: fixtures are loaded as they are; the loader invalidates once.
        return
    if sender is Person and created:  # a new person holds no seat yet
        return
    _invalidate(RESOLVERS[sender](instance))
    if sender in LOADED_STATE:
        _on_load(sender, instance)


def _on_load(sender, instance, **kwargs):
    setattr(instance, _LOADED, LOADED_STATE[sender](instance))


def _on_opt_in_change(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _invalidate(_via_compact(instance))


def _on_city_changed(sender, city_ids, **kwargs):
    if city_ids is None:
        invalidate_all()
    else:
        invalidate_cities(city_ids)


def connect() -> None:
    city_changed.connect(_on_city_changed, dispatch_uid="reports-city-changed")
    for model in RESOLVERS:
        post_save.connect(_on_write, sender=model, dispatch_uid=f"reports-save-{model.__name__}")
        post_delete.connect(
            _on_write, sender=model, dispatch_uid=f"reports-delete-{model.__name__}"
        )
    for model in LOADED_STATE:
        post_init.connect(_on_load, sender=model, dispatch_uid=f"reports-load-{model.__name__}")
    m2m_changed.connect(
        _on_opt_in_change,
        sender=Commitment.participants.through,
        dispatch_uid="reports-opt-in",
    )
