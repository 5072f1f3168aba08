"""Networks, associations and funders have no city and take part in several cities' compacts.
An editor of city X (Denver) crafts requests naming what belongs to city Y (Los Angeles): a term
whose seat signed only Y's compact, a network or funder known only to Y's compacts, a change at a
seat Y's compact depends on. Each is refused, and nothing of Y changes."""

import datetime

import pytest
from django.urls import reverse

from accounts import scope
from accounts.choices import Role
from compacts.models import Grant, Participant, Signatory
from schools.choices import EndReason, LeadershipRole
from schools.models import LeadershipTerm
from tests.accounts.factories import MembershipFactory
from tests.compacts.factories import (
    CompactFactory,
    GrantFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    FunderFactory,
    LeadershipTermFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def denver(city_x):
    return CompactFactory(city=city_x, title="Denver Compact", signed_on=datetime.date(2012, 1, 15))


@pytest.fixture
def los_angeles(city_y):
    return CompactFactory(city=city_y, title="LA Compact", signed_on=datetime.date(2012, 1, 15))


@pytest.fixture
def network():
    return CharterNetworkFactory(name="Coast Prep Network")


def network_ceo(network, los_angeles_compact=None, **kwargs):
    term = LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person=PersonFactory(full_name=kwargs.pop("name", "Lee Angeles")),
        started_on=datetime.date(2010, 1, 1),
        **kwargs,
    )
    if los_angeles_compact is not None:
        SignatoryFactory(compact=los_angeles_compact, leadership_term=term)
    return term


@pytest.fixture
def la_ceo(network, los_angeles):
    """The network's CEO, who signed Los Angeles's compact only."""
    return network_ceo(network, los_angeles)


def form_error(response, field: str) -> str:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


# --- signatories ---


def test_the_signatory_form_does_not_offer_a_seat_that_signed_only_another_city_s_compact(
    editor_client, denver, la_ceo, network
):
    ParticipantFactory(compact=denver, organization=network)  # shared, but the seat is LA's
    url = reverse("compacts:signatory_create", kwargs={"parent_id": denver.pk})
    offered = editor_client.get(url).context["form"].fields["leadership_term"].queryset
    assert la_ceo not in offered
    response = editor_client.post(url, {"leadership_term": la_ceo.pk})
    assert "Select a valid choice" in form_error(response, "leadership_term")
    assert not Signatory.objects.filter(compact=denver).exists()


def test_a_seat_that_signed_a_compact_of_the_editor_s_city_is_offered(
    editor_client, denver, los_angeles, network
):
    shared = network_ceo(network, los_angeles)
    SignatoryFactory(compact=CompactFactory(city=denver.city), leadership_term=shared)
    url = reverse("compacts:signatory_create", kwargs={"parent_id": denver.pk})
    response = editor_client.post(url, {"leadership_term": shared.pk})
    assert response.status_code == 302
    assert Signatory.objects.filter(compact=denver, leadership_term=shared).exists()


def test_a_seat_of_a_new_organization_without_a_city_is_offered(editor_client, denver, network):
    new = network_ceo(network)
    url = reverse("compacts:signatory_create", kwargs={"parent_id": denver.pk})
    assert editor_client.post(url, {"leadership_term": new.pk}).status_code == 302


def test_a_superuser_may_name_any_seat(superuser_client, denver, la_ceo):
    url = reverse("compacts:signatory_create", kwargs={"parent_id": denver.pk})
    assert superuser_client.post(url, {"leadership_term": la_ceo.pk}).status_code == 302


# --- participants ---


def test_the_participant_form_refuses_a_network_that_takes_part_only_in_another_city(
    editor_client, denver, los_angeles, network
):
    ParticipantFactory(compact=los_angeles, organization=network)
    url = reverse("compacts:participant_create", kwargs={"parent_id": denver.pk})
    assert network not in editor_client.get(url).context["form"].fields["organization"].queryset
    response = editor_client.post(url, {"organization": network.pk, "joined_on": "2012-01-15"})
    assert "Select a valid choice" in form_error(response, "organization")
    assert not Participant.objects.filter(compact=denver).exists()


@pytest.mark.parametrize("tie", ["new", "denver too"])
def test_the_participant_form_accepts_a_new_network_or_one_already_in_the_editors_compacts(
    editor_client, denver, los_angeles, network, tie
):
    if tie == "denver too":
        ParticipantFactory(compact=los_angeles, organization=network)
        ParticipantFactory(compact=CompactFactory(city=denver.city), organization=network)
    url = reverse("compacts:participant_create", kwargs={"parent_id": denver.pk})
    response = editor_client.post(url, {"organization": network.pk, "joined_on": "2012-01-15"})
    assert response.status_code == 302
    assert Participant.objects.filter(compact=denver, organization=network).exists()


# --- grants ---


def test_the_grant_form_refuses_a_funder_known_only_to_another_city(
    editor_client, denver, los_angeles
):
    funder = GrantFactory(compact=los_angeles).funder
    new_funder = FunderFactory()
    url = reverse("compacts:grant_create", kwargs={"parent_id": denver.pk})
    offered = editor_client.get(url).context["form"].fields["funder"].queryset
    assert funder not in offered and new_funder in offered
    data = {"funder": funder.pk, "amount": "1000", "awarded_on": "2013-01-01"}
    assert "Select a valid choice" in form_error(editor_client.post(url, data), "funder")
    assert not Grant.objects.filter(compact=denver).exists()


# --- leadership changes at a seat without a city ---


def change_data(term, **overrides) -> dict:
    data = {
        "organization": term.organization_id,
        "role": term.role,
        "last_day": "2015-06-30",
        "end_reason": EndReason.RETIRED,
        "successor_name": "Dee Successor",
        "successor_first_day": "2015-07-01",
    }
    data.update(overrides)
    return data


def test_an_editor_of_one_city_cannot_change_a_seat_another_city_s_compact_depends_on(
    editor_client, denver, network, la_ceo
):
    # The network takes part in Denver's compact, so its name is offered; its CEO seat signed
    # only LA's compact.
    ParticipantFactory(compact=denver, organization=network)
    response = editor_client.post(reverse("compacts:leadership_change"), change_data(la_ceo))
    assert "cities you do not edit" in form_error(response, "role")
    la_ceo.refresh_from_db()
    assert la_ceo.ended_on is None
    assert not LeadershipTerm.objects.filter(person__full_name="Dee Successor").exists()


def test_a_seat_signed_by_both_cities_changes_only_for_an_editor_of_both(
    editor, editor_client, denver, los_angeles, network, city_y
):
    shared = network_ceo(network, los_angeles)
    SignatoryFactory(compact=denver, leadership_term=shared)
    url = reverse("compacts:leadership_change")
    refused = editor_client.post(url, change_data(shared))
    assert "cities you do not edit" in form_error(refused, "role")
    shared.refresh_from_db()
    assert shared.ended_on is None

    MembershipFactory(user=editor, city=city_y, role=Role.EDITOR)
    response = editor_client.post(url, change_data(shared), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "Denver Compact" in message and "LA Compact" in message
    shared.refresh_from_db()
    assert shared.ended_on == datetime.date(2015, 6, 30)


def test_the_seat_rule_lives_in_accounts_scope(
    editor, outsider, superuser, denver, los_angeles, network
):
    shared = network_ceo(network, los_angeles)
    SignatoryFactory(compact=denver, leadership_term=shared)
    seat = (network, LeadershipRole.NETWORK_CEO)
    assert not scope.can_edit_seat(editor, *seat)
    assert not scope.can_edit_seat(outsider, *seat)
    assert scope.can_edit_seat(superuser, *seat)
    assert scope.can_read_seat(editor, *seat) and scope.can_read_seat(outsider, *seat)
