"""Cached figures: every write through the ORM is visible on the next page load; bulk writes are
visible once the writer calls invalidate_cities / invalidate_all; a write in one city leaves the
others' cache alone."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus
from reports import cache as report_cache
from reports import signals
from schools.choices import LeadershipRole
from tests.compacts.factories import GrantFactory, ParticipantFactory, SignatoryFactory
from tests.reports.builders import (
    activity,
    commitment,
    days,
    live_compact,
    milestone,
    signatory,
)
from tests.reports.pages import page_metrics, page_text
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    LeadershipTermFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def compact(city_x):
    return live_compact(city_x, title="Xville Compact")


def dashboard(user, city):
    return report_cache.city_dashboard_get(user=user, slug=city.slug)


def test_marking_a_milestone_done_shows_on_the_next_dashboard_load(viewer_client, city_x, compact):
    today = timezone.localdate()
    late = milestone(commitment(compact), today - days(3))
    url = f"/cities/{city_x.slug}/"
    assert page_metrics(viewer_client.get(url))["overdue_milestones"] == "1"
    assert page_metrics(viewer_client.get(url))["overdue_milestones"] == "1"  # from the cache

    late.status, late.completed_on = MilestoneStatus.DONE, today
    late.save()

    shown = page_metrics(viewer_client.get(url))
    assert shown["overdue_milestones"] == "0"
    assert shown["milestone_on_time"] == "0.000"


def test_a_write_shows_on_the_next_load_of_the_cities_and_the_portfolio(
    viewer_client, city_x, compact
):
    c = commitment(compact)
    viewer_client.get("/cities/")
    viewer_client.get("/reports/?export=csv")

    c.status, c.achieved_on = CommitmentStatus.ACHIEVED, timezone.localdate()
    c.save()

    assert page_metrics(viewer_client.get("/cities/"))["commitment_completion"] == "1.000"
    assert "1.000" in viewer_client.get("/reports/?export=csv").content.decode()


def _retention(user, city):
    return dashboard(user, city).city.figures.signatory_retention.export


def _participation(user, city):
    return dashboard(user, city).city.participation.overall.export


def test_every_kind_of_record_invalidates_its_city(viewer, city_x, compact):
    """Each write changes a figure; each change shows at once."""
    today = timezone.localdate()
    figures = lambda: dashboard(viewer, city_x).city.figures  # noqa: E731

    c = commitment(compact)
    assert figures().commitments == 1
    m = milestone(c, today - days(1))
    assert figures().overdue_milestones == 1
    m.delete()
    assert figures().overdue_milestones == 0
    activity(compact, today)
    assert figures().activities_last_12_months == 1
    signer = signatory(compact, role=LeadershipRole.MAYOR)
    assert _retention(viewer, city_x) == "1.000"
    term = signer.leadership_term
    term.ended_on, term.end_reason = today - days(1), "moved"
    term.save()
    assert _retention(viewer, city_x) == "0.000"
    assert figures().leadership_changes_since_signing == 1
    school = CharterSchoolFactory(city=city_x)
    assert _participation(viewer, city_x) == "0.000"
    participant = ParticipantFactory(compact=compact, organization=school)
    assert _participation(viewer, city_x) == "1.000"
    participant.left_on = today
    participant.save()
    assert _participation(viewer, city_x) == "0.000"
    school.is_open = False
    school.save()
    assert _participation(viewer, city_x) == ""
    compact.status, compact.ended_on = CompactStatus.TERMINATED, today
    compact.save()
    assert dashboard(viewer, city_x).city.figures is None


def test_renaming_a_person_or_a_seat_of_no_city_shows_on_the_dashboard(viewer, city_x, compact):
    network = CharterNetworkFactory(name="Star Schools")
    term = LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2013, 1, 1),
    )
    SignatoryFactory(compact=compact, leadership_term=term)
    departed = dashboard(viewer, city_x).city.figures.departed_signatories[0]
    assert departed.organization == "Star Schools"

    network.name = "North Star Schools"
    network.save()
    term.person.full_name = "Renamed Person"
    term.person.save()

    departed = dashboard(viewer, city_x).city.figures.departed_signatories[0]
    assert (departed.organization, departed.name) == ("North Star Schools", "Renamed Person")


def test_renaming_a_city_shows_on_its_card(viewer, city_x, compact):
    assert report_cache.city_figures_list(user=viewer)[0].name == "Xville"

    city_x.name = "Exville"
    city_x.save()

    assert report_cache.city_figures_list(user=viewer)[0].name == "Exville"


def test_grants_and_opt_in_changes_invalidate_their_city(city_x, compact):
    today = timezone.localdate()
    keys = report_cache.data_keys([city_x.id], today)
    GrantFactory(compact=compact)
    after_grant = report_cache.data_keys([city_x.id], today)
    c = commitment(compact)
    before_opt_in = report_cache.data_keys([city_x.id], today)
    c.participants.add(ParticipantFactory(compact=compact))
    after_opt_in = report_cache.data_keys([city_x.id], today)

    assert keys != after_grant
    assert before_opt_in != after_opt_in


def test_a_write_in_one_city_leaves_the_other_cities_cached(
    superuser, city_x, city_y, compact, django_assert_num_queries
):
    live_compact(city_y)
    report_cache.city_figures_list(user=superuser)
    y_keys = report_cache.data_keys([city_y.id], timezone.localdate())

    commitment(compact)

    assert report_cache.data_keys([city_y.id], timezone.localdate()) == y_keys
    assert report_cache.get_many(y_keys, report_cache.CITY)
    # Only city X is computed again: the same five queries, for one city instead of two.
    with django_assert_num_queries(6):
        cities = report_cache.city_figures_list(user=superuser)
    assert [city.figures.commitments for city in cities] == [1, 0]


def test_bulk_writes_show_once_the_writer_invalidates(viewer, city_x, city_y, compact):
    c = commitment(compact)
    assert dashboard(viewer, city_x).city.figures.commitments_with_status("in_progress") == 1

    # QuerySet.update sends no signal: importers and generators invalidate themselves.
    type(c).objects.filter(pk=c.pk).update(status=CommitmentStatus.STALLED)
    assert dashboard(viewer, city_x).city.figures.commitments_with_status("stalled") == 0

    report_cache.invalidate_cities([city_x.id])
    assert dashboard(viewer, city_x).city.figures.commitments_with_status("stalled") == 1

    type(c).objects.filter(pk=c.pk).update(status=CommitmentStatus.ABANDONED)
    report_cache.invalidate_all()
    assert dashboard(viewer, city_x).city.figures.commitments_with_status("abandoned") == 1


def test_figures_computed_before_a_write_are_never_served_after_it(viewer, city_x, compact):
    today = timezone.localdate()
    stale = report_cache.city_figures_list(user=viewer)[0]
    # A reader took the version tokens, then a write invalidated the city, then the reader
    # stored what it had computed from the old data.
    keys = report_cache.data_keys([city_x.id], today)
    commitment(compact)
    report_cache.set_many(keys, report_cache.CITY, {city_x.id: stale})

    assert report_cache.city_figures_list(user=viewer)[0].figures.commitments == 1


def test_an_evicted_version_token_never_brings_back_older_figures(viewer, city_x, compact):
    assert report_cache.city_figures_list(user=viewer)[0].figures.commitments == 0  # cached
    commitment(compact)  # a new token for the city
    cache.delete(f"reports:version:city:{city_x.id}")  # ...evicted

    assert report_cache.city_figures_list(user=viewer)[0].figures.commitments == 1


def test_the_writes_of_a_transaction_invalidate_again_at_commit_in_one_callback(
    city_x, city_y, compact
):
    with transaction.atomic():
        c = commitment(compact)
        milestone(c, timezone.localdate())
        activity(compact, timezone.localdate())
        live_compact(city_y)
        callbacks = [
            callback
            for _savepoints, callback, _robust in connection.run_on_commit
            if isinstance(callback, signals._InvalidateOnCommit)
        ]

    assert len(callbacks) == 1
    assert {city_x.id, city_y.id} <= callbacks[0].city_ids
    keys = report_cache.data_keys([city_x.id, city_y.id], timezone.localdate())
    callbacks[0]()
    after = report_cache.data_keys([city_x.id, city_y.id], timezone.localdate())
    assert keys[city_x.id] != after[city_x.id] and keys[city_y.id] != after[city_y.id]


def test_the_city_card_shows_the_new_health_after_a_write(viewer_client, city_x, compact):
    c = commitment(compact)
    assert "On track" in page_text(viewer_client.get("/cities/"))

    milestone(c, timezone.localdate() - days(1))

    text = page_text(viewer_client.get("/cities/"))
    assert "At risk" in text
    assert "1 of 1 milestone is overdue (100%)" in text


class _RefusingCache:
    def __getattr__(self, name):
        raise AssertionError(f"a selector touched the cache: cache.{name}")


def test_selectors_compute_without_touching_the_cache(monkeypatch, viewer, city_x, compact):
    from reports import selectors

    c = commitment(compact)
    milestone(c, timezone.localdate() - days(1))
    monkeypatch.setattr(report_cache, "cache", _RefusingCache())
    assert selectors.city_figures_list(user=viewer)[0].figures.overdue_milestones == 1
    dashboard = selectors.city_dashboard_get(user=viewer, slug=city_x.slug)
    assert dashboard.city.figures.overdue_milestones == 1
    assert dashboard.charts is not None
