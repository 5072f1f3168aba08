"""Which cities' figures a write of a school record touches, for core.changes.

A city's own organizations show on its dashboards; an organization of no city (a network, a
state agency), its seats and the people holding them show on the dashboards of every city whose
compacts one of its seats signed. The services and the admin announce their writes with
`cities_changed(cities_of(record))`.
"""

from __future__ import annotations

from compacts.changes import cities_of_organization, cities_signed_at_seats
from schools.models import City, LeadershipTerm, Organization, Person


def seat_cities(organization_id: int, role: str) -> set[int]:
    """Cities whose compacts the seat (organization, role) signed."""
    return cities_signed_at_seats([(organization_id, role)])


def person_cities(person_id: int) -> set[int]:
    """Cities whose compacts a seat this person held signed (the name shows there)."""
    seats = LeadershipTerm.objects.filter(person_id=person_id).values_list(
        "organization_id", "role"
    )
    return cities_signed_at_seats(seats)


def cities_of(record) -> set[int]:
    """The ids of the cities whose figures a write of `record` (as it is now) can change."""
    if isinstance(record, City):
        return {record.pk}
    if isinstance(record, Organization):
        if record.city_id is None:
            return cities_of_organization(record.pk)
        return {record.city_id}
    if isinstance(record, LeadershipTerm):
        return seat_cities(record.organization_id, record.role)
    if isinstance(record, Person):
        return person_cities(record.pk) if record.pk else set()
    raise TypeError(f"{type(record).__name__} is not a school record.")
