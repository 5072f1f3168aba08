"""Deterministic synthetic data at funder scale, for the benchmark and the query-count tests.

    python -m bench.generate --scale 1 [--force] [--anchor YYYY-MM-DD] [--seed N]

writes it into the empty database of DATABASE_URL (bench/run.sh does; --help lists the options).

`generate(scale=1)` writes 100 cities, 300 districts, 200 networks, 8,000 charter schools,
150 compacts, 2,000 leadership terms, 5,000 commitments, 15,000 milestones, 200,000 activities
and 350 users with their memberships; every count is multiplied by `scale`.

Determinism: one `random.Random(seed)` drives every choice in a fixed order, and every date is
an offset from an anchor day (`timezone.localdate()` unless given), so the "last 12 months",
overdue and stale figures look the same whenever the data is generated. The digest returned is a
SHA-256 of every generated row with its references expressed as positions in the generated
lists (never database ids), so the same seed, scale and anchor give the same digest on SQLite
and PostgreSQL.

Speed: rows go in with `bulk_create` in batches. Multi-table inheritance children (District,
CharterNetwork, CharterSchool) cannot be bulk-created by Django, so their Organization parents are
bulk-created first and the children's own columns are then inserted with plain multi-row
INSERTs that reuse the parents' ids (core.bulk, shared with the NCES importer), which is correct
on both SQLite and PostgreSQL. Activities, the bulk of the data, go in as plain rows too.

No history rows are written: bench data is generated, not edited, so its history tables stay
empty (and usable: the first edit of a generated record writes its first history row).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import itertools
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import django
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

if __name__ == "__main__":
    # Run as a script, not through manage.py: settings and apps load before the models below.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from accounts.choices import Role
from accounts.models import Membership
from compacts.choices import (
    ActivityKind,
    Category,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
    ResponsibleParty,
)
from compacts.models import Activity, Commitment, Compact, Grant, Milestone, Participant, Signatory
from core.bulk import bulk_create_children, insert_rows
from core.changes import cities_changed
from schools.choices import (
    DatePrecision,
    EndReason,
    LeadershipRole,
    OperatorType,
    OrganizationKind,
)
from schools.models import (
    CharterNetwork,
    CharterSchool,
    City,
    District,
    LeadershipTerm,
    Organization,
    Person,
)

DEFAULT_SEED = 20100601
BATCH_SIZE = 5000

# Counts at scale 1 (issue 8).
SCALE_1 = {
    "cities": 100,
    "districts": 300,
    "networks": 200,
    "charter_schools": 8000,
    "compacts": 150,
    "leadership_terms": 2000,
    "commitments": 5000,
    "milestones": 15000,
    "activities": 200000,
    "users": 350,
    # Not named by the issue; in proportion to the rest.
    "grants": 300,
    "funders": 12,
}

BENCH_VIEWER = "bench-viewer"
BENCH_ADMIN = "bench-admin"
# Editors of every city, so that the write benchmark has two distinct signed-in editors.
BENCH_EDITORS = ("bench-editor-1", "bench-editor-2")

# FIPS codes start a state's LEAIDs (Texas districts are 48xxxxx).
STATE_FIPS = {
    "AL": 1, "AK": 2, "AZ": 4, "AR": 5, "CA": 6, "CO": 8, "CT": 9, "DE": 10, "DC": 11, "FL": 12,
    "GA": 13, "HI": 15, "ID": 16, "IL": 17, "IN": 18, "IA": 19, "KS": 20, "KY": 21, "LA": 22,
    "ME": 23, "MD": 24, "MA": 25, "MI": 26, "MN": 27, "MS": 28, "MO": 29, "MT": 30, "NE": 31,
    "NV": 32, "NH": 33, "NJ": 34, "NM": 35, "NY": 36, "NC": 37, "ND": 38, "OH": 39, "OK": 40,
    "OR": 41, "PA": 42, "RI": 44, "SC": 45, "SD": 46, "TN": 47, "TX": 48, "UT": 49, "VT": 50,
    "VA": 51, "WA": 53, "WV": 54, "WI": 55, "WY": 56,
}  # fmt: skip
# Where charter schools are: heavier weights for the states with the most compacts.
STATE_WEIGHTS = {
    "TX": 12, "CA": 12, "FL": 6, "NY": 6, "OH": 5, "LA": 4, "CO": 4, "MI": 4, "AZ": 4, "PA": 4,
    "IL": 3, "GA": 3, "MA": 3, "MN": 3, "TN": 3, "NC": 3, "DC": 2, "IN": 2, "MO": 2, "NJ": 2,
    "WI": 2, "UT": 2, "NV": 2, "OR": 2, "WA": 1, "RI": 1, "CT": 1, "DE": 1, "NM": 1, "OK": 1,
}  # fmt: skip

CITY_STEMS = [
    "Oak", "Maple", "River", "Lake", "Cedar", "Spring", "Pine", "Fair", "Green", "Hill", "Brook",
    "Stone", "Clear", "Red", "West", "North", "East", "South", "Silver", "Golden", "Ash", "Elm",
    "Bay", "Port", "Glen", "Mill", "Wood", "Rock", "Sand", "Willow",
]  # fmt: skip
CITY_ENDINGS = [
    "ville", "ton", " Falls", "field", "wood", "dale", "port", " City", "burg", "ford",
    " Heights", " Springs",
]  # fmt: skip
NETWORK_FIRST = [
    "Bright", "Rising", "Great", "New", "First", "True", "Brave", "Open", "Noble", "Ascend",
    "Uncommon", "Achieve", "Bold", "Summit", "Lighthouse", "Keystone",
]  # fmt: skip
NETWORK_SECOND = [
    "Futures", "Minds", "Scholars", "Horizons", "Paths", "Roads", "Pathways", "Leaders", "Stars",
    "Bridges", "Voices", "Promise",
]  # fmt: skip
NETWORK_THIRD = ["Public Schools", "Academies", "Schools", "Prep", "Charter Network", "Learning"]
SCHOOL_WORDS = [
    "Harmony", "Excel", "Pinnacle", "Horizon", "Legacy", "Summit", "Bridge", "Beacon", "Compass",
    "Frontier", "Unity", "Vanguard", "Promise", "Voyager", "Pioneer", "Heritage", "Liberty",
    "Discovery", "Ingenuity", "Meridian",
]  # fmt: skip
SCHOOL_KINDS = [
    "Academy", "Charter School", "Prep", "Leadership Academy", "STEM Academy", "Arts Academy",
    "Collegiate", "Montessori",
]  # fmt: skip
CAMPUSES = [
    "North", "South", "East", "West", "Central", "Heights", "Park", "Valley", "Ridge", "Gateway",
    "Riverside", "Lakeside", "Downtown", "Midtown", "Uptown", "Hillside",
]  # fmt: skip
FIRST_NAMES = [
    "Maria", "James", "Aisha", "Robert", "Linda", "Carlos", "Patricia", "Michael", "Nguyen",
    "Jennifer", "David", "Keisha", "William", "Elena", "Richard", "Grace", "Joseph", "Fatima",
    "Thomas", "Rosa", "Daniel", "Susan", "Marcus", "Karen", "Anthony", "Mei", "Steven", "Laura",
    "Andre", "Helen", "Kevin", "Sandra", "Brian", "Yolanda", "Jorge", "Denise",
]  # fmt: skip
LAST_NAMES = [
    "Garcia", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
    "Campbell", "Mitchell", "Carter",
]  # fmt: skip
FUNDER_WORDS = [
    "Cedar", "Harbor", "Lantern", "Meadow", "Granite", "Beacon", "Northstar", "Keystone", "Oakhill",
    "Riverbend", "Sunrise", "Evergreen",
]  # fmt: skip
FUNDER_KINDS = ["Foundation", "Family Fund", "Education Trust", "Philanthropies"]

COMMITMENT_TITLES = {
    "FUND": ["Share local levy and bond proceeds equitably", "Adopt a per-pupil funding formula"],
    "FAC": ["Open unused district buildings to charter lease", "Co-locate schools by agreement"],
    "ENR": ["Launch a common enrollment system", "Agree a mid-year entry policy"],
    "ACCT": ["Publish a common school report card", "Adopt one accountability framework"],
    "EQ": ["Serve a fair share of students with disabilities", "Align expulsion policies"],
    "SPED": ["Share special-education services", "Set up a joint special-education fund"],
    "TRANS": ["Provide transportation to charter students", "Coordinate bus routes"],
    "SVC": ["Share food-service contracts", "Pool purchasing of supplies"],
    "REPL": ["Replicate high-performing schools", "Invite proven operators to expand"],
    "TURN": ["Restart the lowest-performing schools", "Agree a school closure protocol"],
    "LOC": ["Place new schools in highest-need areas", "Map seats against need"],
    "DATA": ["Share student-level data securely", "Publish a citywide data dashboard"],
    "ADV": ["Advocate jointly for state funding", "Align legislative priorities"],
    "PD": ["Run joint professional development", "Open classrooms for practice visits"],
    "ELL": ["Share English-learner practice", "Co-train English-learner specialists"],
    "LEAD": ["Build a shared principal pipeline", "Co-recruit teachers"],
    "INNOV": ["Pilot blended learning together", "Fund innovation grants across sectors"],
    "GOV": ["Meet as a compact steering committee", "Publish compact minutes"],
}
ACTIVITY_TITLES = {
    ActivityKind.MEETING: ["Steering committee meeting", "Compact council meeting", "Roundtable"],
    ActivityKind.JOINT_PD: ["Joint PD: early literacy", "Joint PD: math", "Shared PD day"],
    ActivityKind.WORKING_GROUP: ["Enrollment working group", "Facilities working group"],
    ActivityKind.PUBLIC_EVENT: ["Community forum", "Citywide school fair"],
    ActivityKind.REPORT: ["Annual compact report", "Progress report to the board"],
    ActivityKind.OTHER: ["School visits", "Principal exchange"],
}
GRADE_SPANS = [
    ("KG", "05"), ("PK", "05"), ("KG", "08"), ("06", "08"), ("09", "12"), ("06", "12"),
    ("KG", "12"), ("PK", "08"), ("05", "08"), ("UG", "UG"),
]  # fmt: skip


def _weighted(rng: random.Random, table: Sequence[tuple[object, float]]):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights)[0]


COMPACT_LAST_STATUS = [
    (CompactStatus.ACTIVE, 62),
    (CompactStatus.RENEWED, 20),
    (CompactStatus.LAPSED, 8),
    (CompactStatus.TERMINATED, 5),
    (CompactStatus.DRAFT, 5),
]
COMMITMENT_STATUS_LIVE = [
    (CommitmentStatus.NOT_STARTED, 10),
    (CommitmentStatus.IN_PROGRESS, 40),
    (CommitmentStatus.ACHIEVED, 28),
    (CommitmentStatus.STALLED, 12),
    (CommitmentStatus.ABANDONED, 5),
    (CommitmentStatus.SUPERSEDED, 5),
]
COMMITMENT_STATUS_ENDED = [
    (CommitmentStatus.IN_PROGRESS, 10),
    (CommitmentStatus.ACHIEVED, 35),
    (CommitmentStatus.STALLED, 25),
    (CommitmentStatus.ABANDONED, 20),
    (CommitmentStatus.SUPERSEDED, 10),
]
ACTIVITY_KINDS = [
    (ActivityKind.MEETING, 45),
    (ActivityKind.WORKING_GROUP, 20),
    (ActivityKind.JOINT_PD, 15),
    (ActivityKind.PUBLIC_EVENT, 8),
    (ActivityKind.REPORT, 7),
    (ActivityKind.OTHER, 5),
]
END_REASONS = [
    (EndReason.STEPPED_DOWN, 35),
    (EndReason.TERM_ENDED, 25),
    (EndReason.RETIRED, 15),
    (EndReason.MOVED, 15),
    (EndReason.DISMISSED, 7),
    (EndReason.OTHER, 3),
]


def scaled_counts(scale: float) -> dict[str, int]:
    """The number of records of each kind generated at `scale` (at least one of each, two users:
    the bench viewer and the bench admin)."""
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    counts = {name: max(1, int(base * scale + 0.5)) for name, base in SCALE_1.items()}
    counts["users"] = max(counts["users"], 2)
    counts["districts"] = max(counts["districts"], counts["cities"])
    return counts


def distribute(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` into len(weights) shares proportional to the weights (largest remainder),
    each at least `minimum` when the total allows it, the heaviest first otherwise."""
    n = len(weights)
    if n == 0:
        return []
    if total < minimum * n:
        shares = [0] * n
        for i in sorted(range(n), key=lambda i: -weights[i])[:total]:
            shares[i] = 1
        return shares
    rest = total - minimum * n
    weight_sum = sum(weights) or 1.0
    exact = [rest * w / weight_sum for w in weights]
    shares = [minimum + int(x) for x in exact]
    left = total - sum(shares)
    by_remainder = sorted(range(n), key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


def unique_names(rng: random.Random, parts: Sequence[Sequence[str]], n: int, sep=" ") -> list[str]:
    """n distinct names combined from the parts, in a seeded order; numbered past the supply."""
    pool = [sep.join(combo) for combo in itertools.product(*parts)]
    rng.shuffle(pool)
    names = pool[:n]
    round_no = 2
    while len(names) < n:
        names.extend(f"{name} {round_no}" for name in pool[: n - len(names)])
        round_no += 1
    return names


@dataclass
class Result:
    """What was generated: row counts per model, the digest, the anchor day, seconds per step."""

    counts: dict[str, int] = field(default_factory=dict)
    digest: str = ""
    anchor: datetime.date | None = None
    timings: dict[str, float] = field(default_factory=dict)


@contextlib.contextmanager
def _explicit_updated_at():
    """Let bulk inserts keep the generated `updated_at` instead of "now".

    Stale commitments need last touches spread over years; `auto_now` would stamp every row with
    the generation time, and a second UPDATE pass would rewrite 200,000 rows.
    """
    fields = [
        model._meta.get_field("updated_at")
        for model in (City, Organization, Person, LeadershipTerm, Membership)
        + (Compact, Signatory, Participant, Commitment, Milestone, Activity, Grant)
    ]
    saved = [f.auto_now for f in fields]
    try:
        for f in fields:
            f.auto_now = False
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now = value


def _root(model) -> type[models.Model]:
    parents = model._meta.get_parent_list()
    return parents[-1] if parents else model._meta.concrete_model


class _Writer:
    """Inserts rows in batches and folds each into the digest, references as list positions."""

    def __init__(self) -> None:
        self.hasher = hashlib.sha256()
        self.positions: dict[type, dict[int, int]] = {}
        self.counts: dict[str, int] = {}

    def _fingerprint(self, model, obj, skip: Iterable[str] = ()) -> tuple:
        values = [model.__name__]
        for f in model._meta.concrete_fields:
            if f.primary_key or f.attname in skip:
                continue
            value = getattr(obj, f.attname)
            if f.is_relation and value is not None:
                value = self.positions[_root(f.related_model)][value]
            values.append(value)
        return tuple(values)

    def _remember(self, model, objs) -> None:
        table = self.positions.setdefault(_root(model), {})
        for obj in objs:
            table[obj.pk] = len(table)

    def _count(self, model, n: int) -> None:
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + n

    def insert(self, model, objs: list, skip: Iterable[str] = (), remember: bool = True) -> list:
        skip = set(skip)
        for obj in objs:
            self.hasher.update(repr(self._fingerprint(model, obj, skip)).encode())
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        if remember:
            self._remember(model, objs)
        self._count(model, len(objs))
        return objs

    def insert_children(self, model, objs: list) -> list:
        """Multi-table inheritance: the Organization parents in bulk, then the child rows."""
        for obj in objs:
            self.hasher.update(repr(self._fingerprint(model, obj)).encode())
        bulk_create_children(model, objs, batch_size=BATCH_SIZE)
        self._remember(model, objs)
        self._count(model, len(objs))
        return objs

    @staticmethod
    def row_fields(model) -> list:
        """The columns of `insert_rows`, in order: every concrete field but the primary key."""
        return [f for f in model._meta.concrete_fields if not f.primary_key]

    def insert_rows(self, model, rows: list[tuple]) -> None:
        """Plain rows (values in `row_fields` order) for a table nothing else points at: no model
        instances, the cheapest way to write 200,000 activities on any backend."""
        fields = self.row_fields(model)
        relations = [
            (i, self.positions[_root(f.related_model)])
            for i, f in enumerate(fields)
            if f.is_relation
        ]
        for row in rows:
            values = list(row)
            for i, positions in relations:
                if values[i] is not None:
                    values[i] = positions[values[i]]
            self.hasher.update(repr((model.__name__, *values)).encode())
        insert_rows(model, fields, rows)
        self._count(model, len(rows))


def _stamp(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A working-hours instant on `day`, in UTC."""
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=datetime.UTC
    )


class _Generator:
    def __init__(self, *, scale: float, seed: int, anchor: datetime.date, password_hash: str):
        self.rng = random.Random(seed)
        self.n = scaled_counts(scale)
        self.anchor = anchor
        self.password_hash = password_hash
        self.w = _Writer()

    # --- dates -----------------------------------------------------------------------------
    def ago(self, days: int) -> datetime.date:
        return self.anchor - datetime.timedelta(days=days)

    def between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def stamp(self, day: datetime.date) -> datetime.datetime:
        # Timestamps stay before the anchor day, so none lies in the future.
        return _stamp(min(day, self.ago(1)), self.rng)

    # --- the steps, in a fixed order ---------------------------------------------------------
    def run(self) -> Result:
        timings = {}
        for step in (
            self.cities,
            self.organizations,
            self.leadership,
            self.compacts,
            self.signatories_and_participants,
            self.commitments,
            self.milestones,
            self.activities,
            self.grants,
            self.users,
        ):
            started = time.monotonic()
            step()
            timings[step.__name__] = time.monotonic() - started
        return Result(
            counts=self.w.counts,
            digest=self.w.hasher.hexdigest(),
            anchor=self.anchor,
            timings=timings,
        )

    def cities(self) -> None:
        rng, n = self.rng, self.n["cities"]
        names = unique_names(rng, [CITY_STEMS, CITY_ENDINGS], n, sep="")
        states = list(STATE_WEIGHTS)
        weights = list(STATE_WEIGHTS.values())
        rows = []
        for name in names:
            created = self.stamp(self.ago(rng.randint(3650, 4000)))
            rows.append(
                City(
                    name=name,
                    state=rng.choices(states, weights=weights)[0],
                    slug=slugify(name),
                    created_at=created,
                    updated_at=created,
                )
            )
        self.city_list = self.w.insert(City, rows)
        # A few big cities and a long tail, like the real charter sector.
        self.city_weight = [rng.lognormvariate(0, 0.8) for _ in self.city_list]

    def _org(self, name: str, kind: str, city, days_ago: int) -> dict:
        created = self.stamp(self.ago(days_ago))
        return {
            "name": name,
            "kind": kind,
            "city_id": city.pk if city else None,
            "created_at": created,
            "updated_at": created,
        }

    def districts(self) -> None:
        """One or more districts per city (about one in eight a charter LEA), LEAIDs per state."""
        rng = self.rng
        leaid_next = {state: rng.randint(100, 9000) for state in STATE_FIPS}
        per_city = distribute(self.n["districts"], self.city_weight, minimum=1)
        rows, self.city_districts = [], {c.pk: [] for c in self.city_list}
        for city, count in zip(self.city_list, per_city, strict=True):
            for k in range(count):
                charter_lea = k > 0 and rng.random() < 0.35
                if k == 0:
                    name = f"{city.name} ISD"
                elif charter_lea:
                    name = f"{city.name} Charter LEA {k}"
                else:
                    name = f"{city.name} {CAMPUSES[k % len(CAMPUSES)]} ISD"
                leaid_next[city.state] += rng.randint(1, 40)
                district = District(
                    **self._org(name, OrganizationKind.DISTRICT, city, rng.randint(3650, 4000)),
                    nces_leaid=f"{STATE_FIPS[city.state]:02d}{leaid_next[city.state]:05d}",
                    is_charter_lea=charter_lea,
                )
                rows.append(district)
                self.city_districts[city.pk].append(district)
        self.district_list = self.w.insert_children(District, rows)

    def networks(self) -> None:
        """Networks belong to no single city; each operates in one to eight cities."""
        rng = self.rng
        names = unique_names(
            rng, [NETWORK_FIRST, NETWORK_SECOND, NETWORK_THIRD], self.n["networks"]
        )
        operator_types = [
            (OperatorType.NONPROFIT_CMO, 80),
            (OperatorType.FOR_PROFIT_EMO, 15),
            (OperatorType.OTHER, 5),
        ]
        rows, self.city_networks = [], {c.pk: [] for c in self.city_list}
        for name in names:
            network = CharterNetwork(
                **self._org(name, OrganizationKind.CHARTER_NETWORK, None, rng.randint(2000, 4000)),
                slug=slugify(name),
                operator_type=_weighted(rng, operator_types),
                headquarters_state=self.city_list[rng.randrange(len(self.city_list))].state,
            )
            rows.append(network)
            footprint = 1 + min(int(rng.expovariate(0.6)), 7)
            for city in rng.choices(self.city_list, weights=self.city_weight, k=footprint):
                if network not in self.city_networks[city.pk]:
                    self.city_networks[city.pk].append(network)
        self.network_list = self.w.insert_children(CharterNetwork, rows)

    def schools(self) -> None:
        """Charter schools in a district of their city (the NCES ID extends its LEAID), six in ten
        run by a network operating there; about one in twelve closed."""
        rng = self.rng
        per_city = distribute(self.n["charter_schools"], self.city_weight, minimum=1)
        rows, school_no = [], {}
        self.city_schools = {c.pk: [] for c in self.city_list}
        for city, count in zip(self.city_list, per_city, strict=True):
            districts, networks = self.city_districts[city.pk], self.city_networks[city.pk]
            for _ in range(count):
                district = districts[0 if rng.random() < 0.7 else rng.randrange(len(districts))]
                leaid = district.nces_leaid
                school_no[leaid] = school_no.get(leaid, 0) + 1 + (rng.random() < 0.2)
                network = None
                if networks and rng.random() < 0.6:
                    network = networks[rng.randrange(len(networks))]
                if network is not None:
                    stem = " ".join(network.name.split(" ")[:2])
                    name = f"{stem} {CAMPUSES[rng.randrange(len(CAMPUSES))]}"
                else:
                    name = (
                        f"{SCHOOL_WORDS[rng.randrange(len(SCHOOL_WORDS))]} "
                        f"{SCHOOL_KINDS[rng.randrange(len(SCHOOL_KINDS))]}"
                    )
                low, high = GRADE_SPANS[rng.randrange(len(GRADE_SPANS))]
                opened = rng.randint(1996, self.anchor.year)
                days_ago = max(30, (self.anchor.year - opened) * 365)
                school = CharterSchool(
                    **self._org(name, OrganizationKind.CHARTER_SCHOOL, city, days_ago),
                    nces_school_id=f"{leaid}{school_no[leaid]:05d}",
                    district_id=district.pk,
                    network_id=network.pk if network else None,
                    grade_low=low,
                    grade_high=high,
                    opened_year=opened,
                    enrollment=rng.randint(120, 1400),
                    is_open=rng.random() < 0.92,
                )
                rows.append(school)
                self.city_schools[city.pk].append(school)
        self.w.insert_children(CharterSchool, rows)

    def other_organizations(self) -> None:
        """A city government per city, a charter association in six cities of ten, funders."""
        rng = self.rng
        rows, self.city_government, self.city_association = [], {}, {}
        for city in self.city_list:
            government = Organization(
                **self._org(f"City of {city.name}", OrganizationKind.CITY_GOVERNMENT, city, 4000)
            )
            rows.append(government)
            self.city_government[city.pk] = government
            if rng.random() < 0.6:
                association = Organization(
                    **self._org(
                        f"{city.name} Charter Schools Association",
                        OrganizationKind.CHARTER_ASSOCIATION,
                        city,
                        rng.randint(3000, 4000),
                    )
                )
                rows.append(association)
                self.city_association[city.pk] = association
        self.funder_list = [
            Organization(**self._org(name, OrganizationKind.FUNDER, None, 4000))
            for name in unique_names(rng, [FUNDER_WORDS, FUNDER_KINDS], self.n["funders"])
        ]
        self.w.insert(Organization, rows + self.funder_list)

    def organizations(self) -> None:
        self.districts()
        self.networks()
        self.schools()
        self.other_organizations()

    def leadership(self) -> None:
        """Seats (organization, role) with chains of consecutive terms over twelve years or so:
        most seats have a leader in post, some are vacant, a few leaders have announced a
        departure date."""
        rng = self.rng
        first_districts = [self.city_districts[c.pk][0] for c in self.city_list]
        seats = (
            [(d, LeadershipRole.SUPERINTENDENT, "Superintendent", 3.0) for d in first_districts]
            + [
                (self.city_government[c.pk], LeadershipRole.MAYOR, "Mayor", 2.0)
                for c in self.city_list
            ]
            + [
                (d, LeadershipRole.SUPERINTENDENT, "Superintendent", 3.0)
                for d in self.district_list
                if d not in first_districts
            ]
            + [(d, LeadershipRole.BOARD_CHAIR, "Board President", 1.5) for d in first_districts]
            + [
                (a, LeadershipRole.ASSOCIATION_HEAD, "Executive Director", 1.0)
                for a in self.city_association.values()
            ]
            + [
                (n, LeadershipRole.NETWORK_CEO, "Chief Executive Officer", 1.5)
                for n in self.network_list
            ]
        )
        total = self.n["leadership_terms"]
        seats = seats[:total]
        terms_per_seat = [1] * len(seats)
        extra = total - len(seats)
        if extra > 0:
            cum = list(itertools.accumulate(seat[3] for seat in seats))
            for i in rng.choices(range(len(seats)), cum_weights=cum, k=extra):
                terms_per_seat[i] += 1

        plans = []  # (seat, started_on, ended_on, end_reason)
        for seat, k in zip(seats, terms_per_seat, strict=True):
            start = self.ago(rng.randint(11 * 365, 14 * 365))
            length = (self.anchor - start).days
            bounds = [start]
            for i in range(1, k):
                jitter = int(rng.uniform(-0.2, 0.2) * length / k)
                bounds.append(start + datetime.timedelta(days=length * i // k + jitter))
            for i in range(k):
                started = bounds[i]
                if i > 0 and rng.random() < 0.3:
                    started += datetime.timedelta(days=rng.randint(7, 45))
                if i < k - 1:
                    ended = max(started, bounds[i + 1] - datetime.timedelta(days=1))
                else:
                    roll = rng.random()
                    if roll < 0.88:
                        ended = None
                    elif roll < 0.96:
                        ended = max(started, self.ago(rng.randint(10, 200)))
                    else:
                        ended = self.anchor + datetime.timedelta(days=rng.randint(30, 180))
                reason = _weighted(rng, END_REASONS) if ended else ""
                plans.append((seat, started, ended, reason))

        people = []
        for i, (_seat, started, _ended, _reason) in enumerate(plans):
            first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
            last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
            created = self.stamp(started)
            people.append(
                Person(
                    full_name=f"{first} {last}",
                    email=f"{first}.{last}{i}@example.org".lower() if rng.random() < 0.5 else "",
                    created_at=created,
                    updated_at=created,
                )
            )
        self.w.insert(Person, people)

        terms, self.seat_terms = [], {}
        for person, (seat, started, ended, reason) in zip(people, plans, strict=True):
            organization, role, title, _weight = seat
            created = self.stamp(started)
            term = LeadershipTerm(
                person_id=person.pk,
                organization_id=organization.pk,
                role=role,
                title=title,
                started_on=started,
                ended_on=ended,
                end_reason=reason,
                source_url=(
                    f"https://news.example.org/leaders/{len(terms) + 1}"
                    if rng.random() < 0.3
                    else ""
                ),
                created_at=created,
                updated_at=self.stamp(max(started, min(ended or started, self.anchor))),
            )
            terms.append(term)
            self.seat_terms.setdefault((organization.pk, role), []).append(term)
        self.w.insert(LeadershipTerm, terms)

    def compacts(self) -> None:
        """Compacts signed over ten years; in a city with several, the earlier ones were
        superseded or lapsed. Most last compacts are live (active or renewed)."""
        rng = self.rng
        per_city = distribute(self.n["compacts"], self.city_weight, minimum=1)
        rows, self.compact_meta = [], []
        for city, weight, count in zip(self.city_list, self.city_weight, per_city, strict=True):
            if count == 0:
                continue
            slot = (3650 - 120) // count
            # Signing days ascending, at least half a slot apart.
            signed_days = [
                self.ago(3650 - slot * i - rng.randint(slot // 5, slot * 4 // 5))
                for i in range(count)
            ]
            for i, signed in enumerate(signed_days):
                last = i == count - 1
                precision = _weighted(
                    rng,
                    [(DatePrecision.DAY, 80), (DatePrecision.MONTH, 15)]
                    + ([(DatePrecision.YEAR, 5)] if i == 0 else []),
                )
                if precision == DatePrecision.MONTH:
                    signed = signed.replace(day=1)
                elif precision == DatePrecision.YEAR:
                    signed = signed.replace(month=1, day=1)
                if not last:
                    following = signed_days[i + 1].replace(day=1) - datetime.timedelta(days=1)
                    if rng.random() < 0.7:
                        status, ended = CompactStatus.SUPERSEDED, following
                    else:
                        status = CompactStatus.LAPSED
                        ended = self.between(signed + datetime.timedelta(days=365), following)
                    ended = max(signed, ended)
                else:
                    status = _weighted(rng, COMPACT_LAST_STATUS)
                    if city is self.city_list[0]:
                        # At least one live compact at any scale: the benchmark needs one.
                        status = CompactStatus.ACTIVE
                    ended = None
                    if status in (CompactStatus.LAPSED, CompactStatus.TERMINATED):
                        ended = max(
                            signed,
                            self.between(signed + datetime.timedelta(days=365), self.ago(30)),
                        )
                    elif status == CompactStatus.DRAFT:
                        signed = self.ago(rng.randint(10, 120))
                        precision = DatePrecision.DAY
                school_year = signed.year if signed.month >= 7 else signed.year - 1
                title = (
                    f"{city.name} District-Charter Collaboration Compact"
                    if i == 0
                    else f"{city.name} Compact Renewal ({signed.year})"
                )
                end = min(ended or self.anchor, self.anchor)
                rows.append(
                    Compact(
                        city_id=city.pk,
                        title=title,
                        signed_on=signed,
                        signed_on_precision=precision,
                        cohort=f"{school_year}-{(school_year + 1) % 100:02d}",
                        status=status,
                        ended_on=ended,
                        document_url=(
                            f"https://documents.example.org/compacts/{city.slug}-{signed.year}.pdf"
                            if rng.random() < 0.8
                            else ""
                        ),
                        summary=(
                            f"The district and charter leaders of {city.name} agree to share "
                            "enrollment, facilities and accountability."
                        ),
                        created_at=self.stamp(signed),
                        updated_at=self.stamp(end),
                    )
                )
                live = status in (CompactStatus.ACTIVE, CompactStatus.RENEWED)
                self.compact_meta.append(
                    {
                        "city": city,
                        "weight": weight,
                        "signed": signed,
                        "end": end,
                        "status": status,
                        "live": live,
                        "draft": status == CompactStatus.DRAFT,
                        # Quiet compacts record meetings but no achievement in the last year:
                        # the "collaboration in name only" flag.
                        "quiet": live and rng.random() < 0.15,
                    }
                )
        self.compact_list = self.w.insert(Compact, rows)
        for compact, meta in zip(self.compact_list, self.compact_meta, strict=True):
            meta["compact"] = compact

    def _term_on(self, organization, role, day: datetime.date):
        for term in self.seat_terms.get((organization.pk, role), ()):
            if term.started_on <= day and (term.ended_on is None or term.ended_on >= day):
                return term
        return None

    def signatories_and_participants(self) -> None:
        """Signatories: the leaders in post on signing day at the city's seats (draft compacts
        have none). Participants: every district of the city, most networks operating there,
        a third of its independent schools."""
        rng = self.rng
        signatories, participants = [], []
        for meta in self.compact_meta:
            compact, city, signed = meta["compact"], meta["city"], meta["signed"]
            districts = self.city_districts[city.pk]
            networks = self.city_networks[city.pk]
            if not meta["draft"]:
                seats = [
                    (districts[0], LeadershipRole.SUPERINTENDENT),
                    (self.city_government[city.pk], LeadershipRole.MAYOR),
                    (districts[0], LeadershipRole.BOARD_CHAIR),
                ]
                if city.pk in self.city_association:
                    seats.append((self.city_association[city.pk], LeadershipRole.ASSOCIATION_HEAD))
                seats += [(d, LeadershipRole.SUPERINTENDENT) for d in districts[1:3]]
                seats += [(n, LeadershipRole.NETWORK_CEO) for n in networks[:2]]
                seen = set()
                for organization, role in seats:
                    term = self._term_on(organization, role, signed)
                    if term is None or term.pk in seen:
                        continue
                    seen.add(term.pk)
                    signatories.append(
                        Signatory(
                            compact_id=compact.pk,
                            leadership_term_id=term.pk,
                            created_at=self.stamp(signed),
                            updated_at=self.stamp(signed),
                        )
                    )
            joining = (
                list(districts)
                + [n for n in networks if rng.random() < 0.7]
                + [
                    s
                    for s in self.city_schools[city.pk]
                    if (s.network_id is None and rng.random() < 0.35) or rng.random() < 0.03
                ]
            )
            meta["participants"] = []
            for organization in joining:
                joined = signed
                if organization.kind != OrganizationKind.DISTRICT and rng.random() < 0.4:
                    joined = self.between(
                        signed, min(meta["end"], signed + datetime.timedelta(days=730))
                    )
                left = None
                if rng.random() < 0.1:
                    left = joined + datetime.timedelta(days=rng.randint(180, 1500))
                participant = Participant(
                    compact_id=compact.pk,
                    organization_id=organization.pk,
                    joined_on=joined,
                    left_on=left,
                    created_at=self.stamp(joined),
                    updated_at=self.stamp(min(left or joined, self.anchor)),
                )
                participants.append(participant)
                meta["participants"].append(participant)
        self.w.insert(Signatory, signatories)
        self.w.insert(Participant, participants)

    def commitments(self) -> None:
        """Commitments per compact (a governance one first), statuses by the compact's state;
        about one in twelve binds only some participants (opt-in)."""
        rng = self.rng
        weights = [meta["weight"] ** 0.5 * rng.uniform(0.7, 1.3) for meta in self.compact_meta]
        per_compact = distribute(self.n["commitments"], weights, minimum=1)
        categories = [
            (c, 1.0 if c in ("PD", "ELL", "LEAD", "INNOV") else 1.5) for c in Category.values
        ]
        parties = [
            (ResponsibleParty.SHARED, 40),
            (ResponsibleParty.DISTRICT, 25),
            (ResponsibleParty.CHARTER, 20),
            (ResponsibleParty.CITY_OR_THIRD_PARTY, 15),
        ]
        rows, opt_ins = [], []
        for meta, count in zip(self.compact_meta, per_compact, strict=True):
            meta["commitments"] = []
            signed, end = meta["signed"], meta["end"]
            for i in range(count):
                category = Category.GOV if i == 0 else _weighted(rng, categories)
                if meta["draft"]:
                    status = _weighted(
                        rng,
                        [(CommitmentStatus.NOT_STARTED, 90), (CommitmentStatus.IN_PROGRESS, 10)],
                    )
                else:
                    table = COMMITMENT_STATUS_LIVE if meta["live"] else COMMITMENT_STATUS_ENDED
                    status = _weighted(rng, table)
                created_day = min(end, signed + datetime.timedelta(days=rng.randint(0, 60)))
                achieved = None
                if status == CommitmentStatus.ACHIEVED:
                    latest = min(end, self.ago(400)) if meta["quiet"] else end
                    earliest = created_day + datetime.timedelta(days=60)
                    if earliest > latest:
                        status = CommitmentStatus.IN_PROGRESS
                    else:
                        achieved = self.between(earliest, latest)
                if achieved:
                    touched = achieved
                elif status == CommitmentStatus.IN_PROGRESS and meta["live"]:
                    touched = (
                        self.ago(rng.randint(1, 80))
                        if rng.random() < 0.55
                        else self.ago(rng.randint(100, 1000))
                    )
                else:
                    touched = self.between(created_day, end)
                touched = max(created_day, touched)
                titles = COMMITMENT_TITLES[category]
                commitment = Commitment(
                    compact_id=meta["compact"].pk,
                    category=category,
                    title=titles[rng.randrange(len(titles))],
                    description=f"{Category(category).label}.",
                    responsible_party=_weighted(rng, parties),
                    target_on=(
                        signed + datetime.timedelta(days=rng.randint(365, 5 * 365))
                        if rng.random() < 0.8
                        else None
                    ),
                    status=status,
                    achieved_on=achieved,
                    created_at=self.stamp(created_day),
                    updated_at=self.stamp(touched),
                )
                rows.append(commitment)
                meta["commitments"].append(commitment)
                if meta["participants"] and rng.random() < 0.08:
                    k = min(len(meta["participants"]), rng.randint(2, 4))
                    opt_ins.append((commitment, rng.sample(meta["participants"], k)))
        self.w.insert(Commitment, rows)
        through = Commitment.participants.through
        self.w.insert(
            through,
            [
                through(commitment_id=commitment.pk, participant_id=participant.pk)
                for commitment, chosen in opt_ins
                for participant in chosen
            ],
            remember=False,
        )
        self.commitment_meta = [
            (commitment, meta) for meta in self.compact_meta for commitment in meta["commitments"]
        ]

    def milestones(self) -> None:
        """Dated steps: past ones mostly done (about half on time) or missed, some left open and
        so overdue; future ones planned. Quiet compacts completed nothing in the last year."""
        rng = self.rng
        weights = [rng.uniform(0.5, 1.5) for _ in self.commitment_meta]
        per_commitment = distribute(self.n["milestones"], weights, minimum=1)
        steps = [
            "Draft the plan", "Board approval", "Sign the agreement", "Pilot in first schools",
            "Train staff", "Citywide rollout", "First annual review", "Publish results",
        ]  # fmt: skip
        horizon = self.anchor + datetime.timedelta(days=900)
        quiet_before = self.ago(366)
        rows = []
        for (commitment, meta), count in zip(self.commitment_meta, per_commitment, strict=True):
            start = commitment.created_at.date()
            until = commitment.target_on or meta["signed"] + datetime.timedelta(days=4 * 365)
            for k in range(count):
                due = min(horizon, self.between(start + datetime.timedelta(days=30), until))
                past = due < self.anchor
                if commitment.status == CommitmentStatus.ACHIEVED:
                    table = [("done", 85), ("missed", 10), ("deferred", 5)]
                elif meta["draft"]:
                    table = [("planned", 80), ("in_progress", 20)]
                elif (
                    commitment.status
                    in (
                        CommitmentStatus.ABANDONED,
                        CommitmentStatus.SUPERSEDED,
                    )
                    or not meta["live"]
                ):
                    table = [("done", 40), ("missed", 35), ("deferred", 25)]
                elif past:
                    table = [
                        ("done", 58), ("missed", 12), ("deferred", 6), ("planned", 10),
                        ("in_progress", 14),
                    ]  # fmt: skip
                else:
                    table = [("planned", 70), ("in_progress", 25), ("done", 5)]
                status = _weighted(rng, table)
                completed = None
                if status == MilestoneStatus.DONE:
                    completed = due + datetime.timedelta(days=int(rng.gauss(-5, 30)))
                    latest = self.anchor
                    if commitment.achieved_on:
                        latest = min(latest, commitment.achieved_on)
                    if meta["quiet"]:
                        latest = min(latest, quiet_before)
                    completed = max(start, min(completed, latest))
                    if completed > latest:
                        status, completed = MilestoneStatus.MISSED, None
                touched = completed or max(start, min(due, self.anchor))
                rows.append(
                    Milestone(
                        commitment_id=commitment.pk,
                        title=f"{steps[k % len(steps)]} ({due.year})",
                        due_on=due,
                        status=status,
                        completed_on=completed,
                        evidence_url=(
                            f"https://evidence.example.org/milestones/{len(rows) + 1}"
                            if completed and rng.random() < 0.7
                            else ""
                        ),
                        created_at=self.stamp(start),
                        updated_at=self.stamp(max(start, touched)),
                    )
                )
        self.w.insert(Milestone, rows)

    def activities(self) -> None:
        """Meetings, joint PD, working groups ... spread over each compact's life, four in ten
        linked to one of its commitments; written in batches to keep memory flat."""
        rng = self.rng
        weights = []
        for meta in self.compact_meta:
            years = max(30, (meta["end"] - meta["signed"]).days) / 365
            factor = 0.05 if meta["draft"] else (1.0 if meta["live"] else 0.6)
            weights.append(meta["weight"] * years * factor)
        per_compact = distribute(self.n["activities"], weights)
        fields = [f.attname for f in self.w.row_fields(Activity)]
        expected = [
            "created_at", "updated_at", "compact_id", "commitment_id", "kind", "occurred_on",
            "title", "district_attendees", "charter_attendees", "notes",
        ]  # fmt: skip
        if fields != expected:
            raise RuntimeError(f"Activity's columns changed ({fields}): update activities().")
        batch: list[tuple] = []
        for meta, count in zip(self.compact_meta, per_compact, strict=True):
            compact, commitments = meta["compact"], meta["commitments"]
            first = meta["signed"] - datetime.timedelta(days=180 if meta["draft"] else 0)
            for _ in range(count):
                kind = _weighted(rng, ACTIVITY_KINDS)
                titles = ACTIVITY_TITLES[kind]
                occurred = self.between(first, meta["end"])
                crowd = 4 if kind in (ActivityKind.JOINT_PD, ActivityKind.PUBLIC_EVENT) else 1
                created = self.stamp(
                    min(self.anchor, occurred + datetime.timedelta(days=rng.randint(0, 7)))
                )
                commitment_id = (
                    commitments[rng.randrange(len(commitments))].pk
                    if commitments and rng.random() < 0.4
                    else None
                )
                batch.append(
                    (
                        created,
                        created,
                        compact.pk,
                        commitment_id,
                        str(kind),
                        occurred,
                        titles[rng.randrange(len(titles))],
                        rng.randint(0, 12) * crowd,
                        rng.randint(0, 12) * crowd,
                        "Minutes on file." if rng.random() < 0.05 else "",
                    )
                )
                if len(batch) >= BATCH_SIZE:
                    self.w.insert_rows(Activity, batch)
                    batch = []
        self.w.insert_rows(Activity, batch)

    def grants(self) -> None:
        rng = self.rng
        signed = [meta for meta in self.compact_meta if not meta["draft"]] or self.compact_meta
        purposes = ["signing grant", "implementation", "common enrollment build", "evaluation"]
        rows = []
        for _ in range(self.n["grants"]):
            meta = rng.choices(signed, weights=[m["weight"] for m in signed])[0]
            awarded = self.between(
                meta["signed"], min(meta["end"], meta["signed"] + datetime.timedelta(days=1095))
            )
            rows.append(
                Grant(
                    compact_id=meta["compact"].pk,
                    funder_id=self.funder_list[rng.randrange(len(self.funder_list))].pk,
                    amount=Decimal(rng.randint(50, 2000) * 1000),
                    awarded_on=awarded,
                    months=rng.choice([12, 18, 24, 36]),
                    purpose=purposes[rng.randrange(len(purposes))],
                    created_at=self.stamp(awarded),
                    updated_at=self.stamp(awarded),
                )
            )
        self.w.insert(Grant, rows)

    def users(self) -> None:
        """The bench admin (superuser), the bench viewer (viewer of every city), two editors of
        every city for the write benchmark, and staff who are members of one to three cities."""
        rng = self.rng
        User = get_user_model()
        total = self.n["users"]
        names = [BENCH_ADMIN, BENCH_VIEWER] + list(BENCH_EDITORS)
        names = names[: max(2, min(total, len(names)))]
        names += [f"bench-user-{i:04d}" for i in range(1, total - len(names) + 1)]
        users = []
        for i, username in enumerate(names):
            first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
            last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
            users.append(
                User(
                    username=username,
                    email=f"{username}@example.org",
                    first_name=first,
                    last_name=last,
                    password=self.password_hash,
                    is_staff=username == BENCH_ADMIN,
                    is_superuser=username == BENCH_ADMIN,
                    is_active=True,
                    date_joined=self.stamp(self.ago(3000 - i)),
                )
            )
        self.w.insert(User, users, skip={"password"})
        memberships = []
        cities = self.city_list

        def member(user, city, role) -> None:
            stamp = self.stamp(self.ago(rng.randint(30, 2000)))
            memberships.append(
                Membership(
                    user_id=user.pk, city_id=city.pk, role=role, created_at=stamp, updated_at=stamp
                )
            )

        for user in users:
            if user.username == BENCH_VIEWER:
                for city in cities:
                    member(user, city, Role.VIEWER)
            elif user.username in BENCH_EDITORS:
                for city in cities:
                    member(user, city, Role.EDITOR)
            elif user.username != BENCH_ADMIN:
                chosen = {
                    c.pk: c
                    for c in rng.choices(cities, weights=self.city_weight, k=rng.randint(1, 3))
                }
                for city in chosen.values():
                    member(user, city, Role.EDITOR if rng.random() < 0.35 else Role.VIEWER)
        self.w.insert(Membership, memberships)


def database_is_empty() -> bool:
    """No city, organization, person, compact or user yet: safe to generate into."""
    return not any(
        model.objects.exists() for model in (City, Organization, Person, Compact, get_user_model())
    )


def generate(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    anchor: datetime.date | None = None,
    password: str | None = None,
) -> Result:
    """Write the bench data set in one transaction and return its counts and digest.

    `anchor` is the "today" every generated date is relative to (default: timezone.localdate()).
    `password` is given to every generated user (hashed once); without it they cannot sign in.
    """
    anchor = anchor or timezone.localdate()
    password_hash = make_password(password)
    generator = _Generator(scale=scale, seed=seed, anchor=anchor, password_hash=password_hash)
    with transaction.atomic(), _explicit_updated_at():
        result = generator.run()
        # Bulk inserts send no signals: every city changed, once the data is committed.
        transaction.on_commit(lambda: cities_changed(None))
    return result


@dataclass(frozen=True)
class BenchPage:
    """A page the benchmark measures: who requests it, and the query budget of its kind."""

    key: str
    label: str
    path: str
    user: str | None  # "viewer" (BENCH_VIEWER), "admin" (BENCH_ADMIN) or None: no session
    kind: str  # denominator, dashboard, detail or list

    @property
    def max_queries(self) -> int | None:
        """Issue 8: at most 8 queries on dashboards, 6 on lists. The compact page is neither: it
        reads the session, the user, the reader's roles and six kinds of record (the compact,
        signatories with their seats' holders, participants, commitments with milestones,
        activities, grants), so its budget is 9."""
        return {"dashboard": 8, "detail": 9, "list": 6}.get(self.kind)


def bench_targets() -> dict:
    """The records the benchmark reads: the median city (by activities of its live compacts,
    among the cities with a live compact) and its busiest live compact."""
    from django.db.models import Count, Q

    from compacts.choices import LIVE_COMPACT_STATUSES

    live = Q(compacts__status__in=LIVE_COMPACT_STATUSES)
    cities = list(
        City.objects.filter(live)
        .annotate(n=Count("compacts__activities", filter=live))
        .order_by("n", "slug")
        .values_list("slug", "id", "n")
    )
    if not cities:
        raise LookupError("No city has a live compact: generate the bench data first.")
    slug, city_id, activities = cities[len(cities) // 2]
    compact = (
        Compact.objects.filter(city_id=city_id, status__in=LIVE_COMPACT_STATUSES)
        .annotate(n=Count("activities"))
        .order_by("-n", "id")
        .first()
    )
    return {
        "median_city": slug,
        "median_city_id": city_id,
        "median_city_activities": activities,
        "cities_with_live_compact": len(cities),
        "compact_id": compact.pk,
    }


def bench_pages(targets: dict) -> list[BenchPage]:
    """The pages of issue 8, /healthz first (the denominator of every ratio)."""
    slug, compact = targets["median_city"], targets["compact_id"]
    commitments = "/commitments/?status=in_progress"
    return [
        BenchPage("healthz", "/healthz", "/healthz", None, "denominator"),
        BenchPage("cities", "/cities/", "/cities/", "viewer", "dashboard"),
        BenchPage("city", "city dashboard", f"/cities/{slug}/", "viewer", "dashboard"),
        BenchPage("compact", "compact page", f"/compacts/{compact}/", "viewer", "detail"),
        BenchPage("commitments", commitments, commitments, "viewer", "list"),
        BenchPage(
            "activities",
            "/activities/ of one city",
            f"/activities/?city={slug}",
            "viewer",
            "list",
        ),
        BenchPage("reports", "/reports/", "/reports/", "viewer", "dashboard"),
        BenchPage(
            "admin",
            "admin activity changelist",
            "/admin/compacts/activity/",
            "admin",
            "list",
        ),
    ]


# --- the command line: python -m bench.generate -------------------------------------------


class Command(BaseCommand):
    help = (
        "Generate a deterministic data set at funder scale (scale 1: 100 cities, 8,000 charter "
        "schools, 150 compacts, 200,000 activities, 350 users ...) into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiplier of every count.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--anchor",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day every generated date is relative to (YYYY-MM-DD; default: today).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty the whole database first (manage.py flush), then generate.",
        )
        parser.add_argument(
            "--password-env",
            default="BENCH_PASSWORD",
            help=(
                "Name of the environment variable holding the password given to every generated "
                "user (default BENCH_PASSWORD); when it is unset nobody can sign in with one."
            ),
        )

    def handle(self, *args, scale, seed, anchor, force, password_env, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if not database_is_empty():
            if not force:
                raise CommandError(
                    "The database already holds records; bench.generate only writes into an "
                    "empty database. Use --force to empty it first (every table is flushed)."
                )
            # Inside an open transaction PostgreSQL refuses to TRUNCATE tables with deferred
            # foreign-key checks pending; running the checks now clears them.
            connection.check_constraints()
            call_command("flush", interactive=False, verbosity=0)
        started = time.monotonic()
        result = generate(
            scale=scale, seed=seed, anchor=anchor, password=os.environ.get(password_env) or None
        )
        generated = time.monotonic() - started
        if connection.vendor == "postgresql":
            # Fresh tables have no statistics; without them the planner guesses badly.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"{label:<40} {count:>8,}")
        if options["verbosity"] > 1:
            for step, seconds in result.timings.items():
                self.stdout.write(f"  {step:<38} {seconds:>7.1f}s")
        self.stdout.write(f"anchor {result.anchor}  digest {result.digest}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated scale {scale:g} in {generated:.1f}s ({elapsed:.1f}s with ANALYZE)."
            )
        )


if __name__ == "__main__":
    Command().run_from_argv(["python -m", "bench.generate", *sys.argv[1:]])
