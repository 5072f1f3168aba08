"""Every read endpoint as anonymous / viewer / outsider / editor / superuser: city X's records
are there for its members and superusers, and do not exist (404) for the editor of city Y."""

import pytest
from django.urls import reverse

from reports import cache as report_cache

PERSONAS_SEEING_X = {"viewer", "editor", "superuser"}

# (URL name, how to name city X's record from the world)
DETAILS = [
    ("api:city-detail", lambda w: {"slug": w.x.city.slug}),
    ("api:city-figures", lambda w: {"slug": w.x.city.slug}),
    ("api:organization-detail", lambda w: {"pk": w.x.district.pk}),
    ("api:term-detail", lambda w: {"pk": w.x.term.pk}),
    ("api:compact-detail", lambda w: {"pk": w.x.compact.pk}),
    ("api:commitment-detail", lambda w: {"pk": w.x.commitment.pk}),
    ("api:milestone-detail", lambda w: {"pk": w.x.milestone.pk}),
    ("api:activity-detail", lambda w: {"pk": w.x.activity.pk}),
    ("api:grant-detail", lambda w: {"pk": w.x.grant.pk}),
]
LISTS = [
    "api:city-list",
    "api:organization-list",
    "api:term-list",
    "api:compact-list",
    "api:commitment-list",
    "api:milestone-list",
    "api:activity-list",
    "api:grant-list",
]


@pytest.mark.parametrize("persona", ["anonymous", "viewer", "outsider", "editor", "superuser"])
@pytest.mark.parametrize(("name", "kwargs"), DETAILS, ids=[name for name, _ in DETAILS])
def test_a_record_of_city_x_exists_only_for_its_members(api, world, persona, name, kwargs):
    response = api[persona].get(reverse(name, kwargs=kwargs(world)))
    expected = {"anonymous": 401, "outsider": 404}.get(persona, 200)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("persona", ["viewer", "outsider", "editor", "superuser"])
@pytest.mark.parametrize("name", LISTS)
def test_a_list_shows_only_the_cities_of_the_reader(api, world, persona, name):
    response = api[persona].get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    if persona == "superuser":
        return
    own, foreign = (world.y, world.x) if persona == "outsider" else (world.x, world.y)
    assert foreign.city.slug not in body
    assert foreign.city.name not in body
    assert own.city.slug in body or name in {"api:organization-list", "api:term-list"}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_refuses_anonymous_callers(api, world, name):
    response = api["anonymous"].get(reverse(name))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_compact_comes_with_its_signatories_and_participants(api, world):
    url = reverse("api:compact-detail", kwargs={"pk": world.x.compact.pk})
    data = api["viewer"].get(url).json()
    assert {s["id"] for s in data["signatories"]} == set(
        world.x.compact.signatories.values_list("pk", flat=True)
    )
    assert [p["organization"]["id"] for p in data["participants"]] == [world.x.district.pk]
    assert data["city"] == world.x.city.slug


def test_the_lists_take_the_filters_of_the_pages(api, world, editor):
    from tests.compacts.factories import CommitmentFactory

    CommitmentFactory(compact=world.x.compact, title="Xville facilities", category="FAC")
    url = reverse("api:commitment-list")
    titles = [row["title"] for row in api["editor"].get(url, {"category": "FAC"}).json()["results"]]
    assert titles == ["Xville facilities"]
    bad = api["editor"].get(url, {"city": world.y.city.slug})
    assert bad.status_code == 400
    assert "city" in bad.json()


def test_the_figures_are_those_of_the_reports(api, world, viewer):
    url = reverse("api:city-figures", kwargs={"slug": world.x.city.slug})
    data = api["viewer"].get(url).json()
    (figures,) = report_cache.city_figures_list(user=viewer)
    assert data["slug"] == figures.slug
    assert data["figures"]["commitments"] == figures.figures.commitments
    assert data["figures"]["milestones"] == figures.figures.milestones
    assert data["health"]["colour"] == figures.health.colour
    assert [c["id"] for c in data["compacts"]] == [c.id for c in figures.compacts]


def test_a_write_shows_in_the_next_figures(api, world):
    url = reverse("api:city-figures", kwargs={"slug": world.x.city.slug})
    before = api["editor"].get(url).json()["figures"]["commitments"]
    api["editor"].post(
        reverse("api:commitment-list"),
        {"compact": world.x.compact.pk, "category": "ENR", "title": "Xville another"},
        format="json",
    )
    assert api["editor"].get(url).json()["figures"]["commitments"] == before + 1


def test_the_browsable_api_answers_a_signed_in_browser(viewer_client, world):
    response = viewer_client.get(reverse("api:compact-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert world.x.compact.title.encode() in response.content


def test_lists_page_with_a_cursor(api, world):
    from tests.compacts.factories import ActivityFactory

    for n in range(3):
        ActivityFactory(compact=world.x.compact, title=f"Xville extra {n}")
    url = reverse("api:activity-list")
    first = api["editor"].get(url, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = api["editor"].get(first["next"]).json()
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 4
