"""The one choke point for access: which cities a user may read, and where they may write.

Every selector filters through `scope_queryset`; every view that changes a city's records calls
`require_editor`. Outsiders get 404 (a city they cannot see does not exist for them); members
without the editor role get 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.choices import Role
from accounts.models import Membership
from schools.models import City


def _roles(user) -> dict[int, str]:
    """city_id -> role for the user, loaded once per request (cached on the user object)."""
    cached = getattr(user, "_city_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("city_id", "role"))
        user._city_roles = cached
    return cached


def role_in(user, city_id: int) -> str | None:
    """The user's role in a city: "editor", "viewer", or None for an outsider.

    Superusers count as editors everywhere.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.EDITOR
    return _roles(user).get(city_id)


def can_read(user, city_id: int) -> bool:
    return role_in(user, city_id) is not None


def can_edit(user, city_id: int) -> bool:
    return role_in(user, city_id) == Role.EDITOR


def scope_queryset(queryset: QuerySet, user, city_path: str = "city") -> QuerySet:
    """Restrict a queryset to the rows of cities the user may read.

    `city_path` is the lookup from the model to its City ("compact__city" for a commitment).
    A subquery rather than a list of ids keeps the query count fixed.
    """
    if user.is_superuser:
        return queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    member_cities = Membership.objects.filter(user=user).values("city_id")
    return queryset.filter(**{f"{city_path}__in": member_cities})


def visible_cities(user) -> QuerySet:
    """The cities the user may read, by name."""
    return scope_queryset(City.objects.all(), user, city_path="id").order_by("name", "state")


def editable_cities(user) -> QuerySet:
    """The cities in which the user may change records."""
    if user.is_superuser:
        return City.objects.order_by("name", "state")
    return City.objects.filter(memberships__user=user, memberships__role=Role.EDITOR).order_by(
        "name", "state"
    )


def require_reader(user, city_id: int) -> None:
    if not can_read(user, city_id):
        raise Http404("No such record.")


def require_editor(user, city_id: int) -> None:
    """404 for outsiders, 403 for members who may only read."""
    require_reader(user, city_id)
    if not can_edit(user, city_id):
        raise PermissionDenied("Your role in this city is read-only.")


def require_superuser(user) -> None:
    """Reference data (schools, networks) is changed by superusers only."""
    if not user.is_superuser:
        raise PermissionDenied("Only administrators change reference data.")
