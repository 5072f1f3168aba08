"""The demo dataset: facts from public reporting (compacts/demo_data/*.csv) and generated,
illustrative milestones and activities, so that every page has something true-looking to show.

`load_demo()` is idempotent: reference records and facts are upserted by their natural keys
(a city by name and state, a compact by city and title, a term by person, seat and start ...),
and the generated milestones and activities, recognised by their illustrative note, are replaced.
Everything runs in one transaction, and every record written has its history, authored by the
actor given (the "system" user by default). compacts/demo_data/NOTES.md explains the choices
made where the files are silent.
"""

from __future__ import annotations

import csv
import datetime
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from compacts.choices import (
    ActivityKind,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
)
from compacts.models import (
    MILESTONE_LEAD_TIME,
    Activity,
    Commitment,
    Compact,
    Grant,
    Milestone,
    Participant,
    Signatory,
)
from core.audit import recorded_as, system_user
from core.changes import cities_changed
from core.context_processors import DEMO_BANNER_CACHE_KEY
from core.models import DemoDataset
from schools.choices import DatePrecision, LeadershipRole, OrganizationKind
from schools.models import (
    CharterNetwork,
    CharterSchool,
    City,
    District,
    LeadershipTerm,
    Organization,
    Person,
    unique_city_slug,
)

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
BANNER = "Demo data from public reporting, 2010-2016; milestones and activities are illustrative."
# Every generated milestone and activity carries this note; reloading replaces exactly these.
ILLUSTRATIVE = "Illustrative: generated for the demo, not from the public record."
SCHOOL_SUFFIX = " (illustrative)"
SEED = "compact-tracker-demo"

LIVE = (CompactStatus.ACTIVE, CompactStatus.RENEWED)

# Dashboards should show every health colour. Retention comes from the real leadership record
# (most signing leaders have left, so most cities are red, as the research found); these cities
# have retention of at least one half or none to measure, and get a story of their own.
GREEN = {"Spring Branch", "San Jose"}
STALE_STORY = {"Los Angeles": {"FUND"}}  # amber: a commitment untouched for months
OVERDUE_STORY = {"New Orleans"}  # amber: one overdue milestone among several done
NAME_ONLY_STORY = {"Spokane"}  # red: many meetings in the last year and no outcome

# Job titles the leadership notes give, where they differ from the role's name.
TITLES = {
    ("Joel I. Klein", "2002-08-01"): "Chancellor",
    ("Andres Alonso", "2007-07-01"): "CEO",
    ("Jesse Register", "2009-01-01"): "Director of Schools",
    ("Eric Gordon", "2011-07-01"): "CEO",
    ("Jeffrey C. Riley", "2012-01-01"): "State receiver",
    ("Jason Bernal", "2011-01-01"): "President",
    ("Ramon C. Cortines", "2014-10-16"): "Interim superintendent",
    ("Jean-Claude Brizard", "2011-05-16"): "CEO",
}

# Successors who publicly recommitted to their city's compact, as the source notes document it:
# (person, started_on) -> (re-affirmed on, precision). Only Boston's is documented: "Mayor Walsh
# continued and renewed it in 2015" (leadership.csv, Menino's row) and "renewed in 2015 by the
# City, BPS, the Boston Charter Alliance and the Archdiocese" (compacts.csv). BPS's 2015
# superintendent is not in the files, so only the mayor's seat is re-affirmed. Hartford's
# "collaboration survived the change" names no recommitment and is not recorded as one.
REAFFIRMATIONS = {
    ("Martin J. Walsh", "2014-01-06"): (datetime.date(2015, 1, 1), DatePrecision.YEAR),
}

NOUNS = {
    "FUND": "equitable funding",
    "FAC": "facilities sharing",
    "ENR": "common enrollment",
    "ACCT": "common accountability",
    "EQ": "serving all students",
    "SPED": "special education",
    "TRANS": "transportation",
    "SVC": "shared services",
    "REPL": "replication",
    "TURN": "turnaround",
    "LOC": "new-school siting",
    "DATA": "data sharing",
    "ADV": "joint advocacy",
    "PD": "practice sharing",
    "ELL": "English-learner practice",
    "LEAD": "leader pipeline",
    "INNOV": "blended learning",
    "GOV": "steering committee",
}
STEPS = [
    "scope agreed by the working group",
    "plan approved by the steering committee",
    "pilot with a first group of schools",
    "policy adopted by the board",
    "first results reported publicly",
    "annual review of results",
]
ACTIVITY_KINDS = [
    (ActivityKind.MEETING, 5, "Steering committee meeting"),
    (ActivityKind.WORKING_GROUP, 3, "Working group session"),
    (ActivityKind.JOINT_PD, 2, "Joint professional development day"),
    (ActivityKind.PUBLIC_EVENT, 1, "Community information evening"),
    (ActivityKind.REPORT, 1, "Progress report to both boards"),
]
SCHOOL_NAMES = ["Community", "Prep", "Arts", "STEM", "Leadership", "Montessori", "Global"]
GRADE_SPANS = [("KG", "05"), ("06", "08"), ("09", "12"), ("KG", "08"), ("PK", "05"), ("06", "12")]
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def _rng(*parts) -> random.Random:
    # A string seed is hashed with SHA-512, so the sequence is the same on every machine and run.
    return random.Random(":".join([SEED, *map(str, parts)]))


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _read(data_dir: Path, name: str) -> list[dict[str, str]]:
    with (data_dir / name).open(newline="", encoding="utf-8-sig") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


def _upsert(model: type[models.Model], lookup: dict, values: dict | None = None):
    """Find by natural key or start a new record, set `values`, validate, and save only when
    something changed (so a reload does not add history rows for nothing)."""
    values = values or {}
    record = model._default_manager.filter(**lookup).first()
    if record is not None and all(getattr(record, k) == v for k, v in values.items()):
        return record
    record = record or model(**lookup)
    for key, value in values.items():
        setattr(record, key, value)
    record.full_clean()
    record.save()
    return record


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass
class CityDemo:
    """What the loader knows about one demo city while it builds it."""

    city: City
    compact: Compact
    source: str
    districts: list[District] = field(default_factory=list)
    networks: list[CharterNetwork] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)


class DemoLoader:
    """Builds the demo dataset for a given `today`; deterministic for a given date."""

    def __init__(self, today: datetime.date, data_dir: Path = DEMO_DIR, actor=None):
        self.today = today
        self.data_dir = data_dir
        self.actor = actor
        self.cities: dict[str, CityDemo] = {}
        # Generated records, written in bulk, and the instant each record was last touched.
        self.generated: dict[type[models.Model], list[models.Model]] = {Milestone: [], Activity: []}
        self.touched: dict[type[models.Model], list[tuple[models.Model, datetime.datetime]]] = {}

    def run(self) -> dict[str, int]:
        with transaction.atomic(), recorded_as(self.actor):
            self.load_compacts()
            self.load_networks()
            self.load_leadership()
            self.load_schools()
            self.load_commitments()
            self.load_grants()
            self.generate_milestones_and_activities()
            self.write_touch_times()
            DemoDataset.objects.all().delete()
            DemoDataset.objects.create(banner=BANNER)
        cache.delete(DEMO_BANNER_CACHE_KEY)
        # The bulk writes bypass the signals that keep cached dashboards fresh.
        cities_changed(None)
        return demo_counts()

    # --- facts from the files ----------------------------------------------------------------

    def load_compacts(self) -> None:
        for row in _read(self.data_dir, "compacts.csv"):
            city = City.objects.filter(name=row["city"], state=row["state"]).first()
            city = city or _upsert(
                City,
                {"name": row["city"], "state": row["state"]},
                {"slug": unique_city_slug(row["city"], row["state"])},
            )
            compact = _upsert(
                Compact,
                {"city": city, "title": row["compact_name"]},
                {
                    "signed_on": _date(row["signed_date"]),
                    "signed_on_precision": row["date_precision"],
                    "cohort": row["cohort"],
                    "status": row["status"],
                    "ended_on": _date(row["ended_on"]),
                    "document_url": row["source"],
                    "summary": row["status_note"],
                },
            )
            demo = CityDemo(city=city, compact=compact, source=row["source"])
            # "Recovery School District / Orleans Parish School Board" is two districts.
            names = [name.strip() for name in row["lea_name"].split(" / ")]
            for name in names:
                leaid = row["leaid"] if len(names) == 1 else ""
                demo.districts.append(self._district(city, name, leaid or None))
            self.cities[city.name] = demo
            for district in demo.districts:
                self._participate(demo, district, compact.signed_on)

    def _district(self, city: City, name: str, leaid: str | None) -> District:
        # An imported NCES directory may already hold the district under its official name.
        existing = District.objects.filter(nces_leaid=leaid).first() if leaid else None
        if existing is not None:
            return existing
        return _upsert(
            District,
            {"city": city, "name": name},
            {"kind": OrganizationKind.DISTRICT, "nces_leaid": leaid},
        )

    def _participate(self, demo: CityDemo, organization, joined_on: datetime.date) -> Participant:
        compact = demo.compact
        return _upsert(
            Participant,
            {"compact": compact, "organization": organization, "joined_on": joined_on},
            {"left_on": compact.ended_on},
        )

    def load_networks(self) -> None:
        for row in _read(self.data_dir, "networks.csv"):
            network = _upsert(
                CharterNetwork,
                {"slug": slugify(row["name"])},
                {
                    "name": row["name"],
                    "kind": OrganizationKind.CHARTER_NETWORK,
                    "operator_type": row["operator_type"],
                    "headquarters_state": row["headquarters_state"],
                    "city": None,
                },
            )
            for city_name in row["cities"].split(";"):
                demo = self.cities[city_name.strip()]
                demo.networks.append(network)
                self._participate(demo, network, demo.compact.signed_on)

    def load_leadership(self) -> None:
        for row in _read(self.data_dir, "leadership.csv"):
            demo = self.cities[row["city"]]
            organization = self._seat_organization(demo, row)
            person = Person.objects.filter(full_name=row["person"]).first() or _upsert(
                Person, {"full_name": row["person"]}
            )
            role = row["role"]
            title = TITLES.get((row["person"], row["started_on"]), LeadershipRole(role).label)
            term = _upsert(
                LeadershipTerm,
                {
                    "person": person,
                    "organization": organization,
                    "role": role,
                    "started_on": _date(row["started_on"]),
                },
                {
                    "title": title,
                    "ended_on": _date(row["ended_on"]),
                    "date_precision": row["date_precision"],
                    "end_reason": row["end_reason"],
                },
            )
            if row["signed_compact"] == "yes":
                # full_clean() checks the term was in post on the signing date.
                _upsert(Signatory, {"compact": demo.compact, "leadership_term": term})
            reaffirmed = REAFFIRMATIONS.get((row["person"], row["started_on"]))
            if reaffirmed:
                day, precision = reaffirmed
                _upsert(
                    Signatory,
                    {"compact": demo.compact, "leadership_term": term},
                    {"reaffirmed_on": day, "reaffirmed_on_precision": precision},
                )

    def _seat_organization(self, demo: CityDemo, row: dict) -> Organization:
        kind = row["organization_kind"]
        if kind == OrganizationKind.DISTRICT:
            for district in demo.districts:
                if district.name == row["organization"]:
                    return district
            return self._district(demo.city, row["organization"], None)
        if kind == OrganizationKind.CHARTER_NETWORK:
            return CharterNetwork.objects.get(name=row["organization"])
        # A city government belongs to its city; an association or agency serves a whole state.
        city = demo.city if kind == OrganizationKind.CITY_GOVERNMENT else None
        return _upsert(Organization, {"name": row["organization"], "kind": kind}, {"city": city})

    def load_schools(self) -> None:
        """Illustrative charter schools, so that charter participation has something to show:
        a few schools of each participating network, and independent schools of which some take
        part directly and some do not."""
        for name, demo in self.cities.items():
            rng = _rng("schools", name)
            district = demo.districts[0]
            for network in demo.networks:
                for number in range(rng.randint(1, 2)):
                    self._school(
                        demo, f"{network.name} {name} {number + 1}", rng, district, network
                    )
            independents = rng.randint(2, 4)
            names = rng.sample(SCHOOL_NAMES, independents)
            for number, label in enumerate(names):
                school = self._school(demo, f"{name} {label} Charter School", rng, district, None)
                if number < (independents + 1) // 2 and school.is_open:
                    joined = demo.compact.signed_on + datetime.timedelta(days=rng.randint(0, 400))
                    self._participate(demo, school, min(joined, self.today))

    def _school(self, demo, name, rng, district, network) -> CharterSchool:
        low, high = rng.choice(GRADE_SPANS)
        return _upsert(
            CharterSchool,
            {"city": demo.city, "name": name + SCHOOL_SUFFIX},
            {
                "kind": OrganizationKind.CHARTER_SCHOOL,
                "district": district,
                "network": network,
                "grade_low": low,
                "grade_high": high,
                "opened_year": rng.randint(1998, 2015),
                "enrollment": rng.randrange(200, 900, 10),
                "is_open": rng.random() > 0.1,
            },
        )

    def load_commitments(self) -> None:
        for row in _read(self.data_dir, "commitments.csv"):
            demo = self.cities[row["city"]]
            status = row["status"]
            achieved_on = None
            if status == CommitmentStatus.ACHIEVED:
                achieved_on = self._achieved_on(demo.compact, row)
            commitment = _upsert(
                Commitment,
                {"compact": demo.compact, "category": row["category"], "title": row["title"]},
                {
                    "responsible_party": row["responsible_party"],
                    "status": status,
                    "description": row["note"],
                    "achieved_on": achieved_on,
                },
            )
            # A commitment that names a participating network binds that network only.
            network_ids = {network.pk for network in demo.networks}
            named = [
                participant
                for participant in demo.compact.participants.select_related("organization")
                if participant.organization_id in network_ids
                and _short_name(participant.organization.name) in row["title"]
            ]
            if set(commitment.participants.all()) != set(named):
                commitment.participants.set(named)
            demo.commitments.append(commitment)

    def _achieved_on(self, compact: Compact, row: dict) -> datetime.date:
        """The month a note gives ("launched Feb 2012", "from 2008"), or else an illustrative
        date one to three years after signing (the banner says achieved dates are illustrative
        where the record is silent)."""
        note = row["note"].lower()
        for match in re.finditer(r"\b([a-z]+)\.? (\d{4})\b", note):
            if match.group(1) in MONTHS:
                return datetime.date(int(match.group(2)), MONTHS[match.group(1)], 1)
        since = re.search(r"\bfrom (\d{4})\b", note)
        if since:
            return datetime.date(int(since.group(1)), 1, 1)
        offset = _rng("achieved", row["city"], row["title"]).randint(300, 1100)
        return min(compact.signed_on + datetime.timedelta(days=offset), self.today)

    def load_grants(self) -> None:
        for row in _read(self.data_dir, "grants.csv"):
            demo = self.cities[row["city"]]
            funder = _upsert(
                Organization,
                {"name": row["funder"], "kind": OrganizationKind.FUNDER},
                {"city": None},
            )
            _upsert(
                Grant,
                {"compact": demo.compact, "funder": funder, "awarded_on": _date(row["awarded_on"])},
                {
                    "amount": Decimal(row["amount_usd"]),
                    "months": int(row["months"]) if row["months"] else None,
                    "purpose": row["purpose"],
                },
            )

    # --- generated, illustrative records -----------------------------------------------------

    def generate_milestones_and_activities(self) -> None:
        # Generated records are replaced wholesale and in bulk, without signals (nothing refers
        # to a milestone or an activity), and their history goes with them: a reload leaves one
        # creation version per generated record rather than piling up versions of records gone.
        compacts = [demo.compact for demo in self.cities.values()]
        replaced = {
            Milestone: Milestone.objects.filter(
                commitment__compact__in=compacts, notes__startswith=ILLUSTRATIVE
            ),
            Activity: Activity.objects.filter(compact__in=compacts, notes__startswith=ILLUSTRATIVE),
        }
        for model, records in replaced.items():
            history = model.history.model.objects.filter(id__in=records.values("pk"))
            history._raw_delete(history.db)
            records._raw_delete(records.db)
        for name, demo in self.cities.items():
            stale = set()
            for commitment in demo.commitments:
                if self._is_stale(name, commitment):
                    stale.add(commitment.pk)
                self._milestones(name, demo, commitment, commitment.pk in stale)
            self._activities(name, demo, stale)

    def _is_stale(self, city: str, commitment: Commitment) -> bool:
        if commitment.status != CommitmentStatus.IN_PROGRESS or city in GREEN:
            return False
        if city in STALE_STORY:
            return commitment.category in STALE_STORY[city]
        return _rng("stale", city, commitment.title).random() < 0.3

    def _touch(self, record: models.Model, day: datetime.date) -> None:
        self.touched.setdefault(type(record), []).append((record, _noon(min(day, self.today))))

    def _generate(self, record: models.Model) -> None:
        # The database checks the constraints when the batch is inserted.
        record.full_clean(validate_unique=False, validate_constraints=False)
        self.generated[type(record)].append(record)

    def _milestones(self, city: str, demo: CityDemo, commitment: Commitment, stale: bool):
        rng = _rng("milestones", city, commitment.title)
        today, compact = self.today, demo.compact
        # The last day anything about this commitment was written down.
        if compact.status not in LIVE:
            touch = compact.ended_on
        else:
            touch = today - _days(rng.randint(100, 300) if stale else rng.randint(1, 45))
        plan = MilestonePlan(rng, today, compact.signed_on + _days(60))
        may_overdue = compact.status in LIVE and city not in GREEN and city not in STALE_STORY
        status = commitment.status
        if status == CommitmentStatus.ACHIEVED:
            plan.achieved(commitment.achieved_on)
            if city in OVERDUE_STORY:
                plan.monitoring(NOUNS[commitment.category])
        elif status == CommitmentStatus.IN_PROGRESS:
            plan.in_progress(touch, stale=stale, may_overdue=may_overdue)
        elif status == CommitmentStatus.NOT_STARTED:
            plan.not_started(may_overdue=may_overdue)
        elif status == CommitmentStatus.STALLED:
            plan.stalled(may_overdue=may_overdue)
        else:  # abandoned, superseded: what was tried before the work stopped
            plan.stopped(compact.ended_on or today - _days(400))

        noun = NOUNS[commitment.category]
        steps = STEPS[rng.randrange(0, 2) :]
        for number, (m_status, due, completed, title) in enumerate(plan.items):
            step = steps[number] if number < len(steps) else f"{steps[-1]} ({number})"
            milestone = Milestone(
                commitment=commitment,
                title=title or f"{noun[0].upper()}{noun[1:]}: {step}",
                due_on=due,
                status=m_status,
                completed_on=completed,
                notes=ILLUSTRATIVE,
            )
            self._generate(milestone)
            # When the record was last written: on completion, on missing it, or at the last
            # touch of the commitment for what is still open.
            if m_status == MilestoneStatus.DONE:
                recorded = completed
            elif m_status == MilestoneStatus.MISSED:
                recorded = min(due, touch)
            else:
                recorded = touch
            self._touch(milestone, min(recorded, touch) if stale else recorded)
        self._touch(commitment, touch)

    def _activities(self, city: str, demo: CityDemo, stale: set[int]) -> None:
        rng = _rng("activities", city)
        compact, today = demo.compact, self.today
        live = compact.status in LIVE
        year_ago = today - datetime.timedelta(days=365)
        end = compact.ended_on if not live else year_ago
        days: list[datetime.date] = []
        day = compact.signed_on + datetime.timedelta(days=rng.randint(20, 60))
        while day <= end:
            days.append(day)
            day += datetime.timedelta(days=rng.randint(150, 270))
        if live:
            recent = 8 if city in NAME_ONLY_STORY else rng.randint(2, 5)
            days += sorted(
                today - datetime.timedelta(days=rng.randint(1, 364)) for _ in range(recent)
            )
        kinds = [kind for kind, weight, _ in ACTIVITY_KINDS for _ in range(weight)]
        titles = {kind: title for kind, _, title in ACTIVITY_KINDS}
        crowd = (10, 30) if city in NAME_ONLY_STORY else (2, 14)
        for day in days:
            kind = rng.choice(kinds)
            commitment = None
            candidates = [
                c
                for c in demo.commitments
                if c.pk not in stale or day <= today - datetime.timedelta(days=300)
            ]
            if kind != ActivityKind.MEETING and candidates and rng.random() < 0.6:
                commitment = rng.choice(candidates)
            title = titles[kind]
            if commitment is not None:
                title = f"{title}: {NOUNS[commitment.category]}"
            activity = Activity(
                compact=compact,
                commitment=commitment,
                kind=kind,
                occurred_on=day,
                title=title,
                district_attendees=rng.randint(*crowd),
                charter_attendees=rng.randint(*crowd),
                notes=ILLUSTRATIVE,
            )
            self._generate(activity)
            self._touch(activity, day)

    def write_touch_times(self) -> None:
        """Insert the generated records, then give them and the commitments the time they were
        last touched rather than the moment of loading, so that stale commitments are stale
        (auto_now sets updated_at on every insert and save).

        The generated records' creation versions are written last, so that they hold the stored
        updated_at, which is the version token of an edit form (core.concurrency)."""
        for model, records in self.generated.items():
            model._default_manager.bulk_create(records, batch_size=500)
        for model, touches in self.touched.items():
            for record, moment in touches:
                record.updated_at = moment
            records = [record for record, _ in touches]
            model._default_manager.bulk_update(records, ["updated_at"], batch_size=500)
        now = timezone.now()
        for model, records in self.generated.items():
            model.history.bulk_history_create(
                records, batch_size=500, default_user=self.actor, default_date=now
            )


class MilestonePlan:
    """The milestones a commitment of a given status plausibly has, as (status, due_on,
    completed_on, title or None) tuples, dated relative to `today`."""

    def __init__(self, rng: random.Random, today: datetime.date, start: datetime.date):
        self.rng, self.today, self.start = rng, today, start
        self.items: list[tuple[str, datetime.date, datetime.date | None, str | None]] = []

    def add(self, status, due, completed=None, title=None) -> None:
        if status == MilestoneStatus.DONE:
            completed = min(completed or due, self.today)
        self.items.append((status, due, completed, title))

    def ago(self, low: int, high: int) -> datetime.date:
        return self.today - _days(self.rng.randint(low, high))

    def ahead(self, low: int, high: int) -> datetime.date:
        return self.today + _days(self.rng.randint(low, high))

    def achieved(self, achieved_on: datetime.date) -> None:
        # Milestones date from at most a year before signing (Milestone.clean): a commitment
        # achieved before that (Denver's 2008 framework) has none to show.
        earliest = self.start - _days(60) - MILESTONE_LEAD_TIME
        if achieved_on < earliest:
            return
        start = max(min(self.start, achieved_on - _days(300)), earliest)
        for due in sorted(_spread(self.rng, start, achieved_on, self.rng.randint(2, 3))):
            done = due + _days(self.rng.randint(-40, 25))
            self.add(MilestoneStatus.DONE, due, max(min(done, achieved_on), earliest))

    def monitoring(self, noun: str) -> None:
        """After an achievement, a yearly report: four done, the latest one overdue."""
        for years in (4, 3, 2, 1):
            due = self.today - _days(365 * years + self.rng.randint(0, 30))
            title = f"Annual {noun} report {due.year}"
            self.add(MilestoneStatus.DONE, due, due - _days(self.rng.randint(0, 20)), title)
        due = self.ago(10, 40)
        self.add(MilestoneStatus.PLANNED, due, title=f"Annual {noun} report {due.year}")

    def in_progress(self, touch: datetime.date, *, stale: bool, may_overdue: bool) -> None:
        history_end = max(min(touch, self.today - _days(400)), self.start)
        for due in sorted(_spread(self.rng, self.start, history_end, self.rng.randint(1, 2))):
            late = self.rng.random() < 0.35
            shift = self.rng.randint(5, 90) if late else -self.rng.randint(0, 30)
            self.add(MilestoneStatus.DONE, due, min(due + _days(shift), touch))
        if self.rng.random() < 0.3:
            self.add(MilestoneStatus.MISSED, _between(self.rng, self.start, history_end))
        if not stale:
            # An outcome in the last twelve months: the compact is doing, not only meeting.
            done = self.ago(10, 300)
            self.add(MilestoneStatus.DONE, done + _days(self.rng.randint(-10, 30)), done)
        if may_overdue and self.rng.random() < 0.5:
            self.add(MilestoneStatus.IN_PROGRESS, self.ago(5, 200))
        self.add(MilestoneStatus.PLANNED, self.ahead(30, 300))

    def not_started(self, *, may_overdue: bool) -> None:
        if may_overdue and self.rng.random() < 0.4:
            self.add(MilestoneStatus.PLANNED, self.ago(20, 400))
        for _ in range(self.rng.randint(1, 2)):
            self.add(MilestoneStatus.PLANNED, self.ahead(60, 500))

    def stalled(self, *, may_overdue: bool) -> None:
        early = self.start + _days(500)
        self.add(MilestoneStatus.DONE, _between(self.rng, self.start, early))
        self.add(MilestoneStatus.MISSED, _between(self.rng, early, self.today - _days(400)))
        if may_overdue:
            self.add(MilestoneStatus.IN_PROGRESS, self.ago(100, 500))
        self.add(MilestoneStatus.DEFERRED, self.ahead(100, 400))

    def stopped(self, end: datetime.date) -> None:
        self.add(MilestoneStatus.DONE, _between(self.rng, self.start, end))
        self.add(MilestoneStatus.MISSED, _between(self.rng, self.start, end))
        self.add(MilestoneStatus.DEFERRED, end)


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def _short_name(name: str) -> str:
    return name.removesuffix(" Public Schools")


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _spread(rng, start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    return [_between(rng, start, end) for _ in range(count)]


def demo_city_keys(data_dir: Path = DEMO_DIR) -> list[tuple[str, str]]:
    """(name, state) of every demo city, in the order of compacts.csv."""
    return [(row["city"], row["state"]) for row in _read(data_dir, "compacts.csv")]


def demo_counts() -> dict[str, int]:
    return {
        "cities": City.objects.count(),
        "compacts": Compact.objects.count(),
        "districts": District.objects.count(),
        "networks": CharterNetwork.objects.count(),
        "charter schools": CharterSchool.objects.count(),
        "people": Person.objects.count(),
        "leadership terms": LeadershipTerm.objects.count(),
        "signatories": Signatory.objects.count(),
        "participants": Participant.objects.count(),
        "commitments": Commitment.objects.count(),
        "milestones": Milestone.objects.count(),
        "activities": Activity.objects.count(),
        "grants": Grant.objects.count(),
    }


def load_demo(
    *, today: datetime.date | None = None, data_dir: Path = DEMO_DIR, actor=None
) -> dict[str, int]:
    """Load (or reload) the demo dataset and set the demo banner; returns the record counts.

    actor: the author of the history rows written (default: the "system" user)."""
    return DemoLoader(today or timezone.localdate(), data_dir, actor or system_user()).run()
