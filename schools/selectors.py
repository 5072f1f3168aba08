"""Reads of reference data and leadership: schools and networks (readable by every signed-in
user) and leadership terms (scoped to the user's cities)."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from accounts.scope import can_read_seat, reusable_people, scope_queryset, terms_in_edit_scope
from compacts.models import Signatory
from core.lists import FilterData, apply_filters
from schools.filters import (
    LeadershipTermFilterSet,
    NetworkFilterSet,
    SchoolFilterSet,
    participating_q,
)
from schools.models import CharterNetwork, CharterSchool, LeadershipTerm, Person


def leadership_term_list(*, user, filters: FilterData = None) -> QuerySet[LeadershipTerm]:
    """Leadership terms the user may read, with person, organization and city joined and the
    compacts each term signed (in the user's cities) prefetched.

    In scope: terms at organizations of the user's cities (accounts.scope, organization__city),
    and terms at the signatory seats of the user's cities' compacts, since a network's seat
    usually has no city of its own and its successors must show where its signatory does.
    Default order: organization, role, newest term first.
    """
    in_city = scope_queryset(LeadershipTerm.objects.all(), user, "organization__city")
    scoped_signatories = scope_queryset(Signatory.objects.all(), user, "compact__city")
    at_signatory_seat = LeadershipTerm.objects.filter(
        Exists(
            scoped_signatories.filter(
                leadership_term__organization=OuterRef("organization"),
                leadership_term__role=OuterRef("role"),
            )
        )
    )
    queryset = (
        (in_city | at_signatory_seat)
        # Whether the list offers "Correct": the seat signed a compact of a city the user edits
        # (the correction page applies the whole rule, accounts.scope.can_edit_seat).
        .annotate(in_edit_scope=Exists(terms_in_edit_scope(user).filter(pk=OuterRef("pk"))))
        .select_related("person", "organization__city")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=scoped_signatories.select_related("compact").order_by(
                    "compact__signed_on", "compact_id"
                ),
                to_attr="scoped_signatures",
            )
        )
        .order_by("organization__name", "organization_id", "role", "-started_on", "-id")
    )
    return apply_filters(queryset, filters, LeadershipTermFilterSet, user)


def school_list(*, user, filters: FilterData = None) -> QuerySet[CharterSchool]:
    """Charter schools (reference data: every signed-in user reads them all) with city, network
    and district joined, and `participating` annotated (schools.filters.participating_q).
    Default order: name."""
    queryset = (
        CharterSchool.objects.select_related("city", "network", "district")
        .annotate(
            participating=ExpressionWrapper(
                participating_q(timezone.localdate()), output_field=BooleanField()
            )
        )
        .order_by("name", "pk")
    )
    return apply_filters(queryset, filters, SchoolFilterSet, user)


def network_list(*, user, filters: FilterData = None) -> QuerySet[CharterNetwork]:
    """Charter networks (reference data) with their schools counted. Default order: name."""
    queryset = (
        CharterNetwork.objects.select_related("city")
        .annotate(
            school_count=Count("schools", distinct=True),
            open_school_count=Count("schools", filter=Q(schools__is_open=True), distinct=True),
        )
        .order_by("name", "pk")
    )
    return apply_filters(queryset, filters, NetworkFilterSet, user)


def successor_candidates(*, user, name: str) -> list[Person]:
    """The people in the user's scope (accounts.scope.reusable_people) named `name`, case and
    spacing ignored, each with `latest_term`: their latest term in that scope, to tell them
    apart. A person of that name elsewhere is not one of them."""
    name = " ".join((name or "").split())
    if not name:
        return []
    candidates = list(
        reusable_people(user)
        .filter(full_name__iexact=name)
        .prefetch_related(
            Prefetch(
                "leadership_terms",
                queryset=terms_in_edit_scope(user)
                .select_related("organization")
                .order_by("-started_on", "-id"),
                to_attr="scoped_terms",
            )
        )
        .order_by("pk")
    )
    for person in candidates:
        person.latest_term = person.scoped_terms[0] if person.scoped_terms else None
    return candidates


def leadership_term_get(*, user, pk: int) -> LeadershipTerm:
    """A term with its person and organization, if its seat exists for the user
    (accounts.scope.can_read_seat); Http404 otherwise."""
    term = LeadershipTerm.objects.select_related("person", "organization__city").filter(pk=pk)
    term = term.first()
    if term is None or not can_read_seat(user, term.organization, term.role):
        raise Http404("No such record.")
    return term
