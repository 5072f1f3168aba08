"""Every write of a compact's records goes through compacts.services: each rule, the history row
with the acting user, the version check and the delete guards."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from compacts import services
from compacts.choices import (
    ActivityKind,
    Category,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
)
from compacts.models import Activity, Commitment, Compact, Milestone, Participant, Signatory
from core.concurrency import StaleVersion, version_token
from schools.choices import DatePrecision
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
    CharterSchoolFactory,
    DistrictFactory,
    FunderFactory,
    LeadershipTermFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, signed_on=datetime.date(2012, 1, 15))


def last_history(record):
    return record.history.order_by("-history_date", "-history_id").first()


# --- history and the acting user ---


def test_a_create_outside_any_request_records_the_acting_user(compact, editor):
    commitment = services.commitment_create(
        compact=compact, category=Category.ENR, title="Common enrollment", actor=editor
    )
    row = last_history(commitment)
    assert row.history_type == "+"
    assert row.history_user == editor


def test_an_edit_writes_one_history_row_with_the_acting_user(compact, editor):
    commitment = CommitmentFactory(compact=compact)
    before = commitment.history.count()
    services.commitment_update(
        commitment=commitment,
        data={"title": "Unified enrollment by 2014"},
        actor=editor,
        expected_version=version_token(commitment),
    )
    assert commitment.history.count() == before + 1
    row = last_history(commitment)
    assert (row.history_type, row.history_user, row.title) == (
        "~",
        editor,
        "Unified enrollment by 2014",
    )


def test_a_delete_records_the_acting_user_on_the_rows_it_cascades_to(compact, editor):
    commitment = CommitmentFactory(compact=compact)
    milestones = MilestoneFactory.create_batch(2, commitment=commitment)
    services.commitment_delete(commitment=commitment, actor=editor)
    for milestone in milestones:
        row = Milestone.history.filter(id=milestone.pk).order_by("-history_id").first()
        assert (row.history_type, row.history_user) == ("-", editor)


def test_the_acting_user_does_not_leak_past_the_service(compact, editor):
    services.commitment_create(compact=compact, category=Category.PD, title="PD", actor=editor)
    later = CommitmentFactory(compact=compact)
    assert last_history(later).history_user is None


# --- compacts ---


def test_compact_create_records_a_compact_in_its_city(city_x, editor):
    compact = services.compact_create(
        city=city_x,
        title="Xville District-Charter Compact",
        signed_on=datetime.date(2010, 12, 1),
        signed_on_precision=DatePrecision.MONTH,
        cohort="2010-12",
        actor=editor,
    )
    assert (compact.city, compact.status, compact.signed_on_precision) == (
        city_x,
        CompactStatus.ACTIVE,
        DatePrecision.MONTH,
    )


def test_compact_create_refuses_an_end_before_the_signing(city_x, editor):
    with pytest.raises(ValidationError) as error:
        services.compact_create(
            city=city_x,
            title="Backwards",
            signed_on=datetime.date(2012, 1, 1),
            ended_on=datetime.date(2011, 1, 1),
            actor=editor,
        )
    assert "ended_on" in error.value.error_dict
    assert not Compact.objects.filter(title="Backwards").exists()


def test_compact_update_cannot_move_a_compact_to_another_city(compact, city_y, editor):
    with pytest.raises(TypeError):
        services.compact_update(compact=compact, data={"city": city_y}, actor=editor)
    compact.refresh_from_db()
    assert compact.city.name == "Xville"


def test_compact_delete_takes_its_records_with_it(compact, editor):
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory(commitment=commitment)
    ActivityFactory(compact=compact, commitment=commitment)
    services.compact_delete(compact=compact, actor=editor)
    assert not Compact.objects.filter(pk=compact.pk).exists()
    assert not Milestone.objects.filter(commitment_id=commitment.pk).exists()
    assert not Activity.objects.filter(compact_id=compact.pk).exists()


# --- signatories ---


def test_signatory_create_refuses_a_leader_not_in_post_on_the_signing_date(compact, editor):
    term = LeadershipTermFactory(
        organization=DistrictFactory(city=compact.city), started_on=datetime.date(2013, 7, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.signatory_create(compact=compact, leadership_term=term, actor=editor)
    assert "leadership_term" in error.value.error_dict
    assert not Signatory.objects.exists()


def test_signatory_create_refuses_a_seat_in_another_city(compact, city_y, editor):
    term = LeadershipTermFactory(organization=DistrictFactory(city=city_y))
    with pytest.raises(ValidationError):
        services.signatory_create(compact=compact, leadership_term=term, actor=editor)


def test_signatory_create_refuses_the_same_leader_twice(compact, editor):
    signatory = SignatoryFactory(compact=compact)
    with pytest.raises(ValidationError):
        services.signatory_create(
            compact=compact, leadership_term=signatory.leadership_term, actor=editor
        )


def test_signatory_delete_keeps_the_leadership_term(compact, editor):
    signatory = SignatoryFactory(compact=compact)
    services.signatory_delete(signatory=signatory, actor=editor)
    assert not Signatory.objects.exists()
    signatory.leadership_term.refresh_from_db()


# --- participants ---


def test_participant_create_accepts_districts_schools_and_networks(compact, editor):
    for organization in (
        DistrictFactory(city=compact.city),
        CharterSchoolFactory(city=compact.city),
        CharterNetworkFactory(),
    ):
        services.participant_create(
            compact=compact, organization=organization, joined_on=compact.signed_on, actor=editor
        )
    assert Participant.objects.filter(compact=compact).count() == 3


def test_participant_create_refuses_other_kinds_of_organization(compact, editor):
    with pytest.raises(ValidationError) as error:
        services.participant_create(
            compact=compact,
            organization=OrganizationFactory(city=compact.city),
            joined_on=compact.signed_on,
            actor=editor,
        )
    assert "organization" in error.value.error_dict


def test_participant_create_refuses_an_organization_of_another_city(compact, city_y, editor):
    with pytest.raises(ValidationError):
        services.participant_create(
            compact=compact,
            organization=DistrictFactory(city=city_y),
            joined_on=compact.signed_on,
            actor=editor,
        )


def test_participant_update_refuses_leaving_before_joining(compact, editor):
    participant = ParticipantFactory(compact=compact)
    with pytest.raises(ValidationError) as error:
        services.participant_update(
            participant=participant,
            data={"left_on": participant.joined_on - datetime.timedelta(days=1)},
            actor=editor,
        )
    assert "left_on" in error.value.error_dict
    participant.refresh_from_db()
    assert participant.left_on is None


def test_participant_delete_leaves_opt_in_commitments_in_place(compact, editor):
    participant = ParticipantFactory(compact=compact)
    commitment = services.commitment_create(
        compact=compact,
        category=Category.PD,
        title="Joint PD",
        participants=[participant],
        actor=editor,
    )
    services.participant_delete(participant=participant, actor=editor)
    assert list(commitment.participants.all()) == []


# --- commitments ---


def test_commitment_create_records_opt_in_participants(compact, editor):
    participant = ParticipantFactory(compact=compact)
    commitment = services.commitment_create(
        compact=compact,
        category=Category.FAC,
        title="Share buildings",
        participants=[participant],
        actor=editor,
    )
    assert list(commitment.participants.all()) == [participant]


def test_an_update_that_changes_nothing_writes_nothing(compact, editor):
    first, second = ParticipantFactory.create_batch(2, compact=compact)
    commitment = services.commitment_create(
        compact=compact,
        category=Category.FAC,
        title="Share buildings",
        participants=[first],
        actor=editor,
    )
    loaded = version_token(commitment)
    same = {"title": "Share buildings", "category": Category.FAC, "participants": [first]}

    kept = services.commitment_update(
        commitment=commitment, data=same, actor=editor, expected_version=loaded
    )
    assert version_token(kept) == loaded
    assert commitment.history.count() == 1

    moved = services.commitment_update(
        commitment=commitment,
        data=same | {"participants": [first, second]},
        actor=editor,
        expected_version=loaded,
    )
    assert version_token(moved) != loaded
    assert commitment.history.count() == 2


def test_a_commitment_save_with_participants_is_one_version_holding_them(compact, editor):
    first, second = ParticipantFactory.create_batch(2, compact=compact)
    commitment = services.commitment_create(
        compact=compact,
        category=Category.FAC,
        title="Share buildings",
        participants=[first],
        actor=editor,
    )
    services.commitment_update(
        commitment=commitment,
        data={"participants": [second]},
        actor=editor,
        expected_version=version_token(commitment),
    )

    created, changed = commitment.history.order_by("history_date", "history_id")
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert [p.participant for p in created.participants.all()] == [first]
    assert [p.participant for p in changed.participants.all()] == [second]
    assert {created.history_user, changed.history_user} == {editor}


def test_commitment_create_refuses_participants_of_another_compact(compact, editor):
    other = ParticipantFactory(compact=CompactFactory(city=compact.city))
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            compact=compact,
            category=Category.FAC,
            title="Share buildings",
            participants=[other],
            actor=editor,
        )
    assert "participants" in error.value.error_dict
    assert not Commitment.objects.filter(title="Share buildings").exists()


def test_commitment_update_refuses_participants_of_another_compact(compact, editor):
    commitment = CommitmentFactory(compact=compact)
    other = ParticipantFactory(compact=CompactFactory(city=compact.city))
    with pytest.raises(ValidationError):
        services.commitment_update(
            commitment=commitment, data={"participants": [other]}, actor=editor
        )
    assert list(commitment.participants.all()) == []


@pytest.mark.parametrize(
    ("status", "achieved_on"),
    [
        (CommitmentStatus.ACHIEVED, None),
        (CommitmentStatus.IN_PROGRESS, datetime.date(2014, 1, 1)),
        (CommitmentStatus.ACHIEVED, TOMORROW),
    ],
    ids=["achieved-without-date", "date-without-achieved", "achieved-in-the-future"],
)
def test_commitment_create_refuses_an_impossible_achievement(compact, editor, status, achieved_on):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            compact=compact,
            category=Category.ENR,
            title="Enrollment",
            status=status,
            achieved_on=achieved_on,
            actor=editor,
        )
    assert "achieved_on" in error.value.error_dict
    assert not Commitment.objects.exists()


def test_commitment_update_marks_it_achieved(compact, editor):
    commitment = CommitmentFactory(compact=compact)
    saved = services.commitment_update(
        commitment=commitment,
        data={"status": CommitmentStatus.ACHIEVED, "achieved_on": TODAY},
        actor=editor,
        expected_version=version_token(commitment),
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.achieved_on) == (CommitmentStatus.ACHIEVED, TODAY)
    assert saved.pk == commitment.pk


def test_commitment_delete_unlinks_its_activities_and_deletes_its_milestones(compact, editor):
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory(commitment=commitment)
    activity = ActivityFactory(compact=compact, commitment=commitment)
    services.commitment_delete(commitment=commitment, actor=editor)
    activity.refresh_from_db()
    assert activity.commitment is None
    assert not Milestone.objects.exists()


# --- milestones ---


def test_milestone_mark_done_records_date_and_evidence(compact, editor):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    services.milestone_mark_done(
        milestone=milestone,
        completed_on=TODAY,
        evidence_url="https://example.org/minutes.pdf",
        actor=editor,
        expected_version=version_token(milestone),
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on, milestone.evidence_url) == (
        MilestoneStatus.DONE,
        TODAY,
        "https://example.org/minutes.pdf",
    )
    assert last_history(milestone).history_user == editor


def test_milestone_mark_done_refuses_a_future_completion_and_writes_nothing(compact, editor):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    rows = milestone.history.count()
    with pytest.raises(ValidationError) as error:
        services.milestone_mark_done(
            milestone=milestone,
            completed_on=TOMORROW,
            evidence_url="https://example.org/x",
            actor=editor,
        )
    assert "completed_on" in error.value.error_dict
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PLANNED
    assert milestone.history.count() == rows


def test_milestone_create_refuses_done_without_completion_date(compact, editor):
    with pytest.raises(ValidationError) as error:
        services.milestone_create(
            commitment=CommitmentFactory(compact=compact),
            title="Board vote",
            due_on=TODAY,
            status=MilestoneStatus.DONE,
            actor=editor,
        )
    assert "completed_on" in error.value.error_dict


def test_milestone_update_cannot_move_it_to_another_commitment(compact, editor):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    with pytest.raises(TypeError):
        services.milestone_update(
            milestone=milestone, data={"commitment": CommitmentFactory()}, actor=editor
        )


# --- activities ---


def test_activity_create_records_attendance_by_sector(compact, editor):
    activity = services.activity_create(
        compact=compact,
        kind=ActivityKind.JOINT_PD,
        occurred_on=TODAY,
        title="Joint PD day",
        district_attendees=40,
        charter_attendees=25,
        actor=editor,
    )
    assert (activity.district_attendees, activity.charter_attendees) == (40, 25)


def test_activity_create_refuses_a_commitment_of_another_compact(compact, editor):
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            compact=compact,
            kind=ActivityKind.MEETING,
            occurred_on=TODAY,
            title="Steering",
            commitment=CommitmentFactory(compact=CompactFactory(city=compact.city)),
            actor=editor,
        )
    assert "commitment" in error.value.error_dict


def test_activity_create_refuses_a_future_date_and_negative_attendance(compact, editor):
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            compact=compact,
            kind=ActivityKind.MEETING,
            occurred_on=TOMORROW,
            title="Steering",
            district_attendees=-1,
            actor=editor,
        )
    assert {"occurred_on", "district_attendees"} <= set(error.value.error_dict)


# --- grants ---


def test_grant_create_refuses_a_funder_that_is_not_a_funder(compact, editor):
    with pytest.raises(ValidationError) as error:
        services.grant_create(
            compact=compact,
            funder=OrganizationFactory(city=compact.city),
            amount=Decimal("1000"),
            awarded_on=TODAY,
            actor=editor,
        )
    assert "funder" in error.value.error_dict


def test_grant_create_refuses_a_negative_amount(compact, editor):
    with pytest.raises(ValidationError) as error:
        services.grant_create(
            compact=compact,
            funder=FunderFactory(),
            amount=Decimal("-5"),
            awarded_on=TODAY,
            actor=editor,
        )
    assert "amount" in error.value.error_dict


def test_grant_update_and_delete(compact, editor):
    grant = GrantFactory(compact=compact)
    services.grant_update(grant=grant, data={"amount": Decimal("250000")}, actor=editor)
    grant.refresh_from_db()
    assert grant.amount == Decimal("250000")
    services.grant_delete(grant=grant, actor=editor)
    assert not type(grant).objects.exists()


# --- concurrent edits ---


def test_a_save_against_a_changed_record_is_refused_and_writes_nothing(compact, editor, viewer):
    commitment = CommitmentFactory(compact=compact, title="Original")
    loaded = version_token(commitment)
    services.commitment_update(commitment=commitment, data={"title": "First"}, actor=viewer)
    rows = commitment.history.count()

    with pytest.raises(StaleVersion) as stale:
        services.commitment_update(
            commitment=commitment,
            data={"title": "Second", "status": CommitmentStatus.STALLED},
            actor=editor,
            expected_version=loaded,
        )

    commitment.refresh_from_db()
    assert (commitment.title, commitment.status) == ("First", CommitmentStatus.IN_PROGRESS)
    assert commitment.history.count() == rows
    assert stale.value.current.title == "First"
    assert stale.value.changed_by == viewer


def test_a_save_with_the_current_version_goes_through(compact, editor):
    commitment = CommitmentFactory(compact=compact)
    first = services.commitment_update(
        commitment=commitment,
        data={"title": "First"},
        actor=editor,
        expected_version=version_token(commitment),
    )
    services.commitment_update(
        commitment=commitment,
        data={"title": "Second"},
        actor=editor,
        expected_version=version_token(first),
    )
    commitment.refresh_from_db()
    assert commitment.title == "Second"


@pytest.mark.parametrize("token", ["", "yesterday", "2020-01-01T00:00:00"])
def test_an_unreadable_version_token_counts_as_stale(compact, editor, token):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    with pytest.raises(StaleVersion):
        services.milestone_update(
            milestone=milestone, data={"title": "x"}, actor=editor, expected_version=token
        )


def test_a_save_against_a_deleted_record_is_refused(compact, editor):
    grant = GrantFactory(compact=compact)
    token = version_token(grant)
    type(grant).objects.filter(pk=grant.pk).delete()
    with pytest.raises(StaleVersion) as stale:
        services.grant_update(
            grant=grant, data={"purpose": "x"}, actor=editor, expected_version=token
        )
    assert stale.value.current is None


# --- delete guards ---


def test_a_delete_blocked_by_protect_is_refused_naming_what_depends(compact, editor):
    # No compact record is protected by another today; the shared delete step is exercised on
    # a leadership term, which its signatures protect.
    signatory = SignatoryFactory(compact=compact)
    term = signatory.leadership_term
    with pytest.raises(services.DeletionRefused) as refused:
        services._delete(term, actor=editor)
    assert "signator" in str(refused.value)
    assert str(signatory) in str(refused.value)
    term.refresh_from_db()
