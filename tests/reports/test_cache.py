"""Cached figures: every write through a service or the admin is visible on the next page load;
bulk writes are visible once the writer announces them; a write in one city leaves the others'
cache alone; a transaction announces its cities once, when it commits."""

import datetime

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from compacts import services
from compacts.choices import (
    ActivityKind,
    Category,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
)
from core.changes import city_changed
from reports import cache as report_cache
from schools.choices import LeadershipRole
from schools.services import leadership_term_correct
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


@pytest.fixture(autouse=True, params=["cache", "rollups alone"])
def _figures_store(request, settings):
    """Every test here runs twice: with the cache in front of the rollups, and with the rollups
    alone (DASHBOARD_CACHE_SECONDS=0, reports/rollups.py), which must see every write by
    themselves."""
    if request.param == "rollups alone":
        settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def compact(city_x):
    return live_compact(city_x, title="Xville Compact")


def dashboard(user, city):
    return report_cache.city_dashboard_get(user=user, slug=city.slug)


def admin_save(record, user):
    """Save `record` as the admin's change form does (reference data has no service)."""
    request = RequestFactory().post("/")
    request.user = user
    admin.site._registry[type(record)].save_model(request, record, form=None, change=True)


def test_marking_a_milestone_done_shows_on_the_next_dashboard_load(viewer_client, city_x, compact):
    today = timezone.localdate()
    late = milestone(commitment(compact), today - days(3))
    url = f"/cities/{city_x.slug}/"
    assert page_metrics(viewer_client.get(url))["overdue_milestones"] == "1"
    assert page_metrics(viewer_client.get(url))["overdue_milestones"] == "1"  # from the cache

    services.milestone_update(
        milestone=late, data={"status": MilestoneStatus.DONE, "completed_on": today}, actor=None
    )

    shown = page_metrics(viewer_client.get(url))
    assert shown["overdue_milestones"] == "0"
    assert shown["milestone_on_time"] == "0.000"


def test_a_write_shows_on_the_next_load_of_the_cities_and_the_portfolio(
    viewer_client, city_x, compact
):
    c = commitment(compact)
    viewer_client.get("/cities/")
    viewer_client.get("/reports/?export=csv")

    services.commitment_update(
        commitment=c,
        data={"status": CommitmentStatus.ACHIEVED, "achieved_on": timezone.localdate()},
        actor=None,
    )

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
    services.milestone_delete(milestone=m, actor=None)
    assert figures().overdue_milestones == 0
    activity(compact, today)
    assert figures().activities_last_12_months == 1
    signer = signatory(compact, role=LeadershipRole.MAYOR)
    assert _retention(viewer, city_x) == "1.000"
    term = signer.leadership_term
    leadership_term_correct(
        term=term, data={"ended_on": today - days(1), "end_reason": "moved"}, actor=None
    )
    assert _retention(viewer, city_x) == "0.000"
    assert figures().leadership_changes_since_signing == 1
    school = CharterSchoolFactory(city=city_x)
    assert _participation(viewer, city_x) == "0.000"
    participant = ParticipantFactory(compact=compact, organization=school)
    assert _participation(viewer, city_x) == "1.000"
    services.participant_update(participant=participant, data={"left_on": today}, actor=None)
    assert _participation(viewer, city_x) == "0.000"
    school.is_open = False
    admin_save(school, viewer)
    assert _participation(viewer, city_x) == ""
    services.compact_update(
        compact=compact,
        data={"status": CompactStatus.TERMINATED, "ended_on": today},
        actor=None,
    )
    assert dashboard(viewer, city_x).city.figures is None


def test_renaming_a_person_or_a_seat_of_no_city_shows_on_the_dashboard(
    viewer, superuser, city_x, compact
):
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
    admin_save(network, superuser)
    leadership_term_correct(term=term, data={"person_name": "Renamed Person"}, actor=None)

    departed = dashboard(viewer, city_x).city.figures.departed_signatories[0]
    assert (departed.organization, departed.name) == ("North Star Schools", "Renamed Person")


def test_renaming_a_city_shows_on_its_card(viewer, superuser, city_x, compact):
    assert report_cache.city_figures_list(user=viewer)[0].name == "Xville"

    city_x.name = "Exville"
    admin_save(city_x, superuser)

    assert report_cache.city_figures_list(user=viewer)[0].name == "Exville"


def test_grants_and_opt_in_changes_invalidate_their_city(city_x, compact):
    today = timezone.localdate()
    keys = report_cache.data_keys([city_x.id], today)
    GrantFactory(compact=compact)
    after_grant = report_cache.data_keys([city_x.id], today)
    c = commitment(compact)
    opted_in = ParticipantFactory(compact=compact)
    before_opt_in = report_cache.data_keys([city_x.id], today)
    services.commitment_update(commitment=c, data={"participants": [opted_in]}, actor=None)
    after_opt_in = report_cache.data_keys([city_x.id], today)

    assert keys != after_grant
    assert before_opt_in != after_opt_in


@pytest.mark.parametrize("_figures_store", ["cache"], indirect=True)
def test_a_write_in_one_city_leaves_the_other_cities_cached(
    superuser, city_x, city_y, compact, django_assert_num_queries
):
    live_compact(city_y)
    report_cache.city_figures_list(user=superuser)
    y_keys = report_cache.data_keys([city_y.id], timezone.localdate())

    commitment(compact)

    assert report_cache.data_keys([city_y.id], timezone.localdate()) == y_keys
    assert report_cache.get_many(y_keys, report_cache.CITY)
    # Only city X is computed again: the same five queries, for one city instead of two, between
    # reading and storing the rollup (reports/rollups.py); 6 before the rollups.
    with django_assert_num_queries(8):
        cities = report_cache.city_figures_list(user=superuser)
    assert [city.figures.commitments for city in cities] == [1, 0]


def test_bulk_writes_show_once_the_writer_invalidates(viewer, city_x, city_y, compact):
    c = commitment(compact)
    assert dashboard(viewer, city_x).city.figures.commitments_with_status("in_progress") == 1

    # A write that bypasses the services sends no signal: importers and generators announce
    # their own.
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
    cache.delete(f"versions:city:{city_x.id}")  # ...evicted

    assert report_cache.city_figures_list(user=viewer)[0].figures.commitments == 1


@pytest.mark.city_changes_on_commit
def test_the_writes_of_a_transaction_announce_their_cities_once_at_commit(
    city_x, city_y, compact, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, city_ids, **kwargs):
        heard.append(city_ids)

    city_changed.connect(listener)
    try:
        keys = report_cache.data_keys([city_x.id, city_y.id], timezone.localdate())
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            c = services.commitment_create(
                compact=compact, category=Category.DATA, title="One", actor=None
            )
            services.activity_create(
                compact=compact,
                kind=ActivityKind.MEETING,
                occurred_on=timezone.localdate(),
                title="Met",
                commitment=c,
                actor=None,
            )
            services.compact_create(
                city=city_y, title="Y", signed_on=timezone.localdate(), actor=None
            )
            assert heard == []  # nothing before the commit
    finally:
        city_changed.disconnect(listener)

    assert heard == [frozenset({city_x.id, city_y.id})]
    after = report_cache.data_keys([city_x.id, city_y.id], timezone.localdate())
    assert keys[city_x.id] != after[city_x.id] and keys[city_y.id] != after[city_y.id]


@pytest.mark.city_changes_on_commit
def test_a_transaction_that_rolls_back_announces_nothing(
    city_x, compact, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, city_ids, **kwargs):
        heard.append(city_ids)

    city_changed.connect(listener)
    try:
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            services.compact_update(compact=compact, data={"title": "New"}, actor=None)
            raise RuntimeError
    finally:
        city_changed.disconnect(listener)

    assert heard == []


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
