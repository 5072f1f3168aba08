"""Every rule of the compacts models refuses bad input twice: with a clear message from
full_clean(), and in the database when clean() is bypassed (save, update, bulk_create)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from compacts.choices import CommitmentStatus, MilestoneStatus
from compacts.models import Commitment, Compact, Grant, Milestone, Participant, Signatory
from schools.models import LeadershipTerm, Organization
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    CityFactory,
    DistrictFactory,
    FunderFactory,
    LeadershipTermFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db

NOT_IN_CITY = "not in the compact's city"
FUTURE = "This date is in the future; record it once it has happened."


def refused(record, field: str = NON_FIELD_ERRORS) -> list[str]:
    """The messages full_clean() gives for `field`; fails when the record validates."""
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    errors = excinfo.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    return errors[field]


def refused_by_database(write) -> str:
    """Runs `write` and returns the database's message; fails when the database accepts it."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    return str(excinfo.value)


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


# Compact


def test_it_refuses_a_compact_that_ends_before_it_was_signed():
    compact = CompactFactory.build(
        city=CityFactory(), signed_on=datetime.date(2012, 1, 1), ended_on=datetime.date(2011, 1, 1)
    )
    assert refused(compact, "ended_on") == ["A compact cannot end before it was signed."]
    assert "ends_after_signing" in refused_by_database(compact.save)


def test_the_database_refuses_moving_a_compact_away_from_its_participants_city():
    participant = ParticipantFactory()
    elsewhere = CityFactory(name="Elsewhere", state="CA")
    message = refused_by_database(
        lambda: Compact.objects.filter(pk=participant.compact_id).update(city=elsewhere)
    )
    assert NOT_IN_CITY in message


def test_the_database_refuses_moving_a_compact_away_from_its_signatories_city():
    signatory = SignatoryFactory()
    elsewhere = CityFactory(name="Elsewhere", state="CA")
    message = refused_by_database(
        lambda: Compact.objects.filter(pk=signatory.compact_id).update(city=elsewhere)
    )
    assert NOT_IN_CITY in message


def test_a_compact_can_be_saved_again_without_moving():
    participant = ParticipantFactory()
    participant.compact.title = "Renamed compact"
    participant.compact.save()


# Signatory


def test_it_refuses_a_signatory_whose_organization_is_in_another_city():
    compact = CompactFactory()
    term = LeadershipTermFactory(organization=DistrictFactory(city=CityFactory(name="Far")))
    signatory = Signatory(compact=compact, leadership_term=term)
    messages = refused(signatory, "leadership_term")
    assert messages == [
        f"{term.organization} is in {term.organization.city}, not in {compact.city}."
    ]
    assert NOT_IN_CITY in refused_by_database(signatory.save)


def test_the_database_refuses_signatories_bulk_created_from_another_city():
    compact = CompactFactory()
    term = LeadershipTermFactory(organization=DistrictFactory(city=CityFactory(name="Far")))
    message = refused_by_database(
        lambda: Signatory.objects.bulk_create([Signatory(compact=compact, leadership_term=term)])
    )
    assert "The signatory's organization is not in the compact's city." in message


def test_the_database_refuses_repointing_a_signatory_at_a_term_in_another_city():
    signatory = SignatoryFactory()
    far_term = LeadershipTermFactory(organization=DistrictFactory(city=CityFactory(name="Far")))
    message = refused_by_database(
        lambda: Signatory.objects.filter(pk=signatory.pk).update(leadership_term=far_term)
    )
    assert NOT_IN_CITY in message


def test_the_database_refuses_moving_a_signatory_term_to_an_organization_elsewhere():
    signatory = SignatoryFactory()
    far = DistrictFactory(city=CityFactory(name="Far"))
    message = refused_by_database(
        lambda: LeadershipTerm.objects.filter(pk=signatory.leadership_term_id).update(
            organization=far
        )
    )
    assert NOT_IN_CITY in message


def test_the_database_refuses_moving_a_signatory_organization_to_another_city():
    signatory = SignatoryFactory()
    far = CityFactory(name="Far")
    message = refused_by_database(
        lambda: Organization.objects.filter(pk=signatory.leadership_term.organization_id).update(
            city=far
        )
    )
    assert NOT_IN_CITY in message


def test_it_accepts_a_signatory_organization_without_a_city():
    compact = CompactFactory()
    association = OrganizationFactory(kind="charter_association", city=None)
    term = LeadershipTermFactory(organization=association, role="association_head")
    signatory = Signatory.objects.create(compact=compact, leadership_term=term)
    signatory.full_clean()


def test_it_refuses_a_signatory_not_in_post_on_the_signing_date():
    compact = CompactFactory(signed_on=datetime.date(2012, 1, 15))
    late = LeadershipTermFactory(
        organization=DistrictFactory(city=compact.city), started_on=datetime.date(2013, 1, 1)
    )
    assert refused(Signatory(compact=compact, leadership_term=late), "leadership_term") == [
        f"{late.person} was not in this seat on the signing date (2012-01-15)."
    ]
    gone = LeadershipTermFactory(
        organization=DistrictFactory(city=compact.city),
        started_on=datetime.date(2005, 1, 1),
        ended_on=datetime.date(2011, 12, 31),
    )
    assert refused(Signatory(compact=compact, leadership_term=gone), "leadership_term")


def test_it_refuses_the_same_term_signing_a_compact_twice():
    signatory = SignatoryFactory()
    twice = Signatory(compact=signatory.compact, leadership_term=signatory.leadership_term)
    assert refused(twice) == ["This leader already signed this compact."]
    refused_by_database(twice.save)


# Participant


def test_it_refuses_a_participant_from_another_city():
    compact = CompactFactory()
    far = DistrictFactory(city=CityFactory(name="Far"))
    participant = Participant(compact=compact, organization=far, joined_on=compact.signed_on)
    assert refused(participant, "organization") == [
        f"{far} is in {far.city}, not in {compact.city}."
    ]
    assert "The participant's organization is not in the compact's city." in refused_by_database(
        participant.save
    )


def test_the_database_refuses_participants_bulk_created_from_another_city():
    compact = CompactFactory()
    far = DistrictFactory(city=CityFactory(name="Far"))
    message = refused_by_database(
        lambda: Participant.objects.bulk_create(
            [Participant(compact=compact, organization=far, joined_on=compact.signed_on)]
        )
    )
    assert NOT_IN_CITY in message


def test_the_database_refuses_repointing_a_participant_at_an_organization_elsewhere():
    participant = ParticipantFactory()
    far = DistrictFactory(city=CityFactory(name="Far"))
    message = refused_by_database(
        lambda: Participant.objects.filter(pk=participant.pk).update(organization=far)
    )
    assert NOT_IN_CITY in message


def test_the_database_refuses_moving_a_participating_organization_to_another_city():
    participant = ParticipantFactory()
    far = CityFactory(name="Far")
    message = refused_by_database(
        lambda: Organization.objects.filter(pk=participant.organization_id).update(city=far)
    )
    assert NOT_IN_CITY in message


def test_an_organization_taking_part_nowhere_may_move():
    district = DistrictFactory()
    Organization.objects.filter(pk=district.pk).update(city=CityFactory(name="Far"))


def test_it_accepts_a_network_without_a_city_in_any_compact():
    compact = CompactFactory()
    network = CharterNetworkFactory(city=None)
    Participant.objects.create(compact=compact, organization=network, joined_on=compact.signed_on)


def test_it_refuses_a_participant_that_is_not_a_school_district_or_network():
    compact = CompactFactory()
    mayor_office = OrganizationFactory(city=compact.city)
    participant = Participant(
        compact=compact, organization=mayor_office, joined_on=compact.signed_on
    )
    assert refused(participant, "organization") == [
        "Participants are districts, charter schools or networks."
    ]


def test_it_refuses_a_participant_that_leaves_before_joining():
    participant = ParticipantFactory()
    participant.left_on = participant.joined_on - datetime.timedelta(days=1)
    assert refused(participant, "left_on") == ["A participant cannot leave before it joined."]
    assert "leaves_after_joining" in refused_by_database(participant.save)


def test_it_refuses_the_same_organization_joining_twice_on_one_day():
    participant = ParticipantFactory()
    again = Participant(
        compact=participant.compact,
        organization=participant.organization,
        joined_on=participant.joined_on,
    )
    assert refused(again) == ["This organization already joined on that date."]
    refused_by_database(again.save)


# Commitment


def test_it_refuses_an_achieved_commitment_without_its_date():
    commitment = CommitmentFactory.build(
        compact=CompactFactory(), status=CommitmentStatus.ACHIEVED, achieved_on=None
    )
    assert refused(commitment, "achieved_on") == ["Give the date the commitment was achieved."]
    assert "achieved_on_iff_achieved" in refused_by_database(commitment.save)


def test_it_refuses_an_achieved_date_on_a_commitment_not_achieved():
    commitment = CommitmentFactory(status=CommitmentStatus.IN_PROGRESS)
    commitment.achieved_on = datetime.date(2014, 1, 1)
    assert refused(commitment, "achieved_on") == [
        "Only an achieved commitment has an achieved date."
    ]
    refused_by_database(
        lambda: Commitment.objects.filter(pk=commitment.pk).update(
            achieved_on=datetime.date(2014, 1, 1)
        )
    )


def test_it_refuses_an_achieved_date_in_the_future():
    commitment = CommitmentFactory(status=CommitmentStatus.ACHIEVED)
    commitment.achieved_on = tomorrow()
    assert refused(commitment, "achieved_on") == [FUTURE]


def test_it_accepts_an_achieved_date_of_today():
    commitment = CommitmentFactory(status=CommitmentStatus.ACHIEVED)
    commitment.achieved_on = timezone.localdate()
    commitment.full_clean()


def test_it_refuses_an_unknown_category():
    commitment = CommitmentFactory.build(compact=CompactFactory(), category="MAGIC")
    assert refused(commitment, "category") == ["Value 'MAGIC' is not a valid choice."]


# Milestone


def test_it_refuses_a_done_milestone_without_its_completion_date():
    milestone = MilestoneFactory.build(
        commitment=CommitmentFactory(), status=MilestoneStatus.DONE, completed_on=None
    )
    assert refused(milestone, "completed_on") == ["Give the date the milestone was completed."]
    assert "completed_on_iff_done" in refused_by_database(milestone.save)


def test_it_refuses_a_completion_date_on_a_milestone_not_done():
    milestone = MilestoneFactory(status=MilestoneStatus.PLANNED)
    milestone.completed_on = datetime.date(2020, 1, 1)
    assert refused(milestone, "completed_on") == ["Only a done milestone has a completion date."]
    refused_by_database(
        lambda: Milestone.objects.bulk_create(
            [
                Milestone(
                    commitment=milestone.commitment,
                    title="Bulk",
                    due_on=datetime.date(2020, 1, 1),
                    status=MilestoneStatus.MISSED,
                    completed_on=datetime.date(2020, 1, 1),
                )
            ]
        )
    )


def test_it_refuses_a_completion_date_in_the_future():
    milestone = MilestoneFactory(status=MilestoneStatus.DONE)
    milestone.completed_on = tomorrow()
    assert refused(milestone, "completed_on") == [FUTURE]


def test_a_milestone_due_today_is_not_overdue_but_one_due_yesterday_is():
    today = datetime.date(2024, 3, 10)
    due_today = MilestoneFactory.build(due_on=today, status=MilestoneStatus.PLANNED)
    due_yesterday = MilestoneFactory.build(
        due_on=today - datetime.timedelta(days=1), status=MilestoneStatus.IN_PROGRESS
    )
    deferred = MilestoneFactory.build(due_on=datetime.date(2000, 1, 1), status="deferred")
    assert not due_today.is_overdue_on(today)
    assert due_yesterday.is_overdue_on(today)
    assert not deferred.is_overdue_on(today)


# Activity


def test_it_refuses_an_activity_linked_to_a_commitment_of_another_compact():
    activity = ActivityFactory.build(compact=CompactFactory(), commitment=CommitmentFactory())
    assert refused(activity, "commitment") == ["Choose a commitment of the same compact."]


def test_it_refuses_an_activity_in_the_future():
    activity = ActivityFactory.build(compact=CompactFactory(), occurred_on=tomorrow())
    assert refused(activity, "occurred_on") == [FUTURE]


def test_it_refuses_negative_attendance():
    activity = ActivityFactory.build(compact=CompactFactory(), district_attendees=-1)
    assert refused(activity, "district_attendees") == [
        "Ensure this value is greater than or equal to 0."
    ]
    refused_by_database(activity.save)


# Grant


def test_it_refuses_a_grant_from_an_organization_that_is_not_a_funder():
    grant = GrantFactory.build(compact=CompactFactory(), funder=DistrictFactory())
    assert "Choose an organization of kind funder." in refused(grant, "funder")


def test_it_refuses_a_negative_grant():
    grant = GrantFactory.build(
        compact=CompactFactory(), funder=FunderFactory(), amount=Decimal("-1.00")
    )
    assert refused(grant, "amount") == ["A grant amount cannot be negative."]
    assert "amount_not_negative" in refused_by_database(grant.save)


def test_it_refuses_deleting_a_funder_that_made_grants():
    grant = GrantFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        grant.funder.delete()
    assert Grant.objects.filter(pk=grant.pk).exists()


SAME_CITY_TRIGGERS = [
    "compacts_participant_same_city",
    "compacts_signatory_same_city",
    "compacts_compact_same_city",
    "compacts_organization_same_city",
    "compacts_leadershipterm_same_city",
]


def test_the_cross_table_triggers_exist_after_all_migrations():
    # SQLite drops a table's triggers when a migration rebuilds the table; this catches it.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = " ".join(row[0] for row in cursor.fetchall())
    for trigger in SAME_CITY_TRIGGERS:
        assert trigger in names
