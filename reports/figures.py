"""Typed results of the metrics in DESIGN.md ("Metrics"), and the health rules over them.

Nothing here queries the database: reports/selectors.py counts records into a `Tally`, and the
functions below turn tallies into frozen figures. Keeping the rules pure makes them easy to test by
hand and lets the figures be cached as plain data.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from django.conf import settings

from compacts.choices import LIVE_COMPACT_STATUSES, CommitmentStatus, CompactStatus
from core.formats import percent_text

RED, AMBER, GREEN = "red", "amber", "green"

# In the workflow's order; an enum's `values` builds a new list on every read.
_STATUSES = tuple(CommitmentStatus.values)


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator; n/a when there is nothing to count."""

    numerator: int
    denominator: int

    @property
    def is_na(self) -> bool:
        return self.denominator == 0

    @property
    def fraction(self) -> Fraction | None:
        return None if self.is_na else Fraction(self.numerator, self.denominator)

    def rounded(self, places: int) -> Decimal | None:
        """The ratio rounded half up to `places` decimals, from the exact fraction."""
        if self.is_na:
            return None
        exact = Decimal(self.numerator) / Decimal(self.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    @property
    def export(self) -> str:
        """Exports: a decimal between 0 and 1 with 3 places, empty when n/a."""
        value = self.rounded(3)
        return "" if value is None else f"{value:.3f}"

    @property
    def percent(self) -> str:
        """Every page and table: a whole percentage, or "n/a" (one percent format everywhere)."""
        return percent_text(self.rounded(2))


@dataclass(frozen=True)
class DepartedSignatory:
    """A signatory whose term is no longer open, with the day they left."""

    compact_id: int
    name: str
    organization: str
    role: str
    left_on: datetime.date
    precision: str
    reaffirmed_on: datetime.date | None = None
    reaffirmed_precision: str | None = None


REAFFIRMED, VACANT, NOT_REAFFIRMED = "reaffirmed", "vacant", "not_reaffirmed"


@dataclass(frozen=True)
class SeatNote:
    """A signatory seat of a compact whose signer left, in words: re-affirmed by a successor in
    post (held, not a problem), vacant since a date, or held by a successor who has not
    re-affirmed; the last two say for how long."""

    compact_id: int
    state: str
    text: str

    @property
    def is_problem(self) -> bool:
        return self.state != REAFFIRMED


@dataclass(frozen=True)
class Health:
    colour: str
    reasons: tuple[str, ...]
    seats: tuple[SeatNote, ...] = ()


@dataclass
class Tally:
    """Counts of one compact's records, or of the union of a city's live compacts' records."""

    commitments_by_status: Counter = field(default_factory=Counter)
    commitments_achieved_in_window: int = 0
    # None: not known (figures as of a past day, reports/selectors.py `_AsOf`).
    stale_commitments: int | None = 0
    milestones: int = 0
    milestones_done: int = 0
    milestones_missed: int = 0
    milestones_on_time: int = 0
    milestones_overdue: int = 0
    milestones_completed_in_window: int = 0
    activities_in_window: int = 0
    seats: int = 0
    seats_held: int = 0
    reaffirmations: int = 0
    reaffirmed_seats_held: int = 0
    departed: list[DepartedSignatory] = field(default_factory=list)
    seat_notes: list[SeatNote] = field(default_factory=list)
    leadership_change_terms: set[int] = field(default_factory=set)

    def add(self, other: Tally) -> None:
        """Fold another tally in: counts add up, leadership changes are a set (each term once)."""
        self.commitments_by_status.update(other.commitments_by_status)
        if self.stale_commitments is None or other.stale_commitments is None:
            self.stale_commitments = None
        else:
            self.stale_commitments += other.stale_commitments
        for name in (
            "commitments_achieved_in_window",
            "milestones",
            "milestones_done",
            "milestones_missed",
            "milestones_on_time",
            "milestones_overdue",
            "milestones_completed_in_window",
            "activities_in_window",
            "seats",
            "seats_held",
            "reaffirmations",
            "reaffirmed_seats_held",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.departed.extend(other.departed)
        self.seat_notes.extend(other.seat_notes)
        self.leadership_change_terms |= other.leadership_change_terms


@dataclass(frozen=True)
class Figures:
    """Every metric of DESIGN.md over one compact or over a city's live compacts."""

    commitments: int
    commitments_by_status: tuple[tuple[str, int], ...]
    commitment_completion: Ratio
    milestones: int
    milestones_done: int
    milestones_missed: int
    overdue_milestones: int
    milestone_on_time: Ratio
    overdue_share: Ratio
    signatory_retention: Ratio
    departed_signatories: tuple[DepartedSignatory, ...]
    reaffirmations: int
    reaffirmed_seats_held: int
    seat_notes: tuple[SeatNote, ...]
    leadership_changes_since_signing: int
    activities_last_12_months: int
    milestones_completed_last_12_months: int
    commitments_achieved_last_12_months: int
    name_only: bool
    # None when not known: figures as of a past day (reports/snapshots.py's backfill).
    stale_commitments: int | None
    health: Health

    def health_without_stale(self) -> Health:
        """The health as a backfilled month has it, stale commitments not known: what a month
        worked out afterwards is compared with (a backfill cannot tell which commitments were
        stale then, reports/selectors.py)."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        return health_of(**(values | {"stale_commitments": None}))

    def commitments_with_status(self, status: str) -> int:
        return dict(self.commitments_by_status).get(status, 0)

    @property
    def status_breakdown(self) -> tuple[tuple[str, str, int], ...]:
        """(status, label, count) for each status with commitments, in the workflow's order."""
        return tuple(
            (status, CommitmentStatus(status).label, count)
            for status, count in self.commitments_by_status
        )

    @property
    def commitments_excluded(self) -> int:
        """Abandoned and superseded: left out of the completion denominator."""
        return self.commitments - self.commitment_completion.denominator


def figures_from_tally(tally: Tally) -> Figures:
    """Apply the metric definitions to a tally."""
    by_status = tally.commitments_by_status
    total = sum(by_status.values())
    counted = total - by_status[CommitmentStatus.ABANDONED] - by_status[CommitmentStatus.SUPERSEDED]
    name_only = (
        tally.activities_in_window >= settings.NAME_ONLY_MIN_ACTIVITIES
        and tally.milestones_completed_in_window == 0
        and tally.commitments_achieved_in_window == 0
    )
    figures = dict(
        commitments=total,
        commitments_by_status=tuple(
            (status, by_status[status]) for status in _STATUSES if by_status[status]
        ),
        commitment_completion=Ratio(by_status[CommitmentStatus.ACHIEVED], counted),
        milestones=tally.milestones,
        milestones_done=tally.milestones_done,
        milestones_missed=tally.milestones_missed,
        overdue_milestones=tally.milestones_overdue,
        milestone_on_time=Ratio(
            tally.milestones_on_time,
            tally.milestones_done + tally.milestones_missed + tally.milestones_overdue,
        ),
        overdue_share=Ratio(tally.milestones_overdue, tally.milestones),
        signatory_retention=Ratio(tally.seats_held, tally.seats),
        departed_signatories=tuple(
            sorted(tally.departed, key=lambda d: (d.left_on, d.name, d.compact_id))
        ),
        reaffirmations=tally.reaffirmations,
        reaffirmed_seats_held=tally.reaffirmed_seats_held,
        seat_notes=tuple(tally.seat_notes),
        leadership_changes_since_signing=len(tally.leadership_change_terms),
        activities_last_12_months=tally.activities_in_window,
        milestones_completed_last_12_months=tally.milestones_completed_in_window,
        commitments_achieved_last_12_months=tally.commitments_achieved_in_window,
        name_only=name_only,
        stale_commitments=tally.stale_commitments,
    )
    return Figures(**figures, health=health_of(**figures))


@lru_cache(maxsize=16)
def _threshold(value) -> Fraction:
    """A setting's threshold as an exact fraction (parsed once per value: health_of runs for every
    compact and city of a page)."""
    return Fraction(str(value))


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def health_of(
    *,
    name_only: bool,
    signatory_retention: Ratio,
    overdue_milestones: int,
    overdue_share: Ratio,
    stale_commitments: int | None,
    activities_last_12_months: int,
    reaffirmations: int = 0,
    reaffirmed_seats_held: int = 0,
    seat_notes: tuple[SeatNote, ...] = (),
    **_other,
) -> Health:
    """Red, amber or green with the reasons in words (DESIGN.md "health of a compact"), and a
    note on each seat whose signer left (`Health.seats`). Stale commitments None (not known, for
    a past day) leave that rule out, and a green health says so.

    Without re-affirmations a seat is a signatory, and the retention sentences speak of
    signatories as they always did; with one, they speak of seats."""
    red: list[str] = []
    amber: list[str] = []
    if name_only:
        red.append(
            "Collaboration in name only: "
            f"{_plural(activities_last_12_months, 'activity', 'activities')} in the last 12 months "
            "but no milestone completed and no commitment achieved"
        )
    retention = signatory_retention.fraction
    if retention is not None and retention < _threshold(settings.HEALTH_MIN_SIGNATORY_RETENTION):
        departed = signatory_retention.denominator - signatory_retention.numerator
        if reaffirmations:
            # Every seat with a note lost its signers; the re-affirmed ones among them are held.
            left = len(seat_notes)
            if reaffirmed_seats_held:
                held = _plural(reaffirmed_seats_held, "seat is", "seats are")
                after = f"{held} held by a successor who re-affirmed"
            else:
                after = "none of those seats is held by a successor who re-affirmed"
            red.append(
                f"{left} of "
                f"{_plural(signatory_retention.denominator, 'signatory', 'signatories')} "
                f"{'has' if left == 1 else 'have'} left since signing; {after}"
            )
        else:
            red.append(
                f"{departed} of "
                f"{_plural(signatory_retention.denominator, 'signatory', 'signatories')} "
                f"{'has' if departed == 1 else 'have'} left since signing"
            )
    if overdue_milestones:
        sentence = (
            f"{overdue_milestones} of "
            f"{_plural(overdue_share.denominator, 'milestone', 'milestones')} "
            f"{'is' if overdue_milestones == 1 else 'are'} overdue ({overdue_share.percent})"
        )
        if overdue_share.fraction > _threshold(settings.HEALTH_MAX_OVERDUE_SHARE):
            red.append(sentence)
        else:
            amber.append(sentence)
    if stale_commitments:
        verb = "has" if stale_commitments == 1 else "have"
        amber.append(
            f"{_plural(stale_commitments, 'commitment', 'commitments')} in progress {verb} not "
            f"been touched for more than {settings.STALE_COMMITMENT_DAYS} days"
        )
    seats = tuple(seat_notes)
    if red:
        return Health(RED, tuple(red + amber), seats)
    if amber:
        return Health(AMBER, tuple(amber), seats)
    if signatory_retention.is_na:
        retained = "no signatory recorded"
    elif reaffirmations:
        held = signatory_retention.numerator
        retained = (
            f"{held} of "
            f"{_plural(signatory_retention.denominator, 'signatory seat', 'signatory seats')} "
            f"held, {reaffirmed_seats_held} of them by a successor who re-affirmed"
        )
    else:
        retained = (
            f"{signatory_retention.numerator} of "
            f"{_plural(signatory_retention.denominator, 'signatory', 'signatories')} still in post"
        )
    if stale_commitments is None:
        checked = "No overdue milestone (stale commitments not known for a past day)"
    else:
        checked = "No overdue milestone, no stale commitment"
    return Health(GREEN, (f"{checked}; {retained}",), seats)


@dataclass(frozen=True)
class CompactFigures:
    """One compact with its figures; figures only for a live compact (active or renewed)."""

    id: int
    title: str
    status: str
    signed_on: datetime.date
    signed_on_precision: str
    ended_on: datetime.date | None
    figures: Figures | None
    # The round of compacts it was signed with (Compact.cohort): the portfolio's cohort filter.
    cohort: str = ""

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_COMPACT_STATUSES

    @property
    def status_label(self) -> str:
        return CompactStatus(self.status).label

    @property
    def url(self) -> str:
        return f"/compacts/{self.id}/"


@dataclass(frozen=True)
class CharterParticipation:
    """Open charter schools of the city taking part in a live compact, split by kind of school."""

    independent: Ratio
    network: Ratio

    @property
    def overall(self) -> Ratio:
        return Ratio(
            self.independent.numerator + self.network.numerator,
            self.independent.denominator + self.network.denominator,
        )


@dataclass(frozen=True)
class CityFigures:
    """A city, its compacts, and the figures of its live compacts taken together.

    `figures`, `participation` and `health` are None for a city without a live compact: it shows
    its compacts' status and end date instead.
    """

    id: int
    name: str
    state: str
    slug: str
    compacts: tuple[CompactFigures, ...]
    figures: Figures | None
    participation: CharterParticipation | None

    @property
    def live_compacts(self) -> tuple[CompactFigures, ...]:
        return tuple(compact for compact in self.compacts if compact.is_live)

    @property
    def has_live_compact(self) -> bool:
        return self.figures is not None

    @property
    def health(self) -> Health | None:
        return self.figures.health if self.figures else None

    @property
    def url(self) -> str:
        return f"/cities/{self.slug}/"
