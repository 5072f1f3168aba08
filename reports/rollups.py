"""Per-city rollups: each city's figures and dashboard as last computed, kept in the database.

Computing figures aggregates every record of a city's compacts (about 50 ms for a hundred cities
over 200,000 activities); reading them back is one indexed query. reports/cache.py asks here
whenever its cache (Redis) has nothing, so a page needs the aggregation only for the cities whose
records changed since, and a cache that is cold (a restart, a deploy, DASHBOARD_CACHE_SECONDS=0)
costs a row per city instead of the aggregation.

Validity. A city's row has a `version`, moved by every write to its records (the "city changed"
signal of core.changes, once per transaction after it commits), and a stored computation carries
the key (release, day, version) it was made at: it counts only while that key is current. A
reader takes the version *before* it queries the records, so:
- a write that commits after the reader's version read moves the version after its commit, and
  whatever the reader stores lands under the old version, which nobody reads again;
- a write that committed before it is in what the reader computes.
The move creates the row of a city that has none (version 1, where a reader without a row takes
0), so a reader's first computation cannot outlive a write either. A process that dies between a
write's commit and the move leaves the city's figures as they were until its next write or the
next day; the cache tokens (core.city_versions) have the same window.

The stored values are the pickled selector results, as the cache keeps them; only this module
writes them, and the release in the key keeps a new release from reading an old one's shapes.
"""

from __future__ import annotations

import contextlib
import datetime
import pickle

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection

from core.changes import city_changed
from reports import selectors
from reports.models import CityRollup
from schools.models import City

FIGURES, DASHBOARD = "figures", "dashboard"

# A city with no row yet is read as this version; the first write to it creates the row at 1.
NO_ROW_VERSION = 0


def city_figures(cities: list[dict], today: datetime.date) -> dict[int, selectors.CityFigures]:
    """`selectors.compute_city_figures(cities, today)`: read from the rollups where current, the
    other cities computed together and stored."""
    versions, found = _read([city["id"] for city in cities], FIGURES, today)
    missing = [city for city in cities if city["id"] not in found]
    if missing:
        computed = selectors.compute_city_figures(missing, today)
        _store({city_id: {FIGURES: value} for city_id, value in computed.items()}, versions, today)
        found |= computed
    return found


def city_dashboard(city: dict, today: datetime.date) -> selectors.CityDashboard:
    """`selectors.compute_city_dashboard(city, today)`, from the city's rollup where current;
    computing it stores the city's figures too (the dashboard holds them)."""
    versions, found = _read([city["id"]], DASHBOARD, today)
    dashboard = found.get(city["id"])
    if dashboard is None:
        dashboard = selectors.compute_city_dashboard(city, today)
        _store({city["id"]: {DASHBOARD: dashboard, FIGURES: dashboard.city}}, versions, today)
    return dashboard


def _key(today: datetime.date, version: int) -> str:
    return f"{settings.RELEASE_ID}:{today.isoformat()}:{version}"


def _read(city_ids: list[int], kind: str, today: datetime.date) -> tuple[dict, dict]:
    """The cities' versions, and the stored values of `kind` that are current, in one query."""
    rows = CityRollup.objects.filter(city_id__in=city_ids).values_list(
        "city_id", "version", f"{kind}_key", kind
    )
    versions = dict.fromkeys(city_ids, NO_ROW_VERSION)
    found = {}
    for city_id, version, key, value in rows:
        versions[city_id] = version
        if value is not None and key == _key(today, version):
            found[city_id] = pickle.loads(value)  # noqa: S301 (written by _store only)
    return versions, found


def _store(values: dict[int, dict[str, object]], versions: dict, today: datetime.date) -> None:
    """Keep each city's computed values under the version read before computing them, in one
    query. A city's row is created if missing; an existing row keeps its version, so a value
    computed before a write lands under a version that is no longer current."""
    kinds = sorted({kind for by_kind in values.values() for kind in by_kind})
    rows = [
        CityRollup(
            city_id=city_id,
            version=versions[city_id],
            **{
                field: value
                for kind, computed in by_kind.items()
                for field, value in (
                    (f"{kind}_key", _key(today, versions[city_id])),
                    (kind, pickle.dumps(computed, protocol=pickle.HIGHEST_PROTOCOL)),
                )
            },
        )
        # In the order of the cities, as the writers' moves: concurrent upserts lock rows in one
        # order and cannot deadlock.
        for city_id, by_kind in sorted(values.items())
    ]
    # Keeping them is a saving, never a reason to fail a page: a city deleted while its figures
    # were computed has nothing left to keep, and a database busy past its timeout (SQLite) is
    # asked again on the next read.
    with contextlib.suppress(IntegrityError, OperationalError):
        CityRollup.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["city"],
            update_fields=[field for kind in kinds for field in (f"{kind}_key", kind)],
        )


def move_versions(city_ids: frozenset[int] | None) -> None:
    """A new version for these cities' rollups (None: every city's), creating the rows of cities
    that have none: one statement, whatever the number of cities."""
    table = connection.ops.quote_name(CityRollup._meta.db_table)
    cities = connection.ops.quote_name(City._meta.db_table)
    if city_ids is None:
        where, params = "WHERE 1 = 1", []  # SQLite needs a WHERE before an upsert's ON CONFLICT
    else:
        if not city_ids:
            return
        params = sorted(city_ids)
        where = f"WHERE id IN ({', '.join(['%s'] * len(params))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (city_id, version, figures_key, dashboard_key) "  # noqa: S608
            f"SELECT id, {NO_ROW_VERSION + 1}, '', '' FROM {cities} {where} ORDER BY id "
            f"ON CONFLICT (city_id) DO UPDATE SET version = {table}.version + 1",
            params,
        )


def _on_city_changed(sender, city_ids, **kwargs) -> None:
    move_versions(city_ids)


def connect() -> None:
    city_changed.connect(_on_city_changed, dispatch_uid="reports-rollups")
