"""A city's change log includes the organizations of no city that take part in or signed its
compacts, their leadership terms and the people in them: a network CEO's departure shows in the
log of the city whose retention it changed (Spring Branch and YES Prep in the demo data)."""

import datetime

import pytest
from django.urls import reverse

from core.audit import recorded_as
from history.records import history_url
from schools.choices import LeadershipRole
from tests.compacts.factories import CompactFactory, ParticipantFactory, SignatoryFactory
from tests.schools.factories import CharterNetworkFactory, LeadershipTermFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _changes_url(city) -> str:
    return reverse("core:city_changes", kwargs={"slug": city.slug})


def _network_ceo(compact, name="YES Prep Public Schools", ceo="Jason Bernal"):
    network = CharterNetworkFactory(name=name)
    term = LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person=PersonFactory(full_name=ceo),
        started_on=datetime.date(2011, 1, 1),
    )
    SignatoryFactory(compact=compact, leadership_term=term)
    return network, term


def _depart(term, editor):
    with recorded_as(editor):
        term.ended_on, term.end_reason = datetime.date(2024, 6, 30), "moved"
        term.save()


def _labels(response) -> list[str]:
    return [version.record_label for version in response.context["versions"]]


def test_a_network_ceos_departure_shows_in_the_log_of_the_city_it_signed_for(
    city_x, city_y, editor, viewer_client, outsider_client
):
    _, term = _network_ceo(CompactFactory(city=city_x, title="SKY Partnership"))
    CompactFactory(city=city_y)
    _depart(term, editor)

    response = viewer_client.get(_changes_url(city_x))

    [departure] = [v for v in response.context["versions"] if v.action == "Changed"]
    assert departure.tracked.model_name == "leadershipterm"
    assert "Ended on: empty → 30 Jun 2024" in [str(change) for change in departure.changes]
    assert "Jason Bernal" in departure.record_label
    assert "Jason Bernal" in " ".join(_labels(response))  # the person, created with the term
    assert "YES Prep Public Schools" in " ".join(_labels(response))
    # Another city's log does not show it; the term's history opens for the city's viewer.
    assert "Jason Bernal" not in outsider_client.get(_changes_url(city_y)).content.decode()
    assert viewer_client.get(history_url(term)).status_code == 200
    assert outsider_client.get(history_url(term)).status_code == 404


def test_a_participating_network_and_its_leaders_show_in_the_log(city_x, editor, viewer_client):
    compact = CompactFactory(city=city_x)
    network = CharterNetworkFactory(name="KIPP Houston")
    ParticipantFactory(compact=compact, organization=network)
    term = LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person=PersonFactory(full_name="Sehba Ali"),
        started_on=datetime.date(2015, 1, 1),
    )
    _depart(term, editor)

    labels = " ".join(_labels(viewer_client.get(f"{_changes_url(city_x)}?user={editor.pk}")))

    assert "Sehba Ali" in labels


def test_a_network_of_no_compact_of_the_city_stays_out_of_its_log(city_x, city_y, viewer_client):
    _, term = _network_ceo(CompactFactory(city=city_y), name="Elsewhere Schools", ceo="Al Far")

    text = viewer_client.get(_changes_url(city_x)).content.decode()

    assert "Al Far" not in text and "Elsewhere Schools" not in text
    assert viewer_client.get(history_url(term)).status_code == 404


@pytest.mark.parametrize("networks", [1, 4])
def test_the_log_makes_the_same_queries_however_many_networks_signed(
    city_x, editor, viewer_client, django_assert_num_queries, networks
):
    compact = CompactFactory(city=city_x)
    for n in range(networks):
        _, term = _network_ceo(compact, name=f"Network {n}", ceo=f"CEO {n}")
        _depart(term, editor)
    viewer_client.get(_changes_url(city_x))  # warm the session

    # The same whatever the number of networks: city, authors, count, page; per kind on the page
    # (compact, signatory, network, person, term) its rows and their predecessors; the labels
    # their changes and names need. The session, the user and the scope check's roles come from
    # the cache (accounts.backends: 21 where it was 22 with the user's query).
    with django_assert_num_queries(21):
        response = viewer_client.get(_changes_url(city_x))
    assert sum(v.action == "Changed" for v in response.context["versions"]) == networks
