"""core.deletion: what a delete takes with it, what stops it, and a delete that refuses by name."""

import pytest

from compacts.models import Commitment, Milestone
from core.deletion import (
    DeletionRefused,
    delete_or_refuse,
    deletion_plan,
    describe_dependents,
)
from schools.models import District, Person
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import DistrictFactory, LeadershipTermFactory, PersonFactory


@pytest.mark.django_db
def test_a_commitment_takes_its_milestones_and_unlinks_its_activities():
    commitment = CommitmentFactory()
    for _ in range(3):
        MilestoneFactory(commitment=commitment)
    ActivityFactory(compact=commitment.compact, commitment=commitment)

    dependents = describe_dependents(commitment)

    assert dependents.cascade_text == "3 milestones"
    assert dependents.unlinked_text == "1 activity"
    assert not dependents.is_blocked
    assert dependents.confirmation_message(commitment) == (
        f"Deleting commitment “{commitment}” also deletes 3 milestones, and unlinks 1 activity."
    )


@pytest.mark.django_db
def test_a_compact_takes_everything_recorded_under_it():
    signatory = SignatoryFactory()
    compact = signatory.compact
    ParticipantFactory(compact=compact)
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory(commitment=commitment)
    ActivityFactory(compact=compact)
    GrantFactory(compact=compact)

    items = set(describe_dependents(compact).cascade_items)

    assert items == {
        "1 signatory",
        "1 participant",
        "1 commitment",
        "1 milestone",
        "1 activity",
        "1 grant",
    }


@pytest.mark.django_db
def test_a_record_nothing_depends_on_has_an_empty_description():
    milestone = MilestoneFactory()

    dependents = describe_dependents(milestone)

    assert (dependents.cascade_text, dependents.unlinked_text) == ("", "")
    assert dependents.confirmation_message(milestone) == f"Deleting milestone “{milestone}”."


@pytest.mark.django_db
def test_a_district_is_not_listed_as_its_own_dependent():
    district = DistrictFactory()

    assert describe_dependents(district).cascade == {}


@pytest.mark.django_db
def test_protected_records_block_the_deletion_and_are_named():
    term = LeadershipTermFactory(person=PersonFactory(full_name="Ana Ruiz"))
    person = term.person

    dependents = describe_dependents(person)

    assert dependents.is_blocked
    assert dependents.blockers_text == f"1 leadership term ({term})"
    assert dependents.refusal_message(person) == (
        f"Person “Ana Ruiz” cannot be deleted: 1 leadership term ({term}) depends on it. "
        "Delete or change those first."
    )


@pytest.mark.django_db
def test_every_kind_of_blocker_is_named():
    signatory = SignatoryFactory()
    district = signatory.leadership_term.organization.district_record
    ParticipantFactory(compact=signatory.compact, organization=district)

    blockers = describe_dependents(district).blockers

    assert {model._meta.model_name for model in blockers} == {"leadershipterm", "participant"}


@pytest.mark.django_db
def test_a_long_list_of_blockers_names_five_and_counts_the_rest():
    district = DistrictFactory()
    for n in range(7):
        LeadershipTermFactory(organization=district, role="other", ended_on=f"201{n}-12-31")

    text = describe_dependents(district).blockers_text

    assert text.startswith("7 leadership terms (")
    assert text.endswith(", and 2 more)")


@pytest.mark.django_db
def test_delete_or_refuse_deletes_with_the_cascade():
    milestone = MilestoneFactory()
    commitment = milestone.commitment

    delete_or_refuse(commitment)

    assert not Commitment.objects.exists()
    assert not Milestone.objects.exists()


@pytest.mark.django_db
def test_delete_or_refuse_refuses_naming_the_dependents_and_deletes_nothing():
    term = LeadershipTermFactory()
    person = term.person
    history_rows = Person.history.count()

    with pytest.raises(DeletionRefused, match="1 leadership term"):
        delete_or_refuse(person)

    assert Person.objects.filter(pk=person.pk).exists()
    assert Person.history.count() == history_rows


@pytest.mark.django_db
def test_the_deletion_plan_reads_for_a_confirmation_page():
    district = DistrictFactory()
    compact = CompactFactory(city=district.city)
    ParticipantFactory(compact=compact, organization=district)
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory(commitment=commitment)

    blocked, free = deletion_plan(district), deletion_plan(commitment)

    assert blocked.blocked
    assert "1 participant" in blocked.blocked_message
    assert (free.blocked, free.cascades, free.unlinks) == (False, ["1 milestone"], [])
    assert District.objects.filter(pk=district.pk).exists()
