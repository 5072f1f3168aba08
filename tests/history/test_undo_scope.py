"""Undo cannot re-attach what belongs to other cities: a restored or reverted signatory,
participant or grant must name a seat or organization its editor may choose today
(accounts.scope), as the forms require."""

import pytest
from django.urls import reverse

from accounts.scope import can_edit_seat
from compacts.models import Compact, Grant, Signatory
from core.audit import recorded_as
from schools.choices import LeadershipRole, OrganizationKind
from tests.compacts.factories import (
    CompactFactory,
    GrantFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    DistrictFactory,
    FunderFactory,
    LeadershipTermFactory,
)

pytestmark = pytest.mark.django_db


def _url(name: str, model, pk, **extra) -> str:
    meta = model._meta
    kwargs = {"app_label": meta.app_label, "model": meta.model_name, "pk": pk, **extra}
    return reverse(f"core:{name}", kwargs=kwargs)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _network_term():
    network = CharterNetworkFactory(name="Bright Path Schools")
    return LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person__full_name="Dana Reyes",
        ended_on=None,
    )


def _deleted(obj, actor):
    model, pk = type(obj), obj.pk
    with recorded_as(actor):
        obj.delete()
    return model, pk


@pytest.fixture
def seat_taken_by_y(city_x, city_y, editor):
    """A network seat that signed city X's compact, was removed from it, and then signed only
    city Y's compact: no longer city X's editor's to choose."""
    term = _network_term()
    model, pk = _deleted(SignatoryFactory(compact__city=city_x, leadership_term=term), editor)
    SignatoryFactory(compact__city=city_y, leadership_term=term)
    return model, pk


@pytest.fixture
def participant_taken_by_y(city_x, city_y, editor):
    network = CharterNetworkFactory(name="Bright Path Schools")
    model, pk = _deleted(ParticipantFactory(compact__city=city_x, organization=network), editor)
    ParticipantFactory(compact__city=city_y, organization=network)
    return model, pk


@pytest.fixture
def grant_taken_by_y(city_x, city_y, editor):
    funder = FunderFactory(name="Gates Foundation")
    model, pk = _deleted(GrantFactory(compact__city=city_x, funder=funder), editor)
    GrantFactory(compact__city=city_y, funder=funder)
    return model, pk


REFUSED = ["seat_taken_by_y", "participant_taken_by_y", "grant_taken_by_y"]


@pytest.mark.parametrize("deleted", REFUSED)
def test_restoring_a_link_to_what_now_belongs_only_to_another_city_is_refused(
    request, editor_client, deleted
):
    model, pk = request.getfixturevalue(deleted)
    versions = model.history.count()

    response = editor_client.post(_url("history_restore", model, pk), follow=True)

    assert not model.objects.filter(pk=pk).exists()
    assert model.history.count() == versions
    (message,) = _messages(response)
    assert "cannot be restored" in message
    assert "other cities" in message


@pytest.mark.parametrize(
    ("deleted", "named"),
    [
        ("seat_taken_by_y", "leadership term “Dana Reyes"),
        ("participant_taken_by_y", "organization “Bright Path Schools”"),
        ("grant_taken_by_y", "funder “Gates Foundation”"),
    ],
)
def test_the_restore_confirmation_says_why_and_offers_no_button(
    request, editor_client, deleted, named
):
    model, pk = request.getfixturevalue(deleted)

    response = editor_client.get(_url("history_restore", model, pk))

    assert response.status_code == 200
    assert named in response.context["refusal"]
    assert "other cities" in response.context["refusal"]
    assert ">Restore</button>" not in response.content.decode()


def test_the_other_citys_editor_keeps_their_own_seat(seat_taken_by_y, editor_client, outsider):
    model, pk = seat_taken_by_y
    term = Signatory.objects.get().leadership_term

    editor_client.post(_url("history_restore", model, pk))

    assert can_edit_seat(outsider, term.organization, term.role)


@pytest.mark.parametrize("deleted", REFUSED)
def test_a_superuser_may_restore_any_shared_link(request, superuser_client, deleted):
    model, pk = request.getfixturevalue(deleted)

    superuser_client.post(_url("history_restore", model, pk))

    assert model.objects.filter(pk=pk).exists()


def test_a_seat_new_to_every_compact_is_restored(city_x, editor, editor_client):
    model, pk = _deleted(
        SignatoryFactory(compact__city=city_x, leadership_term=_network_term()), editor
    )

    editor_client.post(_url("history_restore", model, pk))

    assert Signatory.objects.filter(pk=pk).exists()


def test_a_seat_the_editors_city_still_signed_is_restored(city_x, city_y, editor, editor_client):
    term = _network_term()
    compact = CompactFactory(city=city_x)
    SignatoryFactory(compact=CompactFactory(city=city_x), leadership_term=term)
    model, pk = _deleted(SignatoryFactory(compact=compact, leadership_term=term), editor)
    SignatoryFactory(compact__city=city_y, leadership_term=term)

    editor_client.post(_url("history_restore", model, pk))

    assert Signatory.objects.filter(pk=pk, compact=compact).exists()


@pytest.mark.parametrize(
    "factory",
    [
        lambda city: ParticipantFactory(compact__city=city, organization=CharterNetworkFactory()),
        lambda city: GrantFactory(compact__city=city),
    ],
    ids=["participant", "grant"],
)
def test_an_organization_still_choosable_is_restored(city_x, editor, editor_client, factory):
    model, pk = _deleted(factory(city_x), editor)

    editor_client.post(_url("history_restore", model, pk))

    assert model.objects.filter(pk=pk).exists()


def test_a_grant_whose_funder_is_no_longer_a_funder_is_refused(city_x, editor, editor_client):
    grant = GrantFactory(compact__city=city_x)
    funder = grant.funder
    model, pk = _deleted(grant, editor)
    funder.kind = OrganizationKind.INTERMEDIARY
    funder.save()

    response = editor_client.post(_url("history_restore", model, pk), follow=True)

    assert not Grant.objects.filter(pk=pk).exists()
    assert "Choose an organization of kind funder" in _messages(response)[0]


def test_restoring_a_compact_leaves_out_a_signatory_whose_seat_went_to_another_city(
    city_x, city_y, editor, editor_client
):
    term = _network_term()
    compact = CompactFactory(city=city_x)
    SignatoryFactory(compact=compact, leadership_term=term)
    kept = SignatoryFactory(compact=compact)
    model, pk = _deleted(compact, editor)
    SignatoryFactory(compact__city=city_y, leadership_term=term)

    response = editor_client.post(_url("history_restore", model, pk), follow=True)

    assert Compact.objects.filter(pk=pk).exists()
    assert list(Signatory.objects.filter(compact_id=pk)) == [kept]
    assert "other cities" in _messages(response)[1]


# --- revert ---


def _changed(obj, actor, **values):
    first = obj.history.get()
    with recorded_as(actor):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
    return first


@pytest.fixture
def signatory_moved_off_a_seat_y_took(city_x, city_y, editor):
    """A signatory of city X whose first version named a network seat; it was corrected to a
    district's seat, and the network seat then signed only city Y's compact."""
    term = _network_term()
    signatory = SignatoryFactory(compact__city=city_x, leadership_term=term)
    district_term = LeadershipTermFactory(organization=DistrictFactory(city=city_x))
    first = _changed(signatory, editor, leadership_term=district_term)
    SignatoryFactory(compact__city=city_y, leadership_term=term)
    return signatory, first, "leadership_term_id", district_term.pk


@pytest.fixture
def participant_moved_off_a_network_y_took(city_x, city_y, editor):
    network = CharterNetworkFactory(name="Bright Path Schools")
    participant = ParticipantFactory(compact__city=city_x, organization=network)
    other = CharterNetworkFactory()
    first = _changed(participant, editor, organization=other)
    ParticipantFactory(compact__city=city_y, organization=network)
    return participant, first, "organization_id", other.pk


@pytest.fixture
def grant_moved_off_a_funder_y_took(city_x, city_y, editor):
    funder = FunderFactory(name="Gates Foundation")
    grant = GrantFactory(compact__city=city_x, funder=funder)
    other = FunderFactory()
    first = _changed(grant, editor, funder=other)
    GrantFactory(compact__city=city_y, funder=funder)
    return grant, first, "funder_id", other.pk


REVERTS = [
    "signatory_moved_off_a_seat_y_took",
    "participant_moved_off_a_network_y_took",
    "grant_moved_off_a_funder_y_took",
]


@pytest.mark.parametrize("changed", REVERTS)
def test_reverting_to_a_version_naming_what_now_belongs_to_another_city_is_refused(
    request, editor_client, changed
):
    obj, first, attname, current = request.getfixturevalue(changed)
    versions = obj.history.count()
    url = _url("history_revert", type(obj), obj.pk, history_id=first.history_id)

    confirm = editor_client.get(url)
    response = editor_client.post(url, follow=True)

    assert "other cities" in confirm.context["refusal"]
    assert ">Revert</button>" not in confirm.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, attname) == current
    assert obj.history.count() == versions
    (message,) = _messages(response)
    assert message.startswith("This version cannot be restored: ")
    assert "other cities" in message


@pytest.mark.parametrize("changed", REVERTS)
def test_a_superuser_may_revert_to_any_shared_link(request, superuser_client, changed):
    obj, first, attname, _current = request.getfixturevalue(changed)

    superuser_client.post(_url("history_revert", type(obj), obj.pk, history_id=first.history_id))

    obj.refresh_from_db()
    assert getattr(obj, attname) == getattr(first, attname)


def test_reverting_to_a_seat_still_choosable_is_done(city_x, editor, editor_client):
    term = _network_term()
    signatory = SignatoryFactory(compact__city=city_x, leadership_term=term)
    first = _changed(
        signatory, editor, leadership_term=LeadershipTermFactory(organization__city=city_x)
    )

    url = _url("history_revert", Signatory, signatory.pk, history_id=first.history_id)

    assert ">Revert</button>" in editor_client.get(url).content.decode()
    editor_client.post(url)

    signatory.refresh_from_db()
    assert signatory.leadership_term == term
