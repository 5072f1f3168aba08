"""Every metric of DESIGN.md on small hand-built data sets, with the expected values worked out by
hand in the comments. "Today" is fixed at 2024-06-30; the last 12 months are 2023-07-01 (after
2023-07-01 - 1 day) .. 2024-06-30."""

import datetime

import pytest
from django.utils import timezone

from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus
from compacts.models import Activity, Commitment, Compact, Milestone
from reports.figures import Ratio
from reports.selectors import compute_city_dashboard, compute_city_figures
from schools.choices import DatePrecision, LeadershipRole
from tests.compacts.factories import ParticipantFactory, SignatoryFactory
from tests.reports.builders import (
    SIGNED,
    TODAY,
    activity,
    city_row,
    commitment,
    days,
    live_compact,
    milestone,
    signatory,
    term_at,
    touch_everything,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    CityFactory,
    DistrictFactory,
    LeadershipTermFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def figures_of(city, today=TODAY):
    return compute_city_figures([city_row(city)], today)[city.id]


# --- commitment completion --------------------------------------------------------------------


def test_completion_is_achieved_over_all_but_abandoned_and_superseded(city_x):
    compact = live_compact(city_x)
    for status in ["achieved", "achieved", "in_progress", "not_started", "stalled"]:
        commitment(compact, status)
    commitment(compact, CommitmentStatus.ABANDONED)
    commitment(compact, CommitmentStatus.SUPERSEDED)

    figures = figures_of(city_x).figures

    # 2 achieved / (7 - 1 abandoned - 1 superseded) = 2/5
    assert figures.commitment_completion == Ratio(2, 5)
    assert figures.commitment_completion.export == "0.400"
    assert figures.commitments == 7
    assert figures.commitments_excluded == 2
    assert figures.commitment_completion.denominator == (
        Commitment.objects.filter(compact=compact).counted_for_completion().count()
    )


def test_completion_is_na_when_everything_is_abandoned_or_superseded(city_x):
    compact = live_compact(city_x)
    commitment(compact, CommitmentStatus.ABANDONED)
    commitment(compact, CommitmentStatus.SUPERSEDED)

    completion = figures_of(city_x).figures.commitment_completion

    assert completion.is_na
    assert completion.percent == "n/a"
    assert completion.export == ""


def test_every_ratio_is_na_when_a_live_compact_has_nothing_to_count(city_x):
    live_compact(city_x)

    city = figures_of(city_x)

    figures = city.figures
    assert figures.commitment_completion.is_na
    assert figures.milestone_on_time.is_na
    assert figures.signatory_retention.is_na
    assert city.participation.overall.is_na
    assert (figures.overdue_milestones, figures.stale_commitments) == (0, 0)
    assert figures.leadership_changes_since_signing == 0
    assert figures.name_only is False
    assert figures.health.colour == "green"


# --- overdue and on time ----------------------------------------------------------------------


def test_a_milestone_due_today_is_not_overdue_and_deferred_never_is(city_x):
    compact = live_compact(city_x)
    c = commitment(compact)
    milestone(c, TODAY)  # due today: not overdue
    milestone(c, TODAY - days(1))  # planned, due yesterday: overdue
    milestone(c, TODAY - days(1), MilestoneStatus.IN_PROGRESS)  # overdue
    milestone(c, TODAY - days(400), MilestoneStatus.DEFERRED)  # never overdue
    milestone(c, TODAY - days(10), MilestoneStatus.MISSED)  # settled, not overdue

    figures = figures_of(city_x).figures

    assert figures.overdue_milestones == 2
    assert figures.overdue_milestones == Milestone.objects.overdue(TODAY).count()
    assert figures.overdue_share == Ratio(2, 5)


def test_on_time_is_done_by_the_due_date_over_done_missed_and_overdue(city_x):
    compact = live_compact(city_x)
    c = commitment(compact)
    due = datetime.date(2023, 3, 31)
    milestone(c, due, MilestoneStatus.DONE, completed_on=due)  # on time (same day)
    milestone(c, due, MilestoneStatus.DONE, completed_on=due + days(1))  # late
    milestone(c, due, MilestoneStatus.MISSED)
    milestone(c, due)  # overdue
    milestone(c, TODAY + days(30))  # not due yet: not counted
    milestone(c, due, MilestoneStatus.DEFERRED)  # not counted

    figures = figures_of(city_x).figures

    # 1 on time / (2 done + 1 missed + 1 overdue) = 1/4
    assert figures.milestone_on_time == Ratio(1, 4)
    assert figures.milestone_on_time.export == "0.250"
    assert figures.milestone_on_time.numerator == Milestone.objects.on_time().count()
    assert (figures.milestones_done, figures.milestones_missed) == (2, 1)


def test_on_time_is_na_when_nothing_is_due_yet(city_x):
    c = commitment(live_compact(city_x))
    milestone(c, TODAY + days(1))
    milestone(c, TODAY)

    assert figures_of(city_x).figures.milestone_on_time.is_na


# --- signatory retention ----------------------------------------------------------------------


def test_retention_counts_open_terms_and_a_future_end_is_still_open(city_x):
    compact = live_compact(city_x)
    signatory(compact)  # open: in post
    signatory(compact, ended_on=TODAY + days(30))  # leaves next month: still in post today
    left = signatory(compact, ended_on=datetime.date(2013, 8, 31), end_reason="moved")
    signatory(compact, ended_on=TODAY)  # left today: ended_on is not in the future

    figures = figures_of(city_x).figures

    assert figures.signatory_retention == Ratio(2, 4)
    assert figures.signatory_retention.export == "0.500"
    departed = [(d.name, d.left_on) for d in figures.departed_signatories]
    assert departed[0] == (left.leadership_term.person.full_name, datetime.date(2013, 8, 31))
    assert [d.left_on for d in figures.departed_signatories] == [datetime.date(2013, 8, 31), TODAY]


def test_city_retention_covers_only_live_compacts(city_x):
    active = live_compact(city_x)
    renewed = live_compact(
        city_x, status=CompactStatus.RENEWED, signed_on=datetime.date(2015, 1, 1)
    )
    ended = live_compact(
        city_x, status=CompactStatus.TERMINATED, ended_on=datetime.date(2013, 1, 1)
    )
    signatory(active)
    signatory(renewed, ended_on=datetime.date(2016, 1, 1))
    signatory(ended, ended_on=datetime.date(2012, 6, 1))
    signatory(ended, ended_on=datetime.date(2012, 7, 1))

    city = figures_of(city_x)

    # 1 in post of the 2 signatories of the active and the renewed compact; the terminated
    # compact's two departed signatories do not count.
    assert city.figures.signatory_retention == Ratio(1, 2)
    by_id = {compact.id: compact for compact in city.compacts}
    assert by_id[ended.id].figures is None
    assert by_id[active.id].figures.signatory_retention == Ratio(1, 1)
    assert by_id[renewed.id].figures.signatory_retention == Ratio(0, 1)


# --- leadership changes since signing ---------------------------------------------------------


def test_leadership_changes_count_terms_at_the_seats_that_ended_after_signing(city_x):
    compact = live_compact(city_x)  # signed 2012-01-15
    signer = signatory(
        compact, started_on=datetime.date(2009, 7, 1), ended_on=datetime.date(2013, 5, 1)
    )
    term_at(signer, started_on=datetime.date(2004, 1, 1), ended_on=datetime.date(2009, 6, 30))
    term_at(signer, started_on=datetime.date(2013, 5, 2), ended_on=datetime.date(2016, 6, 30))
    term_at(signer, started_on=datetime.date(2016, 7, 1), ended_on=TODAY + days(90))
    # Same organization, another role: not a signatory seat.
    LeadershipTermFactory(
        organization=signer.leadership_term.organization,
        role=LeadershipRole.BOARD_CHAIR,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2014, 1, 1),
    )

    figures = figures_of(city_x).figures

    # Counted: the signer (ended 2013-05-01) and the successor (ended 2016-06-30).
    # Not counted: the predecessor (ended before signing), the current holder (ends in the
    # future: still in post), the board chair (another seat).
    assert figures.leadership_changes_since_signing == 2


def test_a_term_that_ends_on_the_signing_day_is_no_change_since_signing(city_x):
    compact = live_compact(city_x)
    signer = signatory(compact, role=LeadershipRole.BOARD_CHAIR, ended_on=SIGNED)
    term_at(signer, started_on=SIGNED + days(1))

    figures = figures_of(city_x).figures

    assert figures.leadership_changes_since_signing == 0
    # ...but the signatory has left: retention 0 of 1.
    assert figures.signatory_retention == Ratio(0, 1)


def test_month_precision_dates_compare_as_stored_and_show_as_months(city_x):
    compact = live_compact(
        city_x, signed_on=datetime.date(2010, 12, 1), signed_on_precision=DatePrecision.MONTH
    )
    same_month = signatory(
        compact,
        ended_on=datetime.date(2010, 12, 1),
        date_precision=DatePrecision.MONTH,
        started_on=datetime.date(2008, 1, 1),
    )
    later = signatory(
        compact,
        role=LeadershipRole.MAYOR,
        ended_on=datetime.date(2011, 1, 1),
        date_precision=DatePrecision.MONTH,
        started_on=datetime.date(2008, 1, 1),
    )

    figures = figures_of(city_x, datetime.date(2011, 6, 30)).figures

    # "Dec 2010" is stored as 2010-12-01, the signing day: not after it. "Jan 2011" is.
    assert figures.leadership_changes_since_signing == 1
    assert {d.precision for d in figures.departed_signatories} == {DatePrecision.MONTH}
    assert {d.name for d in figures.departed_signatories} == {
        same_month.leadership_term.person.full_name,
        later.leadership_term.person.full_name,
    }


def test_a_term_counts_once_for_the_city_when_two_live_compacts_share_the_seat(city_x):
    first = live_compact(city_x, signed_on=datetime.date(2012, 1, 15))
    second = live_compact(city_x, status=CompactStatus.RENEWED, signed_on=datetime.date(2015, 9, 1))
    superintendent = signatory(
        first, started_on=datetime.date(2010, 1, 1), ended_on=datetime.date(2013, 6, 30)
    )
    successor = term_at(
        superintendent, started_on=datetime.date(2013, 7, 1), ended_on=datetime.date(2018, 6, 30)
    )
    SignatoryFactory(compact=second, leadership_term=successor)
    term_at(superintendent, started_on=datetime.date(2018, 7, 1))

    city = figures_of(city_x)
    by_id = {compact.id: compact.figures for compact in city.compacts}

    # First compact (2012): both ended terms count. Second (2015): only the successor's (2018).
    assert by_id[first.id].leadership_changes_since_signing == 2
    assert by_id[second.id].leadership_changes_since_signing == 1
    # The city counts each term once: 2, not 3.
    assert city.figures.leadership_changes_since_signing == 2


# --- collaboration in name only ---------------------------------------------------------------


def test_name_only_needs_six_activities_in_the_window_and_no_outcome(city_x):
    compact = live_compact(city_x)
    for n in range(5):
        activity(compact, TODAY - days(30 * n))
    activity(compact, TODAY - days(365))  # the window is (today - 365, today]: outside

    assert figures_of(city_x).figures.activities_last_12_months == 5
    assert figures_of(city_x).figures.name_only is False

    activity(compact, TODAY - days(364))  # inside: the sixth
    figures = figures_of(city_x).figures

    assert figures.activities_last_12_months == 6
    assert figures.name_only is True
    assert figures.health.colour == "red"
    assert figures.health.reasons[0].startswith("Collaboration in name only: 6 activities")


def test_a_milestone_completed_or_a_commitment_achieved_in_the_window_clears_name_only(city_x):
    compact = live_compact(city_x)
    for n in range(6):
        activity(compact, TODAY - days(n))
    c = commitment(compact)
    milestone(c, TODAY - days(400), MilestoneStatus.DONE, completed_on=TODAY - days(365))
    commitment(compact, CommitmentStatus.ACHIEVED, achieved_on=TODAY - days(365))

    assert figures_of(city_x).figures.name_only is True  # both outcomes are a day too old

    milestone(c, TODAY, MilestoneStatus.DONE, completed_on=TODAY)
    figures = figures_of(city_x).figures

    assert figures.milestones_completed_last_12_months == 1
    assert figures.name_only is False


def test_name_only_is_computed_on_the_union_of_the_live_compacts(city_x):
    first, second = live_compact(city_x), live_compact(city_x)
    for n in range(3):
        activity(first, TODAY - days(n))
        activity(second, TODAY - days(n))

    city = figures_of(city_x)

    assert [compact.figures.name_only for compact in city.compacts] == [False, False]
    assert city.figures.activities_last_12_months == 6
    assert city.figures.name_only is True


# --- charter participation --------------------------------------------------------------------


def test_charter_participation_counts_schools_taking_part_directly_or_through_their_network(
    city_x, city_y
):
    compact = live_compact(city_x)
    district = DistrictFactory(city=city_x)
    network = CharterNetworkFactory()  # a network of no city, present in X and Y
    other_network = CharterNetworkFactory()

    def school(**kwargs):
        return CharterSchoolFactory(city=city_x, district=district, **kwargs)

    def takes_part(organization, joined_on=SIGNED, left_on=None, compact_=compact):
        ParticipantFactory(
            compact=compact_, organization=organization, joined_on=joined_on, left_on=left_on
        )

    # Independent schools: 2 of the 6 open ones take part (two more below).
    takes_part(school())  # directly: yes
    school()  # no
    takes_part(school(), left_on=TODAY + days(1))  # leaves tomorrow: still taking part
    takes_part(school(), left_on=TODAY)  # left today: no
    takes_part(school(is_open=False))  # closed: not counted at all
    # Network schools: 3 of 4 open ones take part.
    takes_part(network)  # the network takes part on behalf of its schools
    school(network=network)
    school(network=network)
    takes_part(school(network=other_network))  # a school of another network, directly
    school(network=other_network)  # no
    CharterSchoolFactory(city=city_y, network=network)  # another city: not counted here
    # Not taking part: joined in the future, or in a terminated compact.
    takes_part(school(), joined_on=TODAY + days(1))
    ended = live_compact(
        city_x, status=CompactStatus.TERMINATED, ended_on=datetime.date(2014, 1, 1)
    )
    takes_part(school(), compact_=ended)

    participation = figures_of(city_x).participation

    assert participation.independent == Ratio(2, 6)
    assert participation.network == Ratio(3, 4)
    assert participation.overall == Ratio(5, 10)
    assert participation.overall.export == "0.500"


def test_charter_participation_ignores_organizations_that_are_not_schools(city_x):
    compact = live_compact(city_x)
    ParticipantFactory(compact=compact, organization=DistrictFactory(city=city_x))
    OrganizationFactory(city=city_x)
    CharterSchoolFactory(city=city_x)

    assert figures_of(city_x).participation.independent == Ratio(0, 1)


# --- stale commitments ------------------------------------------------------------------------


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_stale_commitments_are_in_progress_and_untouched_for_more_than_90_days(city_x):
    compact = live_compact(city_x)
    old = commitment(compact)
    touched_by_activity = commitment(compact)
    touched_by_milestone = commitment(compact)
    on_the_edge = commitment(compact)
    not_started = commitment(compact, CommitmentStatus.NOT_STARTED)
    recent_activity = activity(compact, TODAY - days(5), commitment_=touched_by_activity)
    recent_milestone = milestone(touched_by_milestone, TODAY + days(60))
    touch_everything(_at(TODAY - days(200)))
    Activity.objects.filter(pk=recent_activity.pk).update(updated_at=_at(TODAY - days(10)))
    Milestone.objects.filter(pk=recent_milestone.pk).update(updated_at=_at(TODAY - days(89)))
    # Touched at the first instant of the 90th day before today: exactly 90 days, not more.
    Commitment.objects.filter(pk=on_the_edge.pk).update(updated_at=_at(TODAY - days(90), 0))

    figures = figures_of(city_x).figures

    assert figures.stale_commitments == 1
    assert list(Commitment.objects.stale(TODAY)) == [old]
    assert not_started.status == CommitmentStatus.NOT_STARTED
    assert figures.health.colour == "amber"
    assert figures.health.reasons == (
        "1 commitment in progress has not been touched for more than 90 days",
    )


# --- health -----------------------------------------------------------------------------------


def test_health_is_red_when_fewer_than_half_the_signatories_remain(city_x):
    compact = live_compact(city_x)
    signatory(compact)
    signatory(compact, ended_on=datetime.date(2013, 1, 1))
    signatory(compact, ended_on=datetime.date(2014, 1, 1))

    health = figures_of(city_x).figures.health

    assert health.colour == "red"
    assert health.reasons == ("2 of 3 signatories have left since signing",)


def test_health_is_not_red_at_exactly_half_retention_nor_without_signatories(city_x, city_y):
    compact = live_compact(city_x)
    signatory(compact)
    signatory(compact, ended_on=datetime.date(2013, 1, 1))
    live_compact(city_y)

    assert figures_of(city_x).figures.health.colour == "green"
    assert figures_of(city_y).figures.health.colour == "green"


def test_health_is_red_above_a_quarter_of_milestones_overdue_and_amber_at_a_quarter(city_x):
    compact = live_compact(city_x)
    c = commitment(compact)
    milestone(c, TODAY - days(1))
    for _ in range(3):
        milestone(c, TODAY + days(1))

    health = figures_of(city_x).figures.health

    assert health.colour == "amber"
    assert health.reasons == ("1 of 4 milestones is overdue (25%)",)

    milestone(c, TODAY - days(2))
    health = figures_of(city_x).figures.health  # 2 of 5 = 40%

    assert health.colour == "red"
    assert health.reasons == ("2 of 5 milestones are overdue (40%)",)


def test_health_lists_every_reason_red_ones_first(city_x):
    compact = live_compact(city_x)
    signatory(compact, ended_on=datetime.date(2013, 1, 1))
    c = commitment(compact)
    milestone(c, TODAY - days(1))
    touch_everything(_at(TODAY - days(100)))

    health = figures_of(city_x).figures.health

    assert health.colour == "red"
    assert health.reasons == (
        "1 of 1 signatory has left since signing",
        "1 of 1 milestone is overdue (100%)",
        "1 commitment in progress has not been touched for more than 90 days",
    )


def test_city_health_applies_the_rules_to_the_city_figures(city_x):
    # Each compact has 1 of 4 milestones overdue (amber); so does the city: 2 of 8.
    for _ in range(2):
        c = commitment(live_compact(city_x))
        milestone(c, TODAY - days(1))
        for _ in range(3):
            milestone(c, TODAY + days(1))

    city = figures_of(city_x)

    assert city.health.colour == "amber"
    assert city.health.reasons == ("2 of 8 milestones are overdue (25%)",)


def test_a_city_without_live_compact_has_no_figures_and_no_health(city_x):
    ended = live_compact(
        city_x, status=CompactStatus.TERMINATED, ended_on=datetime.date(2013, 6, 1)
    )
    c = commitment(ended)
    milestone(c, TODAY - days(1))

    city = figures_of(city_x)

    assert city.figures is None and city.health is None and city.participation is None
    assert [(c.status, c.ended_on) for c in city.compacts] == [
        ("terminated", datetime.date(2013, 6, 1))
    ]
    assert compute_city_dashboard(city_row(city_x), TODAY).charts is None


def test_a_city_without_any_compact_is_listed_with_nothing(city_x):
    city = figures_of(city_x)

    assert city.compacts == () and city.figures is None


# --- a fixed number of queries ----------------------------------------------------------------


def _populate(n_cities: int) -> list[dict]:
    rows = []
    for index in range(n_cities):
        city = CityFactory(name=f"Town {index}")
        compact = live_compact(city)
        signer = signatory(compact, ended_on=datetime.date(2014, 1, 1))
        term_at(signer, started_on=datetime.date(2014, 1, 2))
        c = commitment(compact)
        milestone(c, TODAY - days(3))
        milestone(c, TODAY - days(3), MilestoneStatus.DONE, completed_on=TODAY - days(4))
        activity(compact, TODAY - days(2), commitment_=c)
        school = CharterSchoolFactory(city=city)
        ParticipantFactory(compact=compact, organization=school)
        live_compact(city, status=CompactStatus.LAPSED)
        rows.append(city_row(city))
    return rows


@pytest.mark.parametrize("n_cities", [2, 20])
def test_city_figures_take_five_queries_however_many_cities(n_cities, django_assert_num_queries):
    rows = _populate(n_cities)

    with django_assert_num_queries(5):
        figures = compute_city_figures(rows, TODAY)

    assert len(figures) == n_cities
    assert all(city.figures.overdue_milestones == 1 for city in figures.values())


@pytest.mark.parametrize("n_cities", [2, 20])
def test_a_dashboard_takes_five_queries_however_big_the_city(n_cities, django_assert_num_queries):
    city = _populate(1)[0]
    compact = live_compact(Compact.objects.get(city_id=city["id"], status="active").city)
    for _ in range(n_cities):
        c = commitment(compact)
        milestone(c, TODAY - days(40))
        activity(compact, TODAY - days(100))
        signatory(compact)

    with django_assert_num_queries(5):
        dashboard = compute_city_dashboard(city, TODAY)

    assert dashboard.city.figures.overdue_milestones == 1 + n_cities


def test_stale_commitments_with_their_last_touch_as_my_work_shows_them(city_x):
    compact = live_compact(city_x)
    old = commitment(compact)
    touched = commitment(compact)
    activity(compact, TODAY - days(5), commitment_=old)
    milestone(touched, TODAY + days(60))
    touch_everything(_at(TODAY - days(200)))
    Commitment.objects.filter(pk=touched.pk).update(updated_at=_at(TODAY - days(120)))

    stale = Commitment.objects.stale(TODAY).with_last_touch().order_by("last_touch")

    assert [(row, row.last_touch) for row in stale] == [
        (old, _at(TODAY - days(200))),
        (touched, _at(TODAY - days(120))),
    ]
