"""Per-city rollups (reports/rollups.py): a page with a cold cache reads current figures in one
query; a write, a new day or a new release makes them be computed again; and figures computed
while a write commits are never kept as current."""

import datetime

import pytest
from django.utils import timezone

from compacts import services
from compacts.choices import CommitmentStatus
from reports import rollups, selectors
from reports.models import CityRollup
from tests.reports.builders import commitment, live_compact
from tests.reports.factories import CityRollupFactory
from tests.reports.pages import page_metrics
from tests.reports.test_views import UNCACHED, current_demo_banner
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compact(city_x):
    return live_compact(city_x, title="Xville Compact")


@pytest.fixture
def no_cache(settings):
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def computations(monkeypatch):
    """The cities each computation of figures or dashboards was asked for, in order."""
    asked = []
    compute_figures = selectors.compute_city_figures
    compute_dashboard = selectors.compute_city_dashboard

    def figures(cities, today=None, **kwargs):
        asked.append(("figures", [city["id"] for city in cities]))
        return compute_figures(cities, today, **kwargs)

    def dashboard(city, today=None):
        asked.append(("dashboard", [city["id"]]))
        return compute_dashboard(city, today)

    monkeypatch.setattr(selectors, "compute_city_figures", figures)
    monkeypatch.setattr(selectors, "compute_city_dashboard", dashboard)
    return asked


def cities(user):
    return selectors.cities_in_scope(user)


def completion(figures) -> str:
    return figures.figures.commitment_completion.export


def test_a_page_with_no_cache_reads_current_rollups_in_one_query(
    no_cache, viewer_client, city_x, compact, django_assert_num_queries
):
    commitment(compact)
    current_demo_banner()  # cached for every page; not this test's concern
    with django_assert_num_queries(UNCACHED):
        first = viewer_client.get("/cities/")
    # The reader's cities and roles are cached by the first page; the figures are one read.
    with django_assert_num_queries(1):
        second = viewer_client.get("/cities/")
    assert page_metrics(first) == page_metrics(second)


def test_a_write_through_a_service_is_computed_again(
    no_cache, viewer, viewer_client, city_x, compact, computations
):
    c = commitment(compact)
    viewer_client.get("/cities/")
    viewer_client.get("/cities/")
    assert computations == [("figures", [city_x.id])]

    services.commitment_update(
        commitment=c,
        data={"status": CommitmentStatus.ACHIEVED, "achieved_on": timezone.localdate()},
        actor=None,
    )

    assert page_metrics(viewer_client.get("/cities/"))["commitment_completion"] == "1.000"
    assert computations == [("figures", [city_x.id])] * 2


def test_figures_computed_while_a_write_commits_are_not_kept(viewer, city_x, compact, monkeypatch):
    """A reader takes the version, computes, and a write commits before it stores: what it
    stores is of the old version, so the next reader computes again and sees the write."""
    c = commitment(compact)
    compute = selectors.compute_city_figures

    def compute_then_a_write_commits(cities, today=None, **kwargs):
        computed = compute(cities, today, **kwargs)
        services.commitment_update(
            commitment=c,
            data={"status": CommitmentStatus.ACHIEVED, "achieved_on": timezone.localdate()},
            actor=None,
        )
        return computed

    today = timezone.localdate()
    monkeypatch.setattr(selectors, "compute_city_figures", compute_then_a_write_commits)
    before_the_write = rollups.city_figures(cities(viewer), today)[city_x.id]
    monkeypatch.setattr(selectors, "compute_city_figures", compute)

    assert completion(before_the_write) == "0.000"
    assert completion(rollups.city_figures(cities(viewer), today)[city_x.id]) == "1.000"


def test_another_day_or_release_computes_again(viewer, city_x, compact, computations, settings):
    today = timezone.localdate()
    rollups.city_figures(cities(viewer), today)
    rollups.city_figures(cities(viewer), today)
    assert len(computations) == 1

    rollups.city_figures(cities(viewer), today + datetime.timedelta(days=1))
    assert len(computations) == 2

    settings.RELEASE_ID = "next-release"
    rollups.city_figures(cities(viewer), today + datetime.timedelta(days=1))
    assert len(computations) == 3


def test_the_dashboard_keeps_the_citys_figures_too(viewer, city_x, compact, computations):
    today = timezone.localdate()
    dashboard = rollups.city_dashboard(cities(viewer)[0], today)
    figures = rollups.city_figures(cities(viewer), today)[city_x.id]

    assert computations == [("dashboard", [city_x.id])]
    assert figures == dashboard.city
    assert rollups.city_dashboard(cities(viewer)[0], today) == dashboard
    assert len(computations) == 1


def test_only_the_cities_without_current_figures_are_computed(
    superuser, city_x, city_y, compact, computations
):
    live_compact(city_y)
    today = timezone.localdate()
    everyone = cities(superuser)
    rollups.city_figures(everyone, today)

    commitment(compact)  # announces city X only
    by_city = rollups.city_figures(everyone, today)

    assert computations[-1] == ("figures", [city_x.id])
    assert by_city[city_x.id].figures.commitments == 1
    assert by_city[city_y.id].figures.commitments == 0


def test_a_write_moves_the_version_and_creates_a_missing_row(city_x, city_y):
    CityRollup.objects.all().delete()  # the factories announced the cities they made
    rollups.move_versions(frozenset({city_x.id, 987654}))  # a city deleted since: ignored
    assert dict(CityRollup.objects.values_list("city_id", "version")) == {city_x.id: 1}

    rollups.move_versions(None)
    rollups.move_versions(frozenset({city_x.id}))

    assert dict(CityRollup.objects.values_list("city_id", "version")) == {
        city_x.id: 3,
        city_y.id: 1,
    }


def test_a_row_whose_key_is_not_current_is_not_read(viewer, city_x, compact, computations):
    CityRollup.objects.all().delete()
    CityRollupFactory(city=city_x, version=4, figures_key="old-release:2020-01-01:4")

    figures = rollups.city_figures(cities(viewer), timezone.localdate())[city_x.id]

    assert computations == [("figures", [city_x.id])]
    assert figures.name == "Xville"
    assert CityRollup.objects.get(city=city_x).version == 4  # a reader never moves it


def test_a_new_city_is_read_without_a_row(viewer, computations):
    city = CityFactory(name="Newtown")
    CityRollup.objects.filter(city=city).delete()
    row = {"id": city.id, "name": city.name, "state": city.state, "slug": city.slug}

    first = rollups.city_figures([row], timezone.localdate())[city.id]
    again = rollups.city_figures([row], timezone.localdate())[city.id]

    assert first == again
    assert len(computations) == 1
    assert CityRollup.objects.get(city=city).version == rollups.NO_ROW_VERSION
