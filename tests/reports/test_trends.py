"""Monthly snapshots and the city over time: a snapshot equals what the live metrics gave that day,
the backfill is deterministic, and the dashboard says in words what changed since last quarter."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus
from reports import selectors, snapshots
from reports.models import CitySnapshot, CompactSnapshot
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
from tests.reports.pages import page_text, read_page
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db

FROZEN = datetime.datetime(2026, 3, 18, 15, 30, tzinfo=datetime.UTC)


@pytest.fixture
def frozen(monkeypatch):
    """Today is 18 Mar 2026 for everything that asks Django what day it is."""
    monkeypatch.setattr(timezone, "now", lambda: FROZEN)
    return FROZEN.date()


def _busy_city(city, today):
    compact = live_compact(city)
    achieved = commitment(compact, CommitmentStatus.ACHIEVED, achieved_on=today - days(20))
    open_ = commitment(compact)
    milestone(open_, today - days(3))  # overdue
    milestone(achieved, today - days(40), MilestoneStatus.DONE, completed_on=today - days(45))
    milestone(open_, today - days(50), MilestoneStatus.MISSED)
    signer = signatory(compact, ended_on=today - days(10))
    term_at(signer, started_on=today - days(9))
    activity(compact, today - days(5), commitment_=open_)
    return compact


def test_a_snapshot_holds_what_the_live_metrics_give_that_day(frozen, city_x, city_y):
    compact = _busy_city(city_x, frozen)
    live_compact(city_y, status=CompactStatus.TERMINATED, ended_on=datetime.date(2013, 6, 1))

    assert snapshots.take() == 2

    live = selectors.compute_city_figures([city_row(city_x), city_row(city_y)], frozen)
    x = CitySnapshot.objects.get(city=city_x)
    assert (x.month, x.as_of, x.backfilled) == (datetime.date(2026, 3, 1), frozen, False)
    figures = live[city_x.id]
    assert x.health == figures.health.colour == "red"
    assert x.reasons == list(figures.health.reasons)
    assert x.figures == snapshots.figures_payload(figures.figures, figures.participation.overall)
    assert x.figures["commitment_completion"] == [1, 2]
    assert x.figures["overdue_milestones"] == 1
    assert x.figures["name_only"] is False
    one = CompactSnapshot.objects.get(compact=compact)
    assert one.figures == snapshots.figures_payload(figures.compacts[0].figures)
    y = CitySnapshot.objects.get(city=city_y)
    assert (y.health, y.figures, y.reasons) == ("", {}, [])


def test_taking_again_in_the_same_month_replaces_that_month(frozen, city_x):
    compact = _busy_city(city_x, frozen)
    snapshots.take()
    commitment(compact, CommitmentStatus.ACHIEVED, achieved_on=frozen - days(1))

    snapshots.take(frozen + days(2))

    row = CitySnapshot.objects.get(city=city_x)
    assert CitySnapshot.objects.count() == 1
    assert (row.as_of, row.figures["commitment_completion"]) == (frozen + days(2), [2, 3])


def _rows():
    return [
        (row.city_id, row.month, row.as_of, row.health, row.reasons, row.figures, row.backfilled)
        for row in CitySnapshot.objects.order_by("city_id", "month")
    ]


def test_the_backfill_is_deterministic_and_keeps_months_taken_on_the_day(frozen, city_x):
    _busy_city(city_x, frozen)
    taken = snapshots.take(datetime.date(2025, 12, 31))

    written = snapshots.backfill(datetime.date(2025, 9, 14))
    first = _rows()
    CitySnapshot.objects.filter(backfilled=True).delete()
    snapshots.backfill(datetime.date(2025, 9, 1))

    assert taken == 1
    assert written == 5  # Sep, Oct, Nov 2025, Jan, Feb 2026; December was taken on the day
    assert _rows() == first
    months = [(row[1], row[2], row[6]) for row in first]
    assert months[0] == (datetime.date(2025, 9, 1), datetime.date(2025, 9, 30), True)
    assert (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31), False) in months
    assert months[-1] == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28), True)


def test_the_command_backfills_from_the_first_signing_and_takes_this_month(frozen, city_x):
    live_compact(city_x, signed_on=datetime.date(2025, 11, 20))

    call_command("snapshot_figures", "--backfill", stdout=(out := _Out()))

    assert "Backfilled 4 months from 2025-11." in out.text
    assert "Stored this month's figures of 1 cities." in out.text
    assert CitySnapshot.objects.count() == 5


def test_the_command_refuses_a_month_it_cannot_read(frozen):
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("snapshot_figures", "--backfill", "--since", "March")


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text


# --- the dashboard -------------------------------------------------------------------------


def _baseline(city, today, **figures):
    """The snapshot of three months back, as the monthly job would have left it."""
    month = snapshots.add_months(snapshots.month_of(today), -3)
    defaults = {
        "commitment_completion": [0, 2],
        "milestone_on_time": [1, 1],
        "signatory_retention": [1, 1],
        "charter_participation": [0, 0],
        "overdue_milestones": 0,
        "stale_commitments": 0,
    }
    return CitySnapshot.objects.create(
        city=city,
        month=month,
        as_of=snapshots.month_end(month),
        health="green",
        reasons=["All well"],
        figures=defaults | figures,
    )


def test_the_dashboard_says_what_changed_since_last_quarter(frozen, viewer_client, city_x):
    _busy_city(city_x, frozen)
    _baseline(city_x, frozen)

    page = viewer_client.get(f"/cities/{city_x.slug}/")
    text = page_text(page)

    assert "What changed since 31 Dec 2025" in text
    assert "Health went from On track to At risk." in text
    assert "Commitment completion rose from 0% to 50%." in text
    assert "Signatory retention fell from 100% to 0%." in text
    assert "Overdue milestones rose from 0 to 1." in text
    assert "1 milestone done, 1 missed." in text
    assert "left on 8 Mar 2026." in text
    links = read_page(page).links
    assert (
        f"/milestones/?city={city_x.slug}&live=true&status=done&completed_after=2026-01-01"
        "&completed_before=2026-03-18"
    ) in links
    # The month-by-month table: the snapshot's month, then today.
    assert "Dec 2025 On track 0% 100% 100% n/a 0 0" in text
    assert "Today, 18 Mar 2026 At risk 50%" in text


def test_without_a_recorded_month_the_dashboard_says_how_months_appear(
    frozen, viewer_client, city_x
):
    _busy_city(city_x, frozen)

    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/"))

    assert "What changed since" not in text
    assert "No month has been recorded yet" in text


def test_a_leader_who_left_elsewhere_is_not_this_citys_change(frozen, viewer_client, city_x):
    _busy_city(city_x, frozen)
    _baseline(city_x, frozen)
    elsewhere = live_compact(CityFactory(name="Elsewhere"))
    signatory(elsewhere, ended_on=frozen - days(4))

    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/"))
    change = text[text.index("What changed since") : text.index("The main figures")]

    assert change.count(" left on ") == 1


@pytest.mark.parametrize("n_months", [2, 30])
def test_the_trend_takes_a_fixed_number_of_queries(
    n_months, frozen, viewer_client, city_x, django_assert_num_queries
):
    from tests.reports.test_views import CACHED, TREND, UNCACHED

    _busy_city(city_x, frozen)
    for back in range(4, 4 + n_months):
        month = snapshots.add_months(snapshots.month_of(frozen), -back)
        CitySnapshot.objects.create(
            city=city_x, month=month, as_of=snapshots.month_end(month), health="amber"
        )
    _baseline(city_x, frozen)
    viewer_client.get("/cities/")  # the user's cities and roles, cached for every page

    # The snapshots, then the milestones, the departures and the re-affirmations of the quarter.
    with django_assert_num_queries(UNCACHED - 2 + TREND + 3):
        viewer_client.get(f"/cities/{city_x.slug}/")
    with django_assert_num_queries(CACHED):
        viewer_client.get(f"/cities/{city_x.slug}/")


def test_a_backfilled_quarter_says_its_stale_figure_is_not_known(frozen, viewer_client, city_x):
    _busy_city(city_x, frozen)
    baseline = _baseline(city_x, frozen, stale_commitments=None)
    baseline.backfilled = True
    baseline.save()

    text = page_text(viewer_client.get(f"/cities/{city_x.slug}/"))

    assert (
        "Stale commitments: 0 today; no comparison, as this figure was not recorded on 31 Dec 2025."
    ) in text
    assert "Dec 2025* On track 0% 100% 100% n/a 0 n/a" in text
    assert "stale commitments are n/a in those months" in text


def test_the_packs_table_reads_a_run_of_unchanged_months_as_one_row():
    from reports.figures import Ratio
    from reports.trends import CityTrend, TrendRow

    def month(label, health="amber", completion=(1, 4), overdue=2, **kwargs):
        return TrendRow(label, health, (Ratio(*completion),), (overdue,), **kwargs)

    trend = CityTrend(
        rows=(
            month("Jan 2026"),
            month("Feb 2026", completion=(2, 8)),  # 25% as shown: the same line
            month("Mar 2026"),
            month("Apr 2026", overdue=3),
            month("May 2026", health="red", overdue=3),
            month("Jun 2026", health="red", overdue=3, backfilled=True),
            month("Today, 6 Jun 2026", health="red", overdue=3, is_today=True),
        ),
        change=None,
    )

    assert [row.label for row in trend.collapsed_rows] == [
        "Jan 2026 – Mar 2026",
        "Apr 2026",
        "May 2026",
        "Jun 2026",
        "Today, 6 Jun 2026",
    ]
    assert len(trend.rows) == 7  # the chart keeps every month


def test_a_backfilled_baseline_is_compared_without_todays_stale_commitments(
    frozen, viewer_client, city_x
):
    """A backfilled month knew no stale commitments: a city whose only problem today is one
    did not get worse since (phone review: Los Angeles read "worse")."""
    from compacts.models import Commitment
    from reports import cache as report_cache

    compact = live_compact(city_x)
    quiet = commitment(compact)
    Commitment.objects.filter(pk=quiet.pk).update(updated_at=FROZEN - days(200))
    report_cache.invalidate_cities([city_x.id])
    baseline = _baseline(city_x, frozen, stale_commitments=None, commitment_completion=[0, 1])
    baseline.backfilled = True
    baseline.save()

    dashboard = page_text(viewer_client.get(f"/cities/{city_x.slug}/"))
    portfolio = viewer_client.get("/reports/?export=csv").content.decode()

    assert "Needs attention" in dashboard  # today, with the stale commitment
    assert "Health stayed On track." in dashboard
    assert ",same," in portfolio
    assert "stale commitments not compared (not recorded then)" in portfolio
