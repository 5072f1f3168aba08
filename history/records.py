"""Who changed what, and when: the history of every domain record.

django-simple-history writes one historical row per save and per delete, from the model signals,
so inside the writer's own transaction. The acting user comes from the request
(HistoryRequestMiddleware), or from core.audit.recorded_as(actor) in services, management commands
and imports (core.audit.command_actor picks a command's actor). This module knows, for every
tracked model, how to reach its city (REGISTRY), checks access to a record's history through
accounts.scope, describes a version's changes in words, and reads the history pages.

Bulk writes bypass the model signals: use simple_history.utils.bulk_create_with_history /
bulk_update_with_history with `default_user=` and `default_change_reason=`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.text import capfirst

from accounts.models import Membership
from accounts.scope import (
    can_rename_person,
    editable_cities,
    require_superuser,
    seats_of,
    shared_organizations,
    visible_cities,
)
from compacts.models import (
    Activity,
    Commitment,
    Compact,
    Grant,
    Milestone,
    Participant,
    Signatory,
)
from core.formats import date_text, datetime_text
from schools.models import (
    CharterNetwork,
    CharterSchool,
    City,
    District,
    LeadershipTerm,
    Organization,
    Person,
)

EMPTY = "empty"

# Fields every version has that say nothing about what a user changed.
BOOKKEEPING_FIELDS = {"created_at", "updated_at"}

HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class Tracked:
    """A model whose records keep a history, and how its records reach their city.

    city_path: the lookup from the model to its City ("commitment__compact__city"); "id" for City.
    label_related: select_related paths that let str() of a record run without a query.
    reference: reference data (cities, organizations, schools): changed by superusers only.
    private: account data (memberships): read and changed by superusers only.
    """

    model: type[models.Model]
    city_path: str
    label_related: tuple[str, ...] = ()
    reference: bool = False
    private: bool = False

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return self.model._meta.model_name

    @property
    def key(self) -> str:
        return f"{self.app_label}.{self.model_name}"

    @property
    def history_model(self) -> type[models.Model]:
        return self.model.history.model

    @property
    def pk_name(self) -> str:
        """The record's primary-key column, present under the same name on its history rows."""
        return self.model._meta.pk.attname

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)


# Parents before children: restores re-create records in this order.
REGISTRY: tuple[Tracked, ...] = (
    Tracked(City, "id", reference=True),
    Tracked(Organization, "city", reference=True),
    Tracked(District, "city", reference=True),
    Tracked(CharterNetwork, "city", reference=True),
    Tracked(CharterSchool, "city", reference=True),
    Tracked(Person, "leadership_terms__organization__city"),
    Tracked(LeadershipTerm, "organization__city", label_related=("person", "organization")),
    Tracked(Compact, "city", label_related=("city",)),
    Tracked(Signatory, "compact__city", label_related=("leadership_term__person", "compact")),
    Tracked(Participant, "compact__city", label_related=("organization", "compact")),
    Tracked(Commitment, "compact__city"),
    Tracked(Milestone, "commitment__compact__city"),
    Tracked(Activity, "compact__city"),
    Tracked(Grant, "compact__city", label_related=("funder",)),
    Tracked(Membership, "city", label_related=("user", "city"), private=True),
)
_BY_MODEL = {tracked.model: tracked for tracked in REGISTRY}
_BY_KEY = {tracked.key: tracked for tracked in REGISTRY}


def tracked_for(model_or_key) -> Tracked | None:
    """The registry entry of a model, an instance, or an "app_label.model_name" key."""
    if isinstance(model_or_key, str):
        return _BY_KEY.get(model_or_key.lower())
    model = model_or_key if isinstance(model_or_key, type) else type(model_or_key)
    return _BY_MODEL.get(model._meta.concrete_model)


def history_url(obj) -> str:
    """The history page of a record (live, or a historical row of a deleted one)."""
    instance_type = getattr(obj, "instance_type", None) or type(obj)
    tracked = tracked_for(instance_type)
    if tracked is None:
        raise ValueError(f"{instance_type.__name__} keeps no history.")
    return reverse(
        "core:history",
        kwargs={
            "app_label": tracked.model._meta.app_label,
            "model": tracked.model._meta.model_name,
            "pk": getattr(obj, tracked.pk_name),
        },
    )


# --- scope: which records of which cities ---------------------------------------------------


def city_q(model: type[models.Model], path: str, cities) -> Q:
    """A filter for `model`, or its history model, selecting the rows that belong to `cities`.

    `cities` is a queryset of City ids or a list of them. Each hop of `path` matches the parent
    among live rows and among historical rows, so the versions of a deleted record stay in its
    city even when its parents were deleted with it. One SQL query, whatever the data size.
    """
    head, _, rest = path.partition("__")
    if head in ("id", "pk"):
        return Q(**{f"{model._meta.pk.attname}__in": cities})
    relation = model._meta.get_field(head)
    if relation.concrete:
        if not rest:
            return Q(**{f"{relation.attname}__in": cities})
        parent = relation.related_model
        parent_q = city_q(parent, rest, cities)
        parent_pk = parent._meta.pk.attname
        live = parent._default_manager.filter(parent_q).values(parent_pk)
        historical = parent.history.model.objects.filter(parent_q).values(parent_pk)
        return Q(**{f"{relation.attname}__in": live}) | Q(**{f"{relation.attname}__in": historical})
    # A reverse foreign key (a person belongs to the cities of their leadership terms).
    child, child_fk = relation.related_model, relation.field.attname
    child_q = city_q(child, rest, cities)
    pk_name = model._meta.pk.attname
    live = child._default_manager.filter(child_q).values(child_fk)
    historical = child.history.model.objects.filter(child_q).values(child_fk)
    return Q(**{f"{pk_name}__in": live}) | Q(**{f"{pk_name}__in": historical})


# Organizations of no city (networks, associations, funders, state agencies) serve several
# cities; their records, their leadership terms and the people in them belong to the change log
# of the cities accounts.scope gives them (shared_organizations, seats_of: the seat pages' rule;
# a network CEO's departure changes the figures of the city whose compact that seat signed).
# The city path finds none of them.
SHARED_ORGANIZATION_MODELS = (Organization, District, CharterNetwork, CharterSchool)


def shared_q(model: type[models.Model], cities) -> Q | None:
    """A filter for `model` or its history model selecting the rows of organizations of no city
    shared with `cities`, of their leadership terms whose seat belongs to `cities`, and of the
    people in those terms (live or deleted); None for the models that never belong to a city
    this way."""
    model = model._meta.concrete_model
    if model in SHARED_ORGANIZATION_MODELS:
        return Q(**{f"{model._meta.pk.attname}__in": shared_organizations(cities)})
    if model is LeadershipTerm:
        return seats_of(cities)
    if model is Person:
        seats = seats_of(cities)
        pk = Person._meta.pk.attname  # history rows have their own primary key
        return Q(**{f"{pk}__in": LeadershipTerm.objects.filter(seats).values("person_id")}) | Q(
            **{f"{pk}__in": LeadershipTerm.history.model.objects.filter(seats).values("person_id")}
        )
    return None


@dataclass
class RecordState:
    """A record as its history page sees it: the live row if any, and its latest version."""

    tracked: Tracked
    pk: int
    live: models.Model | None
    latest: models.Model | None

    @property
    def exists(self) -> bool:
        return self.live is not None

    @property
    def is_deleted(self) -> bool:
        return self.live is None and self.latest is not None

    def in_cities(self, cities) -> bool:
        return self._matches(city_q(self.tracked.model, self.tracked.city_path, cities))

    def shared_with(self, cities) -> bool:
        """True for a record of an organization of no city that takes part in or signed a
        compact of `cities` (shared_q)."""
        q = shared_q(self.tracked.model, cities)
        return q is not None and self._matches(q)

    def _matches(self, q: Q) -> bool:
        if self.live is not None:
            return self.tracked.model._default_manager.filter(q, pk=self.pk).exists()
        return self.tracked.history_model.objects.filter(
            q, history_id=self.latest.history_id
        ).exists()


def record_state(tracked: Tracked, pk: int) -> RecordState:
    """The live row and the latest version of a record; 404 when it never existed."""
    model = tracked.model
    live = model._default_manager.select_related(*tracked.label_related).filter(pk=pk).first()
    latest = (
        tracked.history_model.objects.filter(**{tracked.pk_name: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if live is None and latest is None:
        raise Http404("No such record.")
    return RecordState(tracked, pk, live, latest)


def record_label(state: RecordState) -> str:
    """The record's name: its str() now, or as it was when deleted."""
    if state.live is not None:
        return _label_without_queries(state.live)
    instance = version_instance(state.latest)
    _attach_relations(state.tracked, [instance])
    return _label_without_queries(instance)


def record_city(state: RecordState) -> City | None:
    """The live city a record belongs to, following its city path through deleted parents."""
    obj = state.live if state.live is not None else version_instance(state.latest)
    for hop in state.tracked.city_path.split("__"):
        if hop in ("id", "pk"):
            break
        relation = obj._meta.get_field(hop)
        if not relation.concrete:
            return None
        value = getattr(obj, relation.attname)
        if value is None:
            return None
        parent = relation.related_model._default_manager.filter(pk=value).first()
        if parent is None:
            parent_tracked = tracked_for(relation.related_model)
            row = latest_versions(parent_tracked, [value]).first() if parent_tracked else None
            if row is None:
                return None
            parent = version_instance(row)
        obj = parent
    if isinstance(obj, City) and City.objects.filter(pk=obj.pk).exists():
        return obj
    return None


def require_history_reader(user, state: RecordState) -> None:
    """404 unless the user may read the record's city.

    Reference data reached from no city at all (a funder, a network with no home city) is read
    by every signed-in user; any other record without a city (a person who holds no seat) only
    by superusers.
    """
    if user.is_superuser:
        return
    if state.tracked.private:
        raise Http404("No such record.")
    cities = visible_cities(user).values("id")
    if state.in_cities(cities) or state.shared_with(cities):
        return
    if not state.tracked.reference or state.in_cities(City.objects.values("id")):
        raise Http404("No such record.")


def require_history_editor(user, state: RecordState) -> None:
    """404 for outsiders, 403 for read-only members; reference data needs a superuser."""
    require_history_reader(user, state)
    if user.is_superuser:
        return
    if state.tracked.reference:
        require_superuser(user)
    if not state.in_cities(editable_cities(user).values("id")):
        raise PermissionDenied("Your role in this city is read-only.")
    # A person's name is shared by every seat they held: reverting it is a rename, allowed only
    # to whoever may rename them (accounts.scope.can_rename_person), not to an editor of one city.
    if isinstance(state.live, Person) and not can_rename_person(user, state.live):
        raise PermissionDenied(
            "This person also held seats in cities you do not edit: an administrator, or an "
            "editor of all of them, changes their record."
        )


# --- describing changes in words --------------------------------------------------------------


class _QueryRefused(Exception):
    pass


def _refuse_queries(execute, sql, params, many, context):
    raise _QueryRefused


def _label_without_queries(obj) -> str:
    """str(obj), or "<model> #<pk>" when str() would need a query the bulk loads did not make."""
    with connection.execute_wrapper(_refuse_queries):
        try:
            return str(obj)
        except (_QueryRefused, models.ObjectDoesNotExist):
            return f"{obj._meta.verbose_name} #{obj.pk}"


def _attach_relations(tracked: Tracked | None, instances: list[models.Model]) -> None:
    """Load, in one query per relation, what str() of these rebuilt instances needs."""
    if tracked is None or not instances:
        return
    for path in tracked.label_related:
        head, _, rest = path.partition("__")
        relation = tracked.model._meta.get_field(head)
        ids = {getattr(obj, relation.attname) for obj in instances} - {None}
        if not ids:
            continue
        manager = relation.related_model._default_manager
        loaded = manager.select_related(rest).in_bulk(ids) if rest else manager.in_bulk(ids)
        for obj in instances:
            related = loaded.get(getattr(obj, relation.attname))
            if related is not None:
                relation.set_cached_value(obj, related)


def version_instance(row) -> models.Model:
    """The record as it was in a historical row (a model instance that is never saved)."""
    instance = row.instance
    instance._state.adding = False
    return instance


class Labels:
    """Display labels of records referenced by history rows, loaded in bulk.

    Declare every (model, pk) with `want`, call `load` once (one query per model for live rows,
    one for deleted ones, plus the relations their labels need), then read with `get`.
    """

    def __init__(self):
        self._wanted: dict[type[models.Model], set] = defaultdict(set)
        self._labels: dict[tuple[type[models.Model], object], str] = {}

    def want(self, model: type[models.Model], pk) -> None:
        if pk is not None:
            self._wanted[model._meta.concrete_model].add(pk)

    def load(self) -> None:
        for model, pks in self._wanted.items():
            pks = {pk for pk in pks if (model, pk) not in self._labels}
            if not pks:
                continue
            tracked = tracked_for(model)
            related = tracked.label_related if tracked else ()
            live = model._default_manager.select_related(*related).in_bulk(pks)
            for pk, obj in live.items():
                self._labels[(model, pk)] = _label_without_queries(obj)
            missing = pks - set(live)
            if missing and tracked is not None:
                rows = latest_versions(tracked, missing)
                instances = [version_instance(row) for row in rows]
                _attach_relations(tracked, instances)
                for instance in instances:
                    label = _label_without_queries(instance)
                    self._labels[(model, instance.pk)] = f"{label} (deleted)"
        self._wanted.clear()

    def get(self, model: type[models.Model], pk) -> str:
        model = model._meta.concrete_model
        return self._labels.get((model, pk), f"{model._meta.verbose_name} #{pk} (deleted)")


def latest_versions(tracked: Tracked, pks: Iterable) -> QuerySet:
    """The latest historical row of each of these records, in one query."""
    history = tracked.history_model.objects
    newest = (
        history.filter(**{tracked.pk_name: models.OuterRef(tracked.pk_name)})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return history.filter(**{f"{tracked.pk_name}__in": list(pks)}).filter(
        history_id=models.Subquery(newest)
    )


def diff_fields(tracked: Tracked) -> list[models.Field]:
    """The fields a user changes: no primary key, parent link or timestamps."""
    return [
        f
        for f in tracked.history_model.tracked_fields
        if not f.primary_key
        and f.name not in BOOKKEEPING_FIELDS
        and not getattr(f.remote_field, "parent_link", False)
        and not (f.name == "id" and tracked.model._meta.pk.name != "id")
    ]


def format_value(model_field: models.Field, value, labels: Labels | None = None) -> str:
    """A field value in words: choice labels, related records by name, dates spelled out."""
    if value is None or value == "":
        return EMPTY
    if model_field.is_relation:
        if labels is None:
            labels = Labels()
            labels.want(model_field.related_model, value)
            labels.load()
        return labels.get(model_field.related_model, value)
    if model_field.flatchoices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    """One field of one version, in words: "Status: In progress → Achieved"."""

    field: str
    label: str
    old: str | None
    new: str

    @property
    def is_initial(self) -> bool:
        return self.old is None

    def __str__(self) -> str:
        if self.is_initial:
            return f"{self.label}: {self.new}"
        return f"{self.label}: {self.old} → {self.new}"


def _want_labels(tracked: Tracked, rows: Iterable, labels: Labels) -> None:
    relations = [f for f in diff_fields(tracked) if f.is_relation]
    for row in rows:
        if row is None:
            continue
        for f in relations:
            labels.want(f.related_model, getattr(row, f.attname))


def describe_changes(row, previous, labels: Labels | None = None) -> list[FieldChange]:
    """What a historical row changed compared with the version before it, field by field.

    With no previous version (a creation, or history that starts later) the row's non-empty
    values are listed as initial values; a deletion changes nothing. Related records are named by
    their str(); pass a loaded `Labels` to describe many rows with a fixed number of queries.
    """
    if row.history_type == "-":
        return []
    return compare_values(tracked_for(row.instance_type), previous, row, labels)


def compare_values(tracked: Tracked, old, new, labels: Labels | None = None) -> list[FieldChange]:
    """The differences between two states of a record (versions or live rows), in words."""
    if labels is None:
        labels = Labels()
        _want_labels(tracked, (old, new), labels)
        labels.load()
    changes = []
    for f in diff_fields(tracked):
        new_value = getattr(new, f.attname)
        label = capfirst(str(f.verbose_name))
        if old is None:
            if new_value is None or new_value == "":
                continue
            changes.append(FieldChange(f.name, label, None, format_value(f, new_value, labels)))
            continue
        old_value = getattr(old, f.attname)
        if old_value == new_value or (old_value in (None, "") and new_value in (None, "")):
            continue
        changes.append(
            FieldChange(
                f.name,
                label,
                format_value(f, old_value, labels),
                format_value(f, new_value, labels),
            )
        )
    return changes


def describe_changes_in_words(row, previous) -> str:
    """The changes of one version as one sentence, for messages and exports."""
    changes = describe_changes(row, previous)
    if row.history_type == "-":
        return "Deleted."
    if not changes:
        return "Saved without changes."
    return "; ".join(str(change) for change in changes) + "."


def user_label(user) -> str:
    if user is None:
        return "unknown"
    return user.get_full_name() or user.get_username()


@dataclass
class Version:
    """One row of a history page: who, when, what kind of change, and the fields it changed."""

    tracked: Tracked
    row: models.Model
    previous: models.Model | None
    changes: list[FieldChange] = field(default_factory=list)
    record_label: str = ""

    @property
    def is_restore(self) -> bool:
        return self.row.history_type == "+" and getattr(self.previous, "history_type", "") == "-"

    @property
    def action(self) -> str:
        if self.is_restore:
            return "Restored"
        return HISTORY_TYPES.get(self.row.history_type, "Changed")

    @property
    def who(self) -> str:
        return user_label(self.row.history_user)

    @property
    def when(self) -> datetime.datetime:
        return self.row.history_date

    @property
    def reason(self) -> str:
        return self.row.history_change_reason or ""

    @property
    def record_pk(self):
        return getattr(self.row, self.tracked.pk_name)

    @property
    def history_url(self) -> str:
        return history_url(self.row)


def build_versions(
    tracked: Tracked, pairs: list[tuple[models.Model, models.Model | None]]
) -> list[Version]:
    """Versions with their changes in words and labels, loading related names in bulk."""
    labels = Labels()
    _want_labels(tracked, (row for pair in pairs for row in pair), labels)
    labels.load()
    instances = [version_instance(row) for row, _ in pairs]
    _attach_relations(tracked, instances)
    return [
        Version(
            tracked,
            row,
            previous,
            describe_changes(row, previous, labels),
            _label_without_queries(instance),
        )
        for (row, previous), instance in zip(pairs, instances, strict=True)
    ]


def record_versions(state: RecordState, offset: int, limit: int) -> tuple[list[Version], bool]:
    """A page of a record's versions, newest first, and whether older ones follow.

    Reads limit + 1 rows so that the last version on the page has its predecessor without an
    extra query.
    """
    rows = list(
        state.tracked.history_model.objects.filter(**{state.tracked.pk_name: state.pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[offset : offset + limit + 1]
    )
    has_more = len(rows) > limit
    pairs = [
        (row, rows[index + 1] if index + 1 < len(rows) else None)
        for index, row in enumerate(rows[:limit])
    ]
    return build_versions(state.tracked, pairs), has_more


# --- a city's recent changes --------------------------------------------------------------------


def trackeds_for(user) -> list[Tracked]:
    """The models whose changes the user may list: account data only for superusers."""
    return [t for t in REGISTRY if not t.private or user.is_superuser]


def city_change_sets(
    city: City,
    trackeds: list[Tracked],
    *,
    user_id: int | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> list[QuerySet]:
    """Per model, the historical rows of the city's records, filtered by author and time;
    with them, those of the organizations of no city that take part in or signed the city's
    compacts, of their leadership terms and of the people in them (shared_q)."""
    sets = []
    for tracked in trackeds:
        belongs = city_q(tracked.model, tracked.city_path, [city.pk])
        shared = shared_q(tracked.model, [city.pk])
        if shared is not None:
            belongs |= shared
        rows = tracked.history_model.objects.filter(belongs)
        if user_id is not None:
            rows = rows.filter(history_user_id=user_id)
        if since is not None:
            rows = rows.filter(history_date__gte=since)
        if until is not None:
            rows = rows.filter(history_date__lt=until)
        sets.append(rows.order_by())
    return sets


def changes_union(change_sets: list[QuerySet]) -> QuerySet:
    """(model_key, history_id, history_date) of every row of the sets, newest first.

    One UNION ALL query, so that a page of a city's changes is one query whatever the number of
    models.
    """
    parts = [
        rows.annotate(
            model_key=models.Value(
                tracked_for(rows.model.instance_type).key, output_field=models.CharField()
            )
        ).values("model_key", "history_id", "history_date")
        for rows in change_sets
    ]
    first, *others = parts
    return first.union(*others, all=True).order_by("-history_date", "-history_id")


def change_authors(change_sets: list[QuerySet]) -> list:
    """Everyone who made one of these changes, by name: the choices of the author filter."""
    authored = Q()
    for rows in change_sets:
        authored |= Q(pk__in=rows.values("history_user_id"))
    users = get_user_model()._default_manager.filter(authored)
    return sorted(users, key=lambda user: user_label(user).lower())


def versions_for_page(page_rows: list[dict]) -> list[Version]:
    """Full versions, with their predecessors and changes, for one page of city changes.

    Per model on the page: one query for its rows (with the id of each predecessor), one for the
    predecessors, and the bulk label loads.
    """
    ids_by_key: dict[str, list[int]] = defaultdict(list)
    for item in page_rows:
        ids_by_key[item["model_key"]].append(item["history_id"])
    by_id: dict[tuple[str, int], Version] = {}
    for key, history_ids in ids_by_key.items():
        tracked = tracked_for(key)
        history = tracked.history_model.objects
        previous_id = (
            history.filter(**{tracked.pk_name: models.OuterRef(tracked.pk_name)})
            .filter(
                Q(history_date__lt=models.OuterRef("history_date"))
                | Q(
                    history_date=models.OuterRef("history_date"),
                    history_id__lt=models.OuterRef("history_id"),
                )
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rows = list(
            history.filter(history_id__in=history_ids)
            .select_related("history_user")
            .annotate(previous_id=models.Subquery(previous_id))
        )
        previous = history.in_bulk({row.previous_id for row in rows} - {None})
        pairs = [(row, previous.get(row.previous_id)) for row in rows]
        for version in build_versions(tracked, pairs):
            by_id[(key, version.row.history_id)] = version
    return [by_id[(item["model_key"], item["history_id"])] for item in page_rows]
