"""history.records: every domain model keeps history, every write names its author, and a version's
changes read as words."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from compacts.choices import CommitmentStatus
from compacts.models import Commitment, Milestone
from compacts.services import commitment_update
from core.audit import SYSTEM_USERNAME, command_actor, recorded_as
from core.concurrency import version_token
from history.records import (
    REGISTRY,
    city_q,
    describe_changes,
    describe_changes_in_words,
    tracked_for,
)
from schools.models import City, Person
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    SignatoryFactory,
)
from tests.schools.factories import CityFactory, PersonFactory

DOMAIN_APPS = ("schools", "compacts", "accounts")


def test_every_domain_model_keeps_history_and_is_in_the_registry():
    domain_models = {
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    missing_history = [m.__name__ for m in domain_models if not hasattr(m, "history")]
    assert missing_history == []
    assert {tracked.model for tracked in REGISTRY} == domain_models


def test_the_registry_lists_parents_before_children():
    order = [tracked.model for tracked in REGISTRY]
    for index, model in enumerate(order):
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in order:
                assert order.index(f.related_model) <= index, (model, f.name)


@pytest.mark.django_db
def test_an_edit_through_a_service_writes_one_history_row_with_the_acting_user(editor):
    commitment = CommitmentFactory(status=CommitmentStatus.IN_PROGRESS)
    before = commitment.history.count()

    commitment_update(
        commitment=commitment,
        data={"status": CommitmentStatus.STALLED},
        actor=editor,
        expected_version=version_token(commitment),
    )

    rows = list(commitment.history.all())
    assert len(rows) == before + 1
    assert rows[0].history_user == editor
    assert rows[0].history_type == "~"
    assert rows[0].status == CommitmentStatus.STALLED


@pytest.mark.django_db
def test_a_delete_records_the_actor_on_every_row_it_cascades_to(editor):
    milestone = MilestoneFactory()
    commitment_id, milestone_id = milestone.commitment_id, milestone.pk

    with recorded_as(editor):
        milestone.commitment.delete()

    assert Commitment.history.get(id=commitment_id, history_type="-").history_user == editor
    assert Milestone.history.get(id=milestone_id, history_type="-").history_user == editor


@pytest.mark.django_db
def test_bulk_writes_record_history_with_the_given_user(editor):
    cities = [City(name=f"Bulk {n}", state="TX", slug=f"bulk-{n}") for n in range(3)]

    bulk_create_with_history(cities, City, default_user=editor, default_change_reason="Import")

    rows = City.history.filter(name__startswith="Bulk")
    assert rows.count() == 3
    assert {row.history_user for row in rows} == {editor}
    assert {row.history_change_reason for row in rows} == {"Import"}


@pytest.mark.django_db
def test_a_command_acts_as_the_system_user_by_default():
    actor = command_actor({"actor": None})

    assert actor.username == SYSTEM_USERNAME
    assert not actor.is_active
    assert not actor.has_usable_password()
    assert command_actor({}) == actor


@pytest.mark.django_db
def test_a_command_acts_as_the_user_named_by_actor(editor):
    assert command_actor({"actor": "editor"}) == editor


@pytest.mark.django_db
def test_a_command_refuses_an_unknown_actor():
    with pytest.raises(CommandError, match="nobody"):
        command_actor({"actor": "nobody"})


@pytest.mark.django_db
def test_changes_read_as_words_with_choice_labels_dates_and_related_names(editor):
    commitment = CommitmentFactory(status=CommitmentStatus.IN_PROGRESS, title="Common enrollment")
    with recorded_as(editor):
        commitment.status = CommitmentStatus.ACHIEVED
        commitment.achieved_on = datetime.date(2024, 3, 5)
        commitment.save()
    latest, previous = commitment.history.all()[:2]

    words = [str(change) for change in describe_changes(latest, previous)]

    assert words == ["Status: In progress → Achieved", "Achieved on: empty → 5 Mar 2024"]


@pytest.mark.django_db
def test_a_creation_lists_its_initial_values_and_names_its_parent():
    compact = CompactFactory(title="Denver Compact")
    milestone = MilestoneFactory(commitment__compact=compact, title="Pilot", due_on="2030-01-01")
    created = milestone.history.get()

    words = [str(change) for change in describe_changes(created, None)]

    assert f"Commitment: {milestone.commitment.title}" in words
    assert "Title: Pilot" in words
    assert "Due on: 1 Jan 2030" in words
    assert not any(word.startswith("Notes") for word in words)


@pytest.mark.django_db
def test_a_related_record_that_was_deleted_is_named_as_deleted():
    activity = ActivityFactory(commitment=CommitmentFactory(title="Shared buses"))
    activity.compact = activity.commitment.compact
    first = activity.history.get()
    activity.commitment.delete()
    activity.refresh_from_db()
    activity.title = "Renamed"
    activity.save()
    latest = activity.history.first()

    assert "Shared buses (deleted)" in describe_changes_in_words(latest, first)


@pytest.mark.django_db
def test_a_save_without_changes_and_a_deletion_read_as_such():
    person = PersonFactory(full_name="Ana Ruiz")
    person.save()
    created, resaved = person.history.order_by("history_id")
    person.delete()
    deleted = Person.history.filter(history_type="-").get()

    assert describe_changes_in_words(resaved, created) == "Saved without changes."
    assert describe_changes_in_words(deleted, resaved) == "Deleted."


@pytest.mark.django_db
def test_city_scope_follows_deleted_parents_to_the_city(city_x, city_y):
    milestone = MilestoneFactory(commitment__compact__city=city_x)
    MilestoneFactory(commitment__compact__city=city_y)
    milestone.commitment.delete()
    tracked = tracked_for(Milestone)

    in_x = Milestone.history.filter(city_q(Milestone, tracked.city_path, [city_x.pk]))

    assert {row.id for row in in_x} == {milestone.pk}


@pytest.mark.django_db
def test_a_person_belongs_to_the_cities_of_their_leadership_terms(city_x, city_y):
    signatory = SignatoryFactory(compact__city=city_x)
    PersonFactory()  # no term anywhere
    person = signatory.leadership_term.person
    tracked = tracked_for(Person)

    in_x = Person.history.filter(city_q(Person, tracked.city_path, [city_x.pk]))
    in_y = Person.history.filter(city_q(Person, tracked.city_path, [city_y.pk]))

    assert {row.id for row in in_x} == {person.pk}
    assert not in_y.exists()


@pytest.mark.django_db
def test_history_link_renders_a_link_for_a_tracked_record_and_nothing_otherwise():
    from django.template import Context, Template

    city = CityFactory(name="Linkton")
    template = Template("{% load history_tags %}[{% history_link obj %}]")

    url = reverse("core:history", args=["schools", "city", city.pk])
    assert template.render(Context({"obj": city})) == (
        f'[<a class="history-link" href="{url}">History</a>]'
    )
    assert template.render(Context({"obj": get_user_model()(username="x")})) == "[]"
    assert template.render(Context({"obj": None})) == "[]"


@pytest.mark.django_db
def test_an_edit_in_the_admin_writes_one_history_row_with_the_admin(superuser, superuser_client):
    city = CityFactory(name="Adminton", state="TX")
    before = city.history.count()

    response = superuser_client.post(
        reverse("admin:schools_city_change", args=[city.pk]),
        {"name": "Adminville", "state": "TX", "slug": city.slug},
    )

    assert response.status_code == 302
    rows = list(city.history.all())
    assert len(rows) == before + 1
    assert (rows[0].history_user, rows[0].name) == (superuser, "Adminville")
