"""Carrying out a plan: every write of an import in one transaction, in bulk, with history.

Districts, schools and networks are multi-table children of Organization, which Django's
bulk_create refuses; core.bulk.bulk_create_children writes them as one bulk insert of their
Organization rows (which returns the new keys) and multi-row inserts of their own rows. Every
created or changed record gets its history row, as a save() would write it (the child model's
history only); unchanged records get none. Dashboards of the touched cities are invalidated
after commit.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.bulk import bulk_create_children
from core.changes import cities_changed
from schools.choices import OperatorType, OrganizationKind
from schools.importers.layouts import DISTRICTS
from schools.importers.planner import Plan
from schools.models import CharterNetwork, CharterSchool, City, District

logger = logging.getLogger(__name__)

KINDS = {District: OrganizationKind.DISTRICT, CharterSchool: OrganizationKind.CHARTER_SCHOOL}


def apply_plan(plan: Plan, *, actor=None, reason: str = "") -> set[int]:
    """Write the plan; returns the ids of the cities whose records changed."""
    if not plan.ok:
        raise ValueError("A plan with errors is never written.")
    now = timezone.now()
    history = {"default_user": actor, "default_change_reason": reason, "default_date": now}
    model = District if plan.kind == DISTRICTS else CharterSchool
    touched: set[int] = set()
    with transaction.atomic():
        _create_cities(plan, now, history)
        _create_networks(plan, now, history)
        objects = [_new_object(model, plan, change.values, now) for change in plan.creates]
        _bulk_create_organizations(model, objects, history)
        touched.update(obj.city_id for obj in objects)
        touched.update(_update(model, plan, now, history))
        touched.discard(None)
        if touched:
            transaction.on_commit(lambda: invalidate_dashboards(touched))
    return touched


def invalidate_dashboards(city_ids: set[int]) -> None:
    """Drop the cached dashboards of these cities: bulk writes send no signals."""
    cities_changed(city_ids)


def _resolve(plan: Plan, values: dict) -> dict:
    """The planner's values as model attnames: city and network keys become ids."""
    resolved = {}
    for name, value in values.items():
        if name == "city":
            resolved["city_id"] = plan.cities[value].pk
        elif name == "network":
            resolved["network_id"] = plan.networks[value].pk
        else:
            resolved[name] = value
    return resolved


def _new_object(model, plan: Plan, values: dict, now):
    return model(kind=KINDS[model], created_at=now, updated_at=now, **_resolve(plan, values))


def _update(model, plan: Plan, now, history) -> set[int]:
    if not plan.updates:
        return set()
    touched: set[int] = set()
    fields = {"updated_at"}
    objects = []
    for change in plan.updates:
        instance = change.instance
        touched.add(instance.city_id)
        for name, value in _resolve(plan, change.values).items():
            setattr(instance, name, value)
            fields.add(name)
        instance.updated_at = now
        touched.add(instance.city_id)
        objects.append(instance)
    bulk_update_with_history(objects, model, sorted(fields), batch_size=500, **history)
    return touched


def _taken_slugs(model, candidates: set[str]) -> set[str]:
    taken: set[str] = set()
    values = sorted(candidates)
    for start in range(0, len(values), 5000):
        chunk = values[start : start + 5000]
        taken.update(model.objects.filter(slug__in=chunk).order_by().values_list("slug", flat=True))
    return taken


def _create_cities(plan: Plan, now, history) -> None:
    """New cities in bulk, their slugs by the rule of schools.models.unique_city_slug.

    The rule (the name's slug, qualified by state when taken) runs on slugs loaded in one query
    and on those given earlier in the same file, rather than one query per city.
    """
    if not plan.new_cities:
        return
    bases = {key: slugify(name) or "city" for key, (name, state) in plan.new_cities.items()}
    candidates = set(bases.values()) | {f"{base}-{key[1].lower()}" for key, base in bases.items()}
    taken = _taken_slugs(City, candidates)
    cities = []
    for key, (name, state) in plan.new_cities.items():
        slug = _free_slug(bases[key], f"{bases[key]}-{state.lower()}", taken)
        cities.append(City(name=name, state=state, slug=slug, created_at=now, updated_at=now))
    created = bulk_create_with_history(cities, City, batch_size=500, **history)
    for key, city in zip(plan.new_cities, created, strict=True):
        plan.cities[key] = city


def _free_slug(base: str, qualified: str, taken: set[str]) -> str:
    slug, number = base, 1
    if slug in taken:
        slug = qualified
    while slug in taken:
        number += 1
        slug = f"{qualified}-{number}"
    taken.add(slug)
    return slug


def _create_networks(plan: Plan, now, history) -> None:
    if not plan.new_networks:
        return
    bases = {key: slugify(name)[:130] or "network" for key, name in plan.new_networks.items()}
    taken = _taken_slugs(CharterNetwork, set(bases.values()))
    networks = []
    for key, name in plan.new_networks.items():
        networks.append(
            CharterNetwork(
                name=name,
                kind=OrganizationKind.CHARTER_NETWORK,
                slug=_free_slug(bases[key], bases[key], taken),
                operator_type=plan.operator_types.get(key, OperatorType.NONPROFIT_CMO),
                created_at=now,
                updated_at=now,
            )
        )
    _bulk_create_organizations(CharterNetwork, networks, history)
    for key, network in zip(plan.new_networks, networks, strict=True):
        plan.networks[key] = network


def _bulk_create_organizations(model, objects: list, history) -> None:
    """Insert multi-table children of Organization in bulk, with their history rows."""
    if not objects:
        return
    bulk_create_children(model, objects, batch_size=500)
    model.history.bulk_history_create(objects, batch_size=500, **history)
