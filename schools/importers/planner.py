"""What an import would change: records to create, to update (with each field's old and new
value), unchanged, skipped, and the reasons it cannot go ahead.

The planner reads the database a fixed number of times whatever the file's size: one query for
the existing records by NCES ID (in chunks of CHUNK IDs for national files), one for the cities
of the file's states, one for the districts of the schools' LEAIDs and one for the networks.
A value the file does not know (None) never overwrites a known one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schools.importers.layouts import DISTRICTS
from schools.importers.networks import NetworkMap
from schools.importers.parsing import RowError
from schools.importers.records import ReadResult
from schools.models import CharterNetwork, CharterSchool, City, District

CHUNK = 5000

CityKey = tuple[str, str]  # (casefolded name, state)


def city_key(name: str, state: str) -> CityKey:
    return (name.casefold(), state)


@dataclass
class Change:
    """One record to create or update. `values` maps model attnames to their new values, except
    "city" (a CityKey) and "network" (a casefolded network name), resolved when writing."""

    row: int
    nces_id: str
    name: str
    values: dict[str, object]
    diffs: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    instance: object | None = None


@dataclass
class Plan:
    kind: str
    layout: str
    rows: int
    creates: list[Change] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skipped: int = 0
    filtered: int = 0
    errors: list[RowError] = field(default_factory=list)
    column_names: dict[str, str] = field(default_factory=dict)
    cities: dict[CityKey, City] = field(default_factory=dict)
    new_cities: dict[CityKey, tuple[str, str]] = field(default_factory=dict)
    networks: dict[str, CharterNetwork] = field(default_factory=dict)
    new_networks: dict[str, str] = field(default_factory=dict)
    operator_types: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({(error.source, error.row) for error in self.errors})

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.creates),
            "updated": len(self.updates),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "filtered": self.filtered,
            "cities_created": len(self.new_cities),
            "networks_created": len(self.new_networks),
        }


def plan_import(result: ReadResult, kind: str, network_map: NetworkMap | None = None) -> Plan:
    """Compare the file's records with the database; nothing is written."""
    plan = Plan(
        kind=kind,
        layout=result.detected.layout.label,
        rows=result.rows,
        skipped=result.skipped,
        filtered=result.filtered,
        errors=list(result.errors),
        column_names=_column_names(result),
    )
    if network_map is not None:
        plan.errors.extend(network_map.errors)
    records = _without_duplicates(result, plan)
    _load_cities(plan, records)
    if kind == DISTRICTS:
        _plan_districts(plan, records)
    else:
        _plan_schools(plan, records, network_map)
    _check_moves(plan)
    plan.errors.sort(key=lambda error: (error.source, error.row))
    return plan


def _column_names(result: ReadResult) -> dict[str, str]:
    """field -> the file's own header name (CHARTR09 in a 2009 file)."""
    detected = result.detected
    return {
        name: (detected.header[index].replace("\ufeff", "").strip() or name)
        for name, index in detected.columns.items()
    }


def _without_duplicates(result: ReadResult, plan: Plan) -> list:
    id_field = "leaid" if plan.kind == DISTRICTS else "nces_id"
    seen: dict[str, int] = {}
    records = []
    for record in result.records:
        key = getattr(record, id_field)
        if key in seen:
            plan.errors.append(
                RowError(
                    record.row,
                    plan.column_names.get(id_field, id_field),
                    key,
                    f"The same ID is already on row {seen[key]}.",
                )
            )
            continue
        seen[key] = record.row
        records.append(record)
    return records


def _chunks(values: list[str]):
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _load_cities(plan: Plan, records: list) -> None:
    states = sorted({record.state for record in records})
    if not states:
        return
    for city in City.objects.filter(state__in=states):
        plan.cities[city_key(city.name, city.state)] = city
    for record in records:
        key = city_key(record.city, record.state)
        if key not in plan.cities and key not in plan.new_cities:
            plan.new_cities[key] = (record.city, record.state)


def _city_label(plan: Plan, key: CityKey | None) -> str:
    if key is None:
        return ""
    city = plan.cities.get(key)
    name, state = (city.name, city.state) if city else plan.new_cities[key]
    return f"{name}, {state}"


def _current(instance, name: str):
    """The stored value of a planned field, in the planner's terms (keys for city and network)."""
    if name == "city":
        city = instance.city
        return None if city is None else city_key(city.name, city.state)
    if name == "network":
        return instance.network.name.casefold() if instance.network_id else None
    return getattr(instance, name)


def _record_change(plan: Plan, record, key: str, existing, values: dict, labels: dict) -> None:
    """File the record as a create, an update (with its diffs) or unchanged."""
    if existing is None:
        plan.creates.append(Change(record.row, key, record.name, values))
        return
    diffs = []
    for name, new in values.items():
        old = _current(existing, name)
        if old != new:
            show = labels.get(name, str)
            diffs.append((name, show(old), show(new)))
    if diffs:
        plan.updates.append(Change(record.row, key, record.name, values, diffs, existing))
    else:
        plan.unchanged += 1


def _known(values: dict) -> dict:
    return {name: value for name, value in values.items() if value is not None}


def _plan_districts(plan: Plan, records: list) -> None:
    existing: dict[str, District] = {}
    for chunk in _chunks([record.leaid for record in records]):
        existing.update(
            (district.nces_leaid, district)
            for district in District.objects.filter(nces_leaid__in=chunk).select_related("city")
        )
    labels = {"city": lambda key: _city_label(plan, key)}
    for record in records:
        values = _known(
            {
                "nces_leaid": record.leaid,
                "name": record.name,
                "city": city_key(record.city, record.state),
                "is_charter_lea": record.is_charter_lea,
            }
        )
        _record_change(plan, record, record.leaid, existing.get(record.leaid), values, labels)


def _plan_schools(plan: Plan, records: list, network_map: NetworkMap | None) -> None:
    ids = [record.nces_id for record in records]
    existing: dict[str, CharterSchool] = {}
    for chunk in _chunks(ids):
        existing.update(
            (school.nces_school_id, school)
            for school in CharterSchool.objects.filter(nces_school_id__in=chunk).select_related(
                "city", "network"
            )
        )
    leaids = sorted({record.leaid for record in records})
    districts: dict[str, int] = {}
    district_names: dict[int, str] = {}
    for chunk in _chunks(leaids):
        for pk, leaid, name in District.objects.filter(nces_leaid__in=chunk).values_list(
            "pk", "nces_leaid", "name"
        ):
            districts[leaid] = pk
            district_names[pk] = name
    if network_map is not None:
        _load_networks(plan, network_map)
    labels = {
        "city": lambda key: _city_label(plan, key),
        "district_id": lambda pk: district_names.get(pk, "" if pk is None else f"#{pk}"),
        "network": lambda key: _network_label(plan, key),
        "grade_low": lambda code: code or "",
        "grade_high": lambda code: code or "",
        "enrollment": lambda count: "" if count is None else str(count),
    }
    for record in records:
        network = None
        if network_map is not None:
            name = network_map.network_for(record.nces_id, record.leaid, record.name)
            network = name.casefold() if name else None
        values = _known(
            {
                "nces_school_id": record.nces_id,
                "name": record.name,
                "city": city_key(record.city, record.state),
                "district_id": districts.get(record.leaid),
                "network": network,
                "grade_low": record.grade_low,
                "grade_high": record.grade_high,
                "is_open": record.is_open,
                "enrollment": record.enrollment,
            }
        )
        _record_change(plan, record, record.nces_id, existing.get(record.nces_id), values, labels)


def _load_networks(plan: Plan, network_map: NetworkMap) -> None:
    plan.operator_types = network_map.operator_types
    by_name = {network.name.casefold(): network for network in CharterNetwork.objects.all()}
    for name in sorted(network_map.networks):
        key = name.casefold()
        if key in by_name:
            plan.networks[key] = by_name[key]
        else:
            plan.new_networks[key] = name


def _network_label(plan: Plan, key: str | None) -> str:
    if key is None:
        return ""
    network = plan.networks.get(key)
    return network.name if network else plan.new_networks[key]


def _check_moves(plan: Plan) -> None:
    """Refuse to move an organization out of the city of a compact it signed or takes part in.

    Compacts keep their parties in their own city (the models check it, and so does the
    database); reporting it here names the row instead of failing the whole write.
    """
    from compacts.models import Participant, Signatory

    moving = {
        change.instance.pk: change
        for change in plan.updates
        if any(name == "city" for name, _, _ in change.diffs)
    }
    if not moving:
        return
    ties = list(
        Participant.objects.filter(organization_id__in=moving).values_list(
            "organization_id", "compact__city_id", "compact__city__name"
        )
    ) + list(
        Signatory.objects.filter(leadership_term__organization_id__in=moving).values_list(
            "leadership_term__organization_id", "compact__city_id", "compact__city__name"
        )
    )
    reported = set()
    for organization_id, compact_city_id, compact_city in ties:
        change = moving[organization_id]
        new_city = plan.cities.get(change.values["city"])
        if (new_city is None or new_city.pk != compact_city_id) and organization_id not in reported:
            reported.add(organization_id)
            plan.errors.append(
                RowError(
                    change.row,
                    plan.column_names.get("city", "city"),
                    _city_label(plan, change.values["city"]),
                    f"{change.name} is a party to a compact of {compact_city}; "
                    "it cannot move to another city by import.",
                )
            )
