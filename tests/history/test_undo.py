"""Undo from history: restoring a deleted record with what was deleted with it, reverting a record
to an earlier version, and who may do either."""

import datetime

import pytest
from django.urls import reverse

from compacts.choices import CommitmentStatus
from compacts.models import Activity, Commitment, Compact, Milestone, Signatory
from core.audit import recorded_as
from history.records import tracked_for
from schools.models import CharterSchool, LeadershipTerm, Organization
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import CharterSchoolFactory, LeadershipTermFactory


def _url(name: str, obj_or_model, pk=None, **extra) -> str:
    meta = obj_or_model._meta
    pk = pk if pk is not None else obj_or_model.pk
    kwargs = {"app_label": meta.app_label, "model": meta.model_name, "pk": pk, **extra}
    return reverse(f"core:{name}", kwargs=kwargs)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def deleted_commitment(city_x, editor):
    """A commitment of city X with two milestones and a linked activity, deleted by the editor."""
    commitment = CommitmentFactory(compact__city=city_x, title="Common enrollment")
    milestones = [
        MilestoneFactory(commitment=commitment, title="Lottery rules"),
        MilestoneFactory(commitment=commitment, title="First lottery"),
    ]
    activity = ActivityFactory(compact=commitment.compact, commitment=commitment)
    pk = commitment.pk
    with recorded_as(editor):
        commitment.delete()
    return {"pk": pk, "milestones": [m.pk for m in milestones], "activity": activity.pk}


@pytest.mark.django_db
def test_restoring_a_deleted_commitment_brings_back_its_milestones(
    editor_client, editor, deleted_commitment
):
    pk = deleted_commitment["pk"]

    response = editor_client.post(_url("history_restore", Commitment, pk), follow=True)

    commitment = Commitment.objects.get(pk=pk)
    assert commitment.title == "Common enrollment"
    assert sorted(commitment.milestones.values_list("pk", flat=True)) == sorted(
        deleted_commitment["milestones"]
    )
    assert Activity.objects.get(pk=deleted_commitment["activity"]).commitment_id == pk
    assert _messages(response) == [
        "Restored commitment “Common enrollment”, 2 milestones and the link of 1 activity.",
    ]


@pytest.mark.django_db
def test_restoring_a_deleted_commitment_brings_back_its_opt_in_participants(
    editor_client, editor, city_x
):
    commitment = CommitmentFactory(compact__city=city_x, title="Shared buses")
    participant = ParticipantFactory(compact=commitment.compact)
    commitment.participants.add(participant)
    pk = commitment.pk
    with recorded_as(editor):
        commitment.delete()

    editor_client.post(_url("history_restore", Commitment, pk), follow=True)

    restored = Commitment.objects.get(pk=pk)
    assert list(restored.participants.all()) == [participant]


@pytest.mark.django_db
def test_a_restore_is_recorded_in_history_with_the_user_and_reason(
    editor_client, editor, deleted_commitment
):
    editor_client.post(_url("history_restore", Commitment, deleted_commitment["pk"]))

    latest = Commitment.history.filter(id=deleted_commitment["pk"]).first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "+",
        editor,
        "Restored",
    )
    milestone_rows = Milestone.history.filter(id__in=deleted_commitment["milestones"])
    assert milestone_rows.filter(history_change_reason="Restored").count() == 2


@pytest.mark.django_db
def test_the_restore_confirmation_says_what_comes_back(editor_client, deleted_commitment):
    response = editor_client.get(_url("history_restore", Commitment, deleted_commitment["pk"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Restore commitment “Common enrollment”?" in page
    assert "<li>2 milestones</li>" in page
    assert "<li>1 activity</li>" in page
    assert not Commitment.objects.filter(pk=deleted_commitment["pk"]).exists()


@pytest.mark.django_db
def test_milestones_deleted_earlier_on_their_own_stay_deleted(city_x, editor, editor_client):
    commitment = CommitmentFactory(compact__city=city_x)
    kept = MilestoneFactory(commitment=commitment)
    removed_before = MilestoneFactory(commitment=commitment)
    with recorded_as(editor):
        removed_before.delete()
    Milestone.history.filter(history_type="-").update(
        history_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    pk = commitment.pk
    with recorded_as(editor):
        commitment.delete()

    editor_client.post(_url("history_restore", Commitment, pk))

    assert list(Milestone.objects.filter(commitment_id=pk).values_list("pk", flat=True)) == [
        kept.pk
    ]


@pytest.mark.django_db
def test_restoring_a_compact_brings_back_its_commitments_and_their_milestones(
    city_x, editor, editor_client
):
    milestone = MilestoneFactory(commitment__compact__city=city_x)
    compact = milestone.commitment.compact
    ActivityFactory(compact=compact, commitment=milestone.commitment)
    ids = (compact.pk, milestone.commitment_id, milestone.pk)
    with recorded_as(editor):
        compact.delete()

    editor_client.post(_url("history_restore", Compact, ids[0]))

    assert Compact.objects.filter(pk=ids[0]).exists()
    assert Commitment.objects.filter(pk=ids[1], compact_id=ids[0]).exists()
    assert Milestone.objects.filter(pk=ids[2], commitment_id=ids[1]).exists()
    assert Activity.objects.get(compact_id=ids[0]).commitment_id == ids[1]


@pytest.mark.django_db
def test_a_restore_whose_parent_is_gone_is_refused_naming_it(city_x, editor, editor_client):
    milestone = MilestoneFactory(commitment__compact__city=city_x, title="Orphan")
    milestone_pk = milestone.pk
    commitment = milestone.commitment
    commitment_title = commitment.title
    with recorded_as(editor):
        milestone.delete()
        commitment.delete()
    history_rows = Milestone.history.count()

    response = editor_client.post(_url("history_restore", Milestone, milestone_pk), follow=True)

    assert not Milestone.objects.filter(pk=milestone_pk).exists()
    assert Milestone.history.count() == history_rows
    assert _messages(response) == [
        f"Milestone “Orphan” cannot be restored: its commitment “{commitment_title}” was deleted. "
        "Restore that first."
    ]


@pytest.mark.django_db
def test_a_dependent_that_cannot_come_back_is_named_and_the_rest_is_restored(
    city_x, editor, editor_client
):
    signatory = SignatoryFactory(compact__city=city_x)
    compact, term = signatory.compact, signatory.leadership_term
    compact_pk, person = compact.pk, term.person.full_name
    CommitmentFactory(compact=compact)
    with recorded_as(editor):
        compact.delete()
        term.delete()

    response = editor_client.post(_url("history_restore", Compact, compact_pk), follow=True)

    assert Compact.objects.filter(pk=compact_pk).exists()
    assert Commitment.objects.filter(compact_id=compact_pk).count() == 1
    assert not Signatory.objects.filter(compact_id=compact_pk).exists()
    success, warning = _messages(response)
    assert success.endswith("and 1 commitment.")
    assert warning.startswith("Not everything could be restored. Signatory “")
    assert f"its leadership term “{person}" in warning


@pytest.mark.django_db
def test_restoring_a_record_that_exists_writes_nothing(city_x, editor_client):
    commitment = CommitmentFactory(compact__city=city_x)
    rows = commitment.history.count()

    response = editor_client.post(_url("history_restore", commitment), follow=True)

    assert commitment.history.count() == rows
    assert _messages(response) == ["This commitment exists; there is nothing to restore."]


@pytest.mark.django_db
def test_revert_gives_back_an_earlier_version_and_is_itself_in_history(
    city_x, editor, editor_client
):
    commitment = CommitmentFactory(compact__city=city_x, status=CommitmentStatus.IN_PROGRESS)
    first = commitment.history.get()
    with recorded_as(editor):
        commitment.status = CommitmentStatus.ACHIEVED
        commitment.achieved_on = datetime.date(2024, 5, 1)
        commitment.save()

    response = editor_client.post(
        _url("history_revert", commitment, history_id=first.history_id), follow=True
    )

    commitment.refresh_from_db()
    assert (commitment.status, commitment.achieved_on) == (CommitmentStatus.IN_PROGRESS, None)
    latest = commitment.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Reverted to version of ")
    assert commitment.history.count() == 3
    assert "Reverted commitment" in _messages(response)[0]


@pytest.mark.django_db
def test_the_revert_confirmation_shows_what_changes_back(city_x, editor, editor_client):
    commitment = CommitmentFactory(compact__city=city_x, status=CommitmentStatus.IN_PROGRESS)
    first = commitment.history.get()
    commitment.status = CommitmentStatus.STALLED
    commitment.save()

    response = editor_client.get(_url("history_revert", commitment, history_id=first.history_id))

    page = response.content.decode()
    assert "Stalled</del>" in page
    assert "In progress</ins>" in page
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.STALLED


@pytest.mark.django_db
def test_reverting_to_values_that_break_a_rule_now_is_refused(city_x, editor_client):
    term = LeadershipTermFactory(organization__city=city_x, ended_on=None)
    open_version = term.history.get()
    term.ended_on = datetime.date(2015, 6, 30)
    term.end_reason = "retired"
    term.save()
    LeadershipTermFactory(organization=term.organization, started_on=datetime.date(2015, 7, 1))

    response = editor_client.post(
        _url("history_revert", term, history_id=open_version.history_id), follow=True
    )

    term.refresh_from_db()
    assert term.ended_on == datetime.date(2015, 6, 30)
    assert "This version cannot be restored" in _messages(response)[0]
    assert LeadershipTerm.history.filter(id=term.pk).count() == 2


@pytest.mark.django_db
def test_reverting_to_the_current_values_writes_nothing(city_x, editor_client):
    commitment = CommitmentFactory(compact__city=city_x)
    current = commitment.history.get()

    response = editor_client.post(
        _url("history_revert", commitment, history_id=current.history_id), follow=True
    )

    assert commitment.history.count() == 1
    assert _messages(response) == ["The record already has the values of that version."]


@pytest.mark.django_db
def test_a_version_of_another_record_is_not_found(city_x, editor_client):
    one, other = CommitmentFactory(compact__city=city_x), CommitmentFactory(compact__city=city_x)

    response = editor_client.get(
        _url("history_revert", one, history_id=other.history.get().history_id)
    )

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_may_not_restore_or_revert(viewer_client, deleted_commitment, city_x, method):
    live = CommitmentFactory(compact__city=city_x)
    restore = _url("history_restore", Commitment, deleted_commitment["pk"])
    revert = _url("history_revert", live, history_id=live.history.get().history_id)

    assert getattr(viewer_client, method)(restore).status_code == 403
    assert getattr(viewer_client, method)(revert).status_code == 403
    assert not Commitment.objects.filter(pk=deleted_commitment["pk"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_does_not_find_restore_or_revert(
    outsider_client, deleted_commitment, city_x, method
):
    live = CommitmentFactory(compact__city=city_x)
    restore = _url("history_restore", Commitment, deleted_commitment["pk"])
    revert = _url("history_revert", live, history_id=live.history.get().history_id)

    assert getattr(outsider_client, method)(restore).status_code == 404
    assert getattr(outsider_client, method)(revert).status_code == 404
    assert not Commitment.objects.filter(pk=deleted_commitment["pk"]).exists()


@pytest.mark.django_db
def test_reference_data_is_restored_by_superusers_only(
    city_x, editor_client, superuser_client, superuser
):
    school = CharterSchoolFactory(city=city_x, name="Lincoln Charter")
    pk = school.pk
    with recorded_as(superuser):
        school.delete()
    url = _url("history_restore", CharterSchool, pk)

    assert editor_client.post(url).status_code == 403
    superuser_client.post(url)

    assert CharterSchool.objects.get(pk=pk).name == "Lincoln Charter"
    assert tracked_for(CharterSchool).reference


@pytest.mark.django_db
def test_an_organization_history_url_leads_to_the_school_it_is(city_x, viewer_client):
    school = CharterSchoolFactory(city=city_x)

    response = viewer_client.get(_url("history", Organization, school.pk))

    assert response.status_code == 302
    assert response["Location"] == _url("history", school)


@pytest.mark.django_db
def test_restore_answers_only_get_and_post(city_x, editor_client):
    compact = CompactFactory(city=city_x)

    assert editor_client.put(_url("history_restore", compact)).status_code == 405


def test_an_editor_of_one_city_may_not_revert_a_person_who_also_sat_in_another(
    city_x, city_y, editor, editor_client
):
    person = LeadershipTermFactory(organization__city=city_x).person
    LeadershipTermFactory(organization__city=city_y, person=person)
    first = person.history.order_by("history_date").first()
    with recorded_as(editor):
        person.full_name = "Renamed Here"
        person.save()

    response = editor_client.post(_url("history_revert", person, history_id=first.history_id))

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.full_name == "Renamed Here"


def test_an_editor_of_every_city_of_a_person_may_revert_them(city_x, editor, editor_client):
    person = LeadershipTermFactory(organization__city=city_x, person__full_name="Ada Old").person
    first = person.history.order_by("history_date").first()
    with recorded_as(editor):
        person.full_name = "Ada Typo"
        person.save()

    editor_client.post(_url("history_revert", person, history_id=first.history_id))

    person.refresh_from_db()
    assert person.full_name == "Ada Old"
