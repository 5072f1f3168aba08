"""The one choke point for access: which cities a user may read, and where they may write.

Every selector filters through `scope_queryset`; every view that changes a city's records calls
`require_editor`. Outsiders get 404 (a city they cannot see does not exist for them); members
without the editor role get 403.

Organizations without a city (networks, associations, funders) belong to the cities whose
compacts they take part in, fund or signed through one of their seats. An editor may link to a
compact only what already belongs to a compact of a city they edit, or what belongs to no compact
yet (new); a seat (organization, role) changes only for an editor of every city whose compact it
signed. So no request of one city's editor reaches the records another city depends on.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.choices import Role
from accounts.models import Membership
from compacts.models import Compact, Grant, Participant, Signatory
from schools.models import City, LeadershipTerm, Organization, Person

# How long a user's roles stay cached. Every change of a membership deletes the entry
# (accounts.signals); the limit only bounds a reader that loaded the roles just before a change
# committed and stored them just after.
ROLES_CACHE_SECONDS = 300
# Every user's cached roles carry this token and count only while it stands: a bulk load or a
# restore (core.changes "every city") writes memberships without their signals, and drops it.
GENERATION_KEY = "accounts:scope-generation"
CITIES_CACHE_KEY = "accounts:cities"


def _roles_key(user_id: int) -> str:
    return f"accounts:roles:{user_id}"


def forget_roles(user_id: int) -> None:
    """Drop the cached roles of a user whose memberships changed."""
    cache.delete(_roles_key(user_id))


def forget_every_scope() -> None:
    """Drop every user's cached roles (and cached user, accounts.backends) and the cached
    cities."""
    cache.delete_many([GENERATION_KEY, CITIES_CACHE_KEY])


def request_cache_keys(user_id: int) -> list[str]:
    """What every request of a signed-in user reads here: the generation, their roles and the
    cities. The auth backend (accounts.backends) reads them with the user, in one cache read."""
    return [GENERATION_KEY, _roles_key(user_id), CITIES_CACHE_KEY]


def keep_for_request(user, found: dict) -> None:
    """Keep on `user`, this request's object, what a read of `request_cache_keys` found, so that
    the request does not read it again; what is missing or stale is loaded when first asked."""
    generation, cached = found.get(GENERATION_KEY), found.get(_roles_key(user.pk))
    if generation is not None and cached is not None and cached[0] == generation:
        user._city_roles = cached[1]
    if found.get(CITIES_CACHE_KEY) is not None:
        user._all_cities = found[CITIES_CACHE_KEY]


def current_generation() -> str:
    """The current generation token, set when missing: whatever is cached per user carries it."""
    cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
    return cache.get(GENERATION_KEY)


def _roles(user) -> dict[int, str]:
    """city_id -> role for the user: from the cache shared by the user's requests, kept on the
    user object for the rest of the request."""
    roles = getattr(user, "_city_roles", None)
    if roles is None:
        key = _roles_key(user.pk)
        found = cache.get_many([GENERATION_KEY, key])
        generation, cached = found.get(GENERATION_KEY), found.get(key)
        if generation is not None and cached is not None and cached[0] == generation:
            roles = cached[1]
        else:
            generation = generation or current_generation()
            roles = dict(Membership.objects.filter(user=user).values_list("city_id", "role"))
            cache.set(key, (generation, roles), ROLES_CACHE_SECONDS)
        user._city_roles = roles
    return roles


def forget_cities() -> None:
    """Drop the cached list of cities (a city was added, renamed or removed)."""
    cache.delete(CITIES_CACHE_KEY)


def _all_cities(user) -> list[dict]:
    # Kept on the user only when read with it (keep_for_request): a user object that outlives a
    # request, as in a shell or a command, reads the cities afresh.
    cities = getattr(user, "_all_cities", None)
    if cities is None:
        cities = cache.get(CITIES_CACHE_KEY)
    if cities is None:
        cities = list(City.objects.order_by("name", "state").values("id", "name", "state", "slug"))
        cache.set(CITIES_CACHE_KEY, cities, ROLES_CACHE_SECONDS)
    return cities


def readable_cities(user) -> list[dict]:
    """The cities the user may read, by name, as dicts of id, name, state, slug and `role`, the
    user's role in each (editor everywhere for a superuser). Every page of a signed-in user asks,
    so both halves come from the cache: the cities shared by everyone, the roles per user."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [city | {"role": Role.EDITOR} for city in _all_cities(user)]
    roles = _roles(user)
    return [city | {"role": roles[city["id"]]} for city in _all_cities(user) if city["id"] in roles]


def role_in(user, city_id: int) -> str | None:
    """The user's role in a city: "editor", "viewer", or None for an outsider.

    Superusers count as editors everywhere.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.EDITOR
    return _roles(user).get(city_id)


def edits_any_city(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.EDITOR in _roles(user).values()


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


# --- organizations without a city, their seats and their people ---


def tied_to(cities) -> Q:
    """Organizations that take part in, fund, or signed (through a seat) a compact of `cities`
    (a queryset of City ids; None: any city)."""
    where = {} if cities is None else {"compact__city__in": cities}
    return (
        Q(pk__in=Participant.objects.filter(**where).values("organization_id"))
        | Q(pk__in=Grant.objects.filter(**where).values("funder_id"))
        | Q(pk__in=Signatory.objects.filter(**where).values("leadership_term__organization_id"))
    )


def _seat_signed(cities) -> Exists:
    """For a LeadershipTerm queryset: its seat signed a compact of `cities` (None: any)."""
    where = {} if cities is None else {"compact__city__in": cities}
    return Exists(
        Signatory.objects.filter(
            leadership_term__organization=OuterRef("organization"),
            leadership_term__role=OuterRef("role"),
            **where,
        )
    )


def _editable_ids(user) -> QuerySet:
    return editable_cities(user).order_by().values("pk")


def choosable_organizations(user, city: City) -> QuerySet[Organization]:
    """The organizations an editor may link to a compact of `city`: the city's own, and those
    without a city that already belong to a compact of a city the user edits or to no compact
    at all (new). One known only to other cities' compacts is refused: linking it would open
    its seats, and those cities' figures, to this editor. Superusers choose any."""
    own = Q(city=city)
    if user.is_superuser:
        return Organization.objects.filter(own | Q(city__isnull=True))
    mine_or_new = tied_to(_editable_ids(user)) | ~tied_to(None)
    return Organization.objects.filter(own | (Q(city__isnull=True) & mine_or_new))


def choosable_terms(user, city: City) -> QuerySet[LeadershipTerm]:
    """The leadership terms an editor may name as a signatory of a compact of `city`: terms at
    the city's organizations, and at seats of organizations without a city that signed a
    compact of a city the user edits, or signed none yet at an organization they may choose.
    A seat that signed only other cities' compacts is refused. Superusers choose any."""
    terms = LeadershipTerm.objects.filter(
        Q(organization__city=city) | Q(organization__city__isnull=True)
    )
    if user.is_superuser:
        return terms
    new_seat = ~_seat_signed(None) & Q(
        organization__in=choosable_organizations(user, city).values("pk")
    )
    return terms.filter(Q(organization__city=city) | _seat_signed(_editable_ids(user)) | new_seat)


# What the compact forms let an editor choose, by the rule that offers it.
_CHOSEN_LINKS = {
    Signatory: ("leadership_term", choosable_terms),
    Participant: ("organization", choosable_organizations),
    Grant: ("funder", choosable_organizations),
}


def unchoosable_link(user, instance) -> str | None:
    """The name of the link (seat, organization, funder) of a compact's signatory, participant
    or grant that `user` may not choose for its compact (choosable_terms,
    choosable_organizations), or None. Restore and revert ask it too: a seat or an organization
    may have gone to other cities' compacts since, and re-attaching it would open their records.
    A missing link or compact is not this rule's to refuse."""
    link = _CHOSEN_LINKS.get(type(instance))
    if link is None:
        return None
    name, choosable = link
    value = getattr(instance, instance._meta.get_field(name).attname)
    compact = Compact.objects.select_related("city").filter(pk=instance.compact_id).first()
    if value is None or compact is None or choosable(user, compact.city).filter(pk=value).exists():
        return None
    return name


def seat_cities(organization: Organization, role: str) -> set[int]:
    """The ids of the cities whose compacts the seat (organization, role) signed."""
    return set(
        Signatory.objects.filter(
            leadership_term__organization=organization, leadership_term__role=role
        ).values_list("compact__city_id", flat=True)
    )


def _seat_access(user, organization: Organization, role: str, allowed, every: bool) -> bool:
    """`allowed` (can_read / can_edit) applied to the cities the seat belongs to: its
    organization's city; else those whose compacts the seat signed (each of them, or any, per
    `every`); else those whose compacts its organization belongs to."""
    if organization.city_id is not None:
        return allowed(user, organization.city_id)
    if user.is_superuser:
        return True
    cities = seat_cities(organization, role)
    if cities:
        return (all if every else any)(allowed(user, city) for city in cities)
    member_cities = [city for city in _roles(user) if allowed(user, city)]
    return Organization.objects.filter(tied_to(member_cities), pk=organization.pk).exists()


def can_edit_seat(user, organization: Organization, role: str) -> bool:
    """Whether the user may record changes at the seat (organization, role): an editor of the
    organization's city; for an organization without a city, an editor of every city whose
    compact the seat signed, or (a seat that signed none) of a city whose compacts the
    organization belongs to; superusers everywhere."""
    return _seat_access(user, organization, role, can_edit, every=True)


def can_read_seat(user, organization: Organization, role: str) -> bool:
    """Whether the seat exists for the user: a member of the organization's city; for an
    organization without a city, a member of a city whose compact the seat signed (or, a seat
    that signed none, of a city whose compacts the organization belongs to)."""
    return _seat_access(user, organization, role, can_read, every=False)


def shared_organizations(cities) -> QuerySet:
    """Ids of the organizations without a city that belong to `cities` (tied_to): those whose
    records a city's change log shows; a subquery."""
    return Organization.objects.filter(tied_to(cities), city__isnull=True).values("pk")


def seats_of(cities) -> Q:
    """For LeadershipTerm, or its history rows: terms at organizations without a city whose seat
    belongs to one of `cities` by the rule of can_read_seat (the seat signed a compact of one
    of them; a seat that signed none, its organization belongs to one of them). One rule for the
    seat pages and the change history."""
    return Q(organization__in=Organization.objects.filter(city__isnull=True).values("pk")) & (
        _seat_signed(cities)
        | (~_seat_signed(None) & Q(organization__in=shared_organizations(cities)))
    )


def terms_in_edit_scope(user) -> QuerySet[LeadershipTerm]:
    """The terms at organizations of the cities the user edits, and at seats that signed a
    compact of such a city (superusers: all)."""
    if user.is_superuser:
        return LeadershipTerm.objects.all()
    cities = _editable_ids(user)
    return LeadershipTerm.objects.filter(Q(organization__city__in=cities) | _seat_signed(cities))


def reusable_people(user) -> QuerySet[Person]:
    """The people an editor's leadership change may name as successor: those with a term in
    the user's edit scope (terms_in_edit_scope). Anyone else is a stranger to the editor,
    whatever their name."""
    return Person.objects.filter(pk__in=terms_in_edit_scope(user).values("person_id"))


def can_rename_person(user, person: Person) -> bool:
    """A person's name is shared by all their terms: only a user who may edit every one of
    those seats corrects it."""
    if user.is_superuser:
        return True
    seats = {
        (term.organization, term.role)
        for term in LeadershipTerm.objects.filter(person=person).select_related("organization")
    }
    return all(can_edit_seat(user, organization, role) for organization, role in seats)


def readable_organizations(user) -> QuerySet[Organization]:
    """The organizations a user may name or look up: those of their cities, and those of no city
    (networks, funders, associations: reference data every member reads), as history reads them.
    An organization of another city stays unknown to them."""
    if user.is_superuser:
        return Organization.objects.all()
    cities = visible_cities(user).values("id")
    return Organization.objects.filter(Q(city__in=cities) | Q(city__isnull=True))
