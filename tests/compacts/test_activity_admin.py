"""The activity changelist, the admin's largest table: an admin still finds an activity by kind,
date, state and city and by searching, while each page shows only what it can render cheaply."""

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.urls import reverse

from tests.compacts.factories import ActivityFactory, CompactFactory
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:compacts_activity_changelist")


@pytest.fixture
def places():
    """Two cities in Colorado and one in Texas, each with one logged activity."""
    denver = CityFactory(name="Denver", state="CO")
    aurora = CityFactory(name="Aurora", state="CO")
    houston = CityFactory(name="Houston", state="TX")
    for city in (denver, aurora, houston):
        ActivityFactory(compact=CompactFactory(city=city), title=f"Meeting in {city.name}")
    return {"denver": denver, "aurora": aurora, "houston": houston}


def _titles(response) -> set[str]:
    return {activity.title for activity in response.context["cl"].result_list}


def test_without_a_state_the_city_filter_lists_no_city(superuser_client, places):
    response = superuser_client.get(URL)

    page = response.content.decode()
    assert "?state=CO" in page and "?state=TX" in page
    assert f"city={places['denver'].pk}" not in page
    assert _titles(response) == {"Meeting in Denver", "Meeting in Aurora", "Meeting in Houston"}


def test_a_state_lists_its_cities_and_filters_the_activities(superuser_client, places):
    response = superuser_client.get(URL, {"state": "CO"})

    page = response.content.decode()
    assert f"city={places['denver'].pk}" in page and f"city={places['aurora'].pk}" in page
    assert f"city={places['houston'].pk}" not in page
    assert _titles(response) == {"Meeting in Denver", "Meeting in Aurora"}


def test_a_city_filters_the_activities(superuser_client, places):
    response = superuser_client.get(URL, {"state": "CO", "city": places["aurora"].pk})

    assert _titles(response) == {"Meeting in Aurora"}


def test_a_city_asked_for_without_its_state_is_shown_as_chosen(superuser_client, places):
    response = superuser_client.get(URL, {"city": places["houston"].pk})

    assert _titles(response) == {"Meeting in Houston"}
    assert ">Houston</a>" in response.content.decode()


def test_choosing_another_state_forgets_the_city(superuser_client, places):
    response = superuser_client.get(URL, {"state": "CO", "city": places["aurora"].pk})

    state_links = [
        choice["query_string"]
        for spec in response.context["cl"].filter_specs
        if spec.title == "state"
        for choice in spec.choices(response.context["cl"])
    ]
    assert "?state=TX" in state_links
    assert all("city=" not in link for link in state_links)


def test_a_city_that_is_not_a_number_is_refused_not_an_error(superuser_client, places):
    response = superuser_client.get(URL, {"city": "x"})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_search_box_finds_a_city_by_name(superuser_client, places):
    response = superuser_client.get(URL, {"q": "Houston"})

    assert _titles(response) == {"Meeting in Houston"}


def test_only_the_date_column_sorts(superuser_client, places):
    response = superuser_client.get(URL)

    headers = result_headers(response.context["cl"])
    assert [h["text"] for h in headers if h["sortable"]] == ["occurred on"]


def test_the_changelist_leaves_out_the_sidebar_of_every_model(superuser_client, places):
    page = superuser_client.get(URL).content.decode()

    assert 'id="nav-sidebar"' not in page
    assert 'href="/admin/"' in page  # the breadcrumbs still lead home
