"""Which cities' figures a compact's record touches, for core.changes.

The services and the admin announce their writes with `cities_changed(cities_of(record))`;
reports subscribe to core.changes and know nothing of these models. Only the compacts app knows
that a signature at a seat of no city (a network's CEO) appears on the dashboards of every city
whose compacts that seat signed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from compacts.models import Activity, Commitment, Compact, Grant, Milestone, Participant, Signatory


def _city_through(record, path: tuple[str, ...]) -> int | None:
    """The city id at the end of a chain of foreign keys ("commitment", "compact"), following
    relations already loaded and asking the database for the rest in one query."""
    obj = record
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


def cities_signed_at_seats(seats: Iterable[tuple[int, str]]) -> set[int]:
    """Cities of compacts with a signatory in one of these (organization id, role) seats."""
    condition = Q()
    for organization_id, role in seats:
        condition |= Q(
            signatories__leadership_term__organization_id=organization_id,
            signatories__leadership_term__role=role,
        )
    if not condition:
        return set()
    return set(Compact.objects.filter(condition).values_list("city_id", flat=True).distinct())


def cities_of_organization(organization_id: int) -> set[int]:
    """Cities whose compacts a seat of this organization signed: where an organization of no
    city (a network, a state agency) is named on dashboards."""
    return set(
        Compact.objects.filter(signatories__leadership_term__organization_id=organization_id)
        .values_list("city_id", flat=True)
        .distinct()
    )


def _signatory_cities(signatory: Signatory) -> set[int]:
    # A seat of no city can sign compacts in several cities; a signature or re-affirmation
    # changes what each of their dashboards says about that seat.
    from schools.models import LeadershipTerm

    seats = LeadershipTerm._base_manager.filter(pk=signatory.leadership_term_id).values_list(
        "organization_id", "role"
    )
    return {_city_through(signatory, ("compact",))} | cities_signed_at_seats(seats)


def cities_of(record) -> set[int]:
    """The ids of the cities whose figures a write of `record` (a compact or one of its
    records, as it is now) can change."""
    if isinstance(record, Compact):
        return {record.city_id}
    if isinstance(record, Signatory):
        return _signatory_cities(record)
    if isinstance(record, Milestone):
        return {_city_through(record, ("commitment", "compact"))}
    if isinstance(record, Participant | Commitment | Activity | Grant):
        return {_city_through(record, ("compact",))}
    raise TypeError(f"{type(record).__name__} is not a record of a compact.")
