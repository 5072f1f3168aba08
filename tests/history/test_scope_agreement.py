"""History follows the seat pages' rule (accounts.scope): a leadership term at an organization of
no city belongs to the cities whose compacts its seat signed; a seat that signed none, to the
cities whose compacts its organization belongs to. The history page, the change log and
can_read_seat answer alike for every case, including the one where they used to disagree (the
network takes part in the reader's city, its seat signed only another city's compact)."""

import datetime

import pytest
from django.urls import reverse

from accounts.scope import can_read_seat
from history.records import history_url
from schools.choices import LeadershipRole
from tests.compacts.factories import CompactFactory, ParticipantFactory, SignatoryFactory
from tests.schools.factories import CharterNetworkFactory, LeadershipTermFactory, PersonFactory

pytestmark = pytest.mark.django_db

CEO = LeadershipRole.NETWORK_CEO


def _term(network):
    return LeadershipTermFactory(
        organization=network,
        role=CEO,
        person=PersonFactory(full_name="Seat Holder"),
        started_on=datetime.date(2015, 1, 1),
    )


@pytest.mark.parametrize(
    ("takes_part_in", "seat_signed_in", "x_reads"),
    [
        ("x", "y", False),  # the old disagreement: history showed it to city x, the seat did not
        ("x", None, True),
        (None, "x", True),
        ("y", "y", False),
        ("y", None, False),
    ],
)
def test_history_and_the_seat_pages_agree_who_reads_a_shared_seat(
    city_x,
    city_y,
    viewer,
    outsider,
    viewer_client,
    outsider_client,
    takes_part_in,
    seat_signed_in,
    x_reads,
):
    cities = {"x": city_x, "y": city_y}
    network = CharterNetworkFactory(name="Shared Schools")
    if takes_part_in:
        ParticipantFactory(compact=CompactFactory(city=cities[takes_part_in]), organization=network)
    term = _term(network)
    if seat_signed_in:
        SignatoryFactory(compact=CompactFactory(city=cities[seat_signed_in]), leadership_term=term)

    for user, client, city in (
        (viewer, viewer_client, city_x),
        (outsider, outsider_client, city_y),
    ):
        reads = can_read_seat(user, network, CEO)
        log = client.get(reverse("core:city_changes", kwargs={"slug": city.slug}))
        in_log = any(
            v.tracked.model_name == "leadershipterm" and v.record_pk == term.pk
            for v in log.context["versions"]
        )
        assert (client.get(history_url(term)).status_code == 200) == reads
        assert in_log == reads
    assert can_read_seat(viewer, network, CEO) == x_reads
