"""The backfill is as-of correct: a past month's figures are what the live metrics gave on its last
day, whatever happened to the records afterwards (issue 15: "snapshot figures equal what the live
metrics gave on that day").

Day D is 30 Sep 2025, the last day of a month. The city is built while the clock says D, its live
figures are taken, then the clock moves on two months and the records move with it: milestones
completed and missed, a commitment achieved, a signer leaves and a successor re-affirms, a compact
terminated, a new compact signed, a school opens and joins. The backfill of September must give
back exactly what was taken on D, except the stale-commitment figure: when each record was last
saved before D is not kept, so a backfilled month stores it as not available (None).
"""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus
from reports import selectors, snapshots
from reports.figures import GREEN, RED
from reports.models import CitySnapshot, CompactSnapshot
from schools.choices import LeadershipRole
from tests.compacts.factories import ParticipantFactory, SignatoryFactory
from tests.reports.builders import (
    activity,
    city_row,
    commitment,
    days,
    live_compact,
    milestone,
    signatory,
    term_at,
)
from tests.schools.factories import CharterNetworkFactory, CharterSchoolFactory

pytestmark = pytest.mark.django_db

D = datetime.date(2025, 9, 30)
LATER = D + days(60)  # 29 Nov 2025


@pytest.fixture
def clock(monkeypatch):
    """The day Django thinks it is (timezone.now, so auto_now and localdate follow); D at first."""

    def set_day(day: datetime.date) -> None:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        monkeypatch.setattr(timezone, "now", lambda: noon)

    set_day(D)
    return set_day


@dataclasses.dataclass
class City:
    """The records built on D that move on afterwards."""

    city: object
    compact: object
    ending: object
    to_achieve: object
    late: object
    upcoming: object
    due_on_d: object
    signer: object
    school_participant: object


def _city_on_d(city) -> City:
    compact = live_compact(city, signed_on=datetime.date(2020, 1, 15))
    to_achieve = commitment(compact)  # in progress on D, achieved afterwards
    commitment(compact, CommitmentStatus.ACHIEVED, achieved_on=D - days(100))
    commitment(compact, CommitmentStatus.ABANDONED)
    idle = commitment(compact, CommitmentStatus.NOT_STARTED)
    late = milestone(to_achieve, D - days(10))  # overdue on D, completed late afterwards
    upcoming = milestone(to_achieve, D + days(20))  # completed on time afterwards
    due_on_d = milestone(idle, D)  # due on D is not overdue; marked missed afterwards
    milestone(to_achieve, D - days(20), MilestoneStatus.DONE, completed_on=D - days(30))
    milestone(to_achieve, D - days(60), MilestoneStatus.MISSED)
    milestone(idle, D - days(5), MilestoneStatus.DEFERRED)
    # Three seats: a signer in post on D (leaves afterwards), one who left before D with a
    # successor who has not re-affirmed, one whose successor re-affirmed before D.
    signer = signatory(compact, started_on=datetime.date(2019, 7, 1))
    gone = signatory(
        compact,
        role=LeadershipRole.BOARD_CHAIR,
        started_on=datetime.date(2018, 1, 1),
        ended_on=D - days(200),
    )
    term_at(gone, started_on=D - days(190))
    mayor = signatory(
        compact,
        role=LeadershipRole.MAYOR,
        started_on=datetime.date(2016, 1, 1),
        ended_on=datetime.date(2023, 12, 31),
    )
    SignatoryFactory(
        compact=compact,
        leadership_term=term_at(mayor, started_on=datetime.date(2024, 1, 1)),
        reaffirmed_on=datetime.date(2024, 3, 1),
    )
    for back in (10, 40, 100, 200, 300, 400):
        activity(compact, D - days(back), commitment_=to_achieve)
    # Charter participation: a network with two schools takes part, one independent school took
    # part until after D, another one never.
    network = CharterNetworkFactory(city=city)
    CharterSchoolFactory.create_batch(2, city=city, network=network, opened_year=2015)
    school = CharterSchoolFactory(city=city, network=None, opened_year=2012)
    CharterSchoolFactory(city=city, network=None, opened_year=None)
    ParticipantFactory(compact=compact, organization=network, joined_on=D - days(700))
    school_participant = ParticipantFactory(
        compact=compact, organization=school, joined_on=D - days(500)
    )
    # A second live compact on D, terminated afterwards.
    ending = live_compact(city, signed_on=datetime.date(2022, 5, 1))
    milestone(commitment(ending), D - days(3))
    signatory(ending, started_on=datetime.date(2021, 1, 1))
    return City(
        city, compact, ending, to_achieve, late, upcoming, due_on_d, signer, school_participant
    )


def _move_on(built: City) -> None:
    """What happened between D and LATER, recorded by LATER."""
    built.late.status, built.late.completed_on = MilestoneStatus.DONE, D + days(5)
    built.upcoming.status, built.upcoming.completed_on = MilestoneStatus.DONE, D + days(10)
    built.due_on_d.status = MilestoneStatus.MISSED
    for one in (built.late, built.upcoming, built.due_on_d):
        one.save()
    built.to_achieve.status = CommitmentStatus.ACHIEVED
    built.to_achieve.achieved_on = D + days(20)
    built.to_achieve.save()
    term = built.signer.leadership_term
    term.ended_on = D + days(15)
    term.save()
    successor = term_at(built.signer, started_on=D + days(16))
    SignatoryFactory(compact=built.compact, leadership_term=successor, reaffirmed_on=D + days(30))
    built.ending.status, built.ending.ended_on = CompactStatus.TERMINATED, D + days(50)
    built.ending.save()
    built.school_participant.left_on = D + days(10)
    built.school_participant.save()
    newcomer = CharterSchoolFactory(city=built.city, network=None, opened_year=2026)
    ParticipantFactory(compact=built.compact, organization=newcomer, joined_on=D + days(25))
    signed_later = live_compact(built.city, signed_on=D + days(40))
    milestone(commitment(signed_later), D + days(45))
    signatory(signed_later, started_on=D + days(30))
    for back in (1, 2, 3):
        activity(built.compact, D + days(back))


def _without_stale(city):
    """The city's figures with stale commitments not known, as a backfilled month has them."""

    def strip(figures):
        return None if figures is None else dataclasses.replace(figures, stale_commitments=None)

    return dataclasses.replace(
        city,
        figures=strip(city.figures),
        compacts=tuple(
            dataclasses.replace(compact, figures=strip(compact.figures))
            for compact in city.compacts
        ),
    )


def _city_rows():
    return {
        row.month: (row.as_of, row.health, row.reasons, row.figures)
        for row in CitySnapshot.objects.all()
    }


def _compact_rows():
    return {
        (row.compact_id, row.month): (row.as_of, row.health, row.reasons, row.figures)
        for row in CompactSnapshot.objects.all()
    }


def test_the_backfill_gives_back_what_the_live_metrics_gave_that_day(clock, city_x):
    built = _city_on_d(city_x)
    live = selectors.compute_city_figures([city_row(city_x)], D)[city_x.id]
    snapshots.take(D)
    taken_city, taken_compacts = _city_rows(), _compact_rows()
    CitySnapshot.objects.all().delete()
    CompactSnapshot.objects.all().delete()
    # What the live metrics said on D (worked out by hand from _city_on_d): the figures the
    # comparison below would hide if the as-of reading and the live one were wrong alike.
    figures = live.figures
    assert (figures.commitment_completion.numerator, figures.commitment_completion.denominator) == (
        1,
        4,
    )
    assert figures.overdue_milestones == 2  # the late one and the ending compact's
    assert figures.milestones_done == 1 and figures.milestones_missed == 1
    assert (figures.signatory_retention.numerator, figures.signatory_retention.denominator) == (
        3,
        4,
    )
    assert figures.stale_commitments == 0
    assert live.health.colour == RED  # 2 of 7 milestones overdue: more than 25%
    assert live.participation.overall.numerator == 3
    assert live.participation.overall.denominator == 4

    clock(LATER)
    _move_on(built)
    as_of_d = selectors.compute_city_figures([city_row(city_x)], as_of=D)[city_x.id]
    written = snapshots.backfill(datetime.date(2025, 9, 1))

    assert as_of_d == _without_stale(live)
    assert written == 2  # September and October; November is LATER's own month
    september = datetime.date(2025, 9, 1)
    as_of, health, reasons, stored = _city_rows()[september]
    taken_as_of, taken_health, taken_reasons, taken_figures = taken_city[september]
    assert (as_of, health, reasons) == (taken_as_of, taken_health, taken_reasons)
    assert stored == taken_figures | {"stale_commitments": None}
    backfilled = {key: row for key, row in _compact_rows().items() if key[1] == september}
    assert set(backfilled) == set(taken_compacts)
    for key, (as_of, health, reasons, stored) in backfilled.items():
        assert (as_of, health, reasons) == taken_compacts[key][:3]
        assert stored == taken_compacts[key][3] | {"stale_commitments": None}
    # And today the same records give today's figures: the moves above did change them.
    now = selectors.compute_city_figures([city_row(city_x)], LATER)[city_x.id]
    assert now.figures.commitment_completion.numerator == 2
    assert len(now.compacts) == 3


def test_a_compact_signed_after_the_day_is_not_there_on_it(clock, city_x, city_y):
    first = live_compact(city_x, signed_on=datetime.date(2020, 1, 15))
    milestone(commitment(first), D - days(3))
    later = live_compact(city_x, signed_on=D + days(1))
    milestone(commitment(later), D - days(200))
    only_later = live_compact(city_y, signed_on=D + days(40))
    clock(LATER)

    on_d = selectors.compute_city_figures([city_row(city_x), city_row(city_y)], as_of=D)
    snapshots.backfill(datetime.date(2025, 9, 1))

    assert [compact.id for compact in on_d[city_x.id].compacts] == [first.id]
    assert on_d[city_x.id].figures.milestones == 1
    assert on_d[city_y.id].compacts == ()
    assert on_d[city_y.id].figures is None
    september = CompactSnapshot.objects.filter(month=datetime.date(2025, 9, 1))
    assert list(september.values_list("compact_id", flat=True)) == [first.id]
    y = CitySnapshot.objects.get(city=city_y, month=datetime.date(2025, 9, 1))
    assert (y.health, y.figures) == ("", {})
    assert not september.filter(compact__in=[later, only_later]).exists()
    # Signed on 1 Oct, it is there at the end of October.
    assert CompactSnapshot.objects.filter(compact=later).get().month == datetime.date(2025, 10, 1)


def test_a_compact_that_ended_after_the_day_was_live_on_it_and_not_after(clock, city_x):
    compact = live_compact(
        city_x,
        signed_on=datetime.date(2020, 1, 15),
        status=CompactStatus.LAPSED,
        ended_on=D + days(10),
    )
    commitment(compact)
    live_compact(city_x, signed_on=datetime.date(2019, 1, 15), status=CompactStatus.TERMINATED)
    clock(LATER)

    on_d = selectors.compute_city_figures([city_row(city_x)], as_of=D)[city_x.id]
    after = selectors.compute_city_figures([city_row(city_x)], as_of=D + days(10))[city_x.id]

    # The terminated one has no end date: no day it was live is known, so it never counts.
    assert [(c.status, c.ended_on, c.is_live) for c in on_d.compacts] == [
        (CompactStatus.TERMINATED, None, False),
        (CompactStatus.ACTIVE, None, True),
    ]
    assert on_d.figures.commitments == 1
    assert after.figures is None
    assert after.compacts[1].status == CompactStatus.LAPSED
    assert after.compacts[1].ended_on == D + days(10)


def test_a_green_month_without_the_stale_figure_says_it_is_not_known(clock, city_x):
    compact = live_compact(city_x, signed_on=datetime.date(2020, 1, 15))
    signatory(compact, started_on=datetime.date(2019, 1, 1))
    clock(LATER)

    on_d = selectors.compute_city_figures([city_row(city_x)], as_of=D)[city_x.id]

    assert on_d.figures.stale_commitments is None
    assert on_d.health.colour == GREEN
    assert on_d.health.reasons == (
        "No overdue milestone (stale commitments not known for a past day); "
        "1 of 1 signatory still in post",
    )


def test_the_backfill_run_twice_writes_the_same_rows(clock, city_x):
    built = _city_on_d(city_x)
    clock(LATER)
    _move_on(built)

    snapshots.backfill(datetime.date(2024, 1, 1))
    first = (_city_rows(), _compact_rows())
    snapshots.backfill(datetime.date(2024, 1, 1))

    assert (_city_rows(), _compact_rows()) == first
    # Jan 2024 .. Oct 2025: November is LATER's own month.
    assert CitySnapshot.objects.count() == 22
    assert CitySnapshot.objects.filter(backfilled=False).count() == 0


def test_taking_twice_in_a_month_keeps_one_row(clock, city_x):
    _city_on_d(city_x)
    snapshots.take(D - days(5))
    snapshots.take(D)

    row = CitySnapshot.objects.get(city=city_x)
    assert (row.month, row.as_of, row.backfilled) == (datetime.date(2025, 9, 1), D, False)
    assert CompactSnapshot.objects.filter(month=datetime.date(2025, 9, 1)).count() == 2
