"""Writes through the API: the pages' forms and services, so the same validation, history (with
the token's user) and version check; editors only (viewer 403, outsider 404, anonymous 401)."""

import datetime

import pytest
from django.urls import reverse

from compacts.models import Activity, Commitment, Milestone
from core.concurrency import version_token
from schools.models import LeadershipTerm

PERSONAS = ["anonymous", "viewer", "outsider", "editor", "superuser"]
ANSWER = {"anonymous": 401, "viewer": 403, "outsider": 404}


def _created(persona: str) -> int:
    return ANSWER.get(persona, 201)


def _changed(persona: str) -> int:
    return ANSWER.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_commitment_is_recorded_by_editors_only(api, world, persona):
    response = api[persona].post(
        reverse("api:commitment-list"),
        {"compact": world.x.compact.pk, "category": "ENR", "title": "Xville common enrollment"},
        format="json",
    )
    assert response.status_code == _created(persona), response.content
    saved = Commitment.objects.filter(title="Xville common enrollment").first()
    assert (saved is not None) == (response.status_code == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_milestone_is_added_by_editors_only(api, world, persona):
    response = api[persona].post(
        reverse("api:milestone-list"),
        {"commitment": world.x.commitment.pk, "title": "Xville step", "due_on": "2026-09-01"},
        format="json",
    )
    assert response.status_code == _created(persona), response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_activity_is_logged_by_editors_only(api, world, persona):
    response = api[persona].post(
        reverse("api:activity-list"),
        {
            "compact": world.x.compact.pk,
            "kind": "meeting",
            "occurred_on": "2026-02-11",
            "title": "Xville working group",
            "district_attendees": 3,
        },
        format="json",
    )
    assert response.status_code == _created(persona), response.content


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("record", ["commitment", "milestone", "activity"])
def test_a_record_is_changed_by_editors_only(api, world, persona, record):
    instance = getattr(world.x, record)
    response = api[persona].patch(
        reverse(f"api:{record}-detail", kwargs={"pk": instance.pk}),
        {"title": "Xville renamed", "version": version_token(instance)},
        format="json",
    )
    assert response.status_code == _changed(persona), response.content
    instance.refresh_from_db()
    assert (instance.title == "Xville renamed") == (response.status_code == 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_milestone_is_marked_done_by_editors_only(api, world, persona):
    milestone = world.x.milestone
    response = api[persona].post(
        reverse("api:milestone-done", kwargs={"pk": milestone.pk}),
        {"completed_on": "2026-01-05", "version": version_token(milestone)},
        format="json",
    )
    assert response.status_code == _changed(persona), response.content
    milestone.refresh_from_db()
    assert (milestone.status == "done") == (response.status_code == 200)


def test_a_write_appears_in_history_with_the_tokens_user(api, world, editor):
    response = api["editor"].post(
        reverse("api:activity-list"),
        {
            "compact": world.x.compact.pk,
            "kind": "meeting",
            "occurred_on": "2026-02-11",
            "title": "Xville sync",
        },
        format="json",
    )
    activity = Activity.objects.get(pk=response.json()["id"])
    assert activity.history.get().history_user == editor
    version = response.json()["version"]
    api["editor"].patch(
        reverse("api:activity-detail", kwargs={"pk": activity.pk}),
        {"notes": "Minutes attached", "version": version},
        format="json",
    )
    latest = activity.history.order_by("-history_id").first()
    assert (latest.notes, latest.history_user, latest.history_type) == (
        "Minutes attached",
        editor,
        "~",
    )


def test_a_change_against_a_stale_version_answers_409_with_the_current_record(api, world):
    commitment = world.x.commitment
    stale = version_token(commitment)
    url = reverse("api:commitment-detail", kwargs={"pk": commitment.pk})
    first = api["editor"].patch(url, {"title": "First", "version": stale}, format="json")
    assert first.status_code == 200
    second = api["superuser"].patch(url, {"title": "Second", "version": stale}, format="json")
    assert second.status_code == 409
    assert second.json()["current"]["title"] == "First"
    assert second.json()["current"]["version"] == first.json()["version"]
    commitment.refresh_from_db()
    assert commitment.title == "First"


def test_a_change_without_a_version_is_refused(api, world):
    url = reverse("api:commitment-detail", kwargs={"pk": world.x.commitment.pk})
    response = api["editor"].patch(url, {"title": "No version"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_a_change_keeps_the_fields_it_does_not_name(api, world):
    commitment = world.x.commitment
    before = (commitment.category, commitment.description, commitment.status)
    url = reverse("api:commitment-detail", kwargs={"pk": commitment.pk})
    response = api["editor"].patch(
        url, {"title": "Only the title", "version": version_token(commitment)}, format="json"
    )
    assert response.status_code == 200
    commitment.refresh_from_db()
    assert (commitment.category, commitment.description, commitment.status) == before


@pytest.mark.parametrize("record", ["commitment", "milestone", "activity"])
def test_a_change_that_changes_nothing_keeps_the_version_and_history(api, world, record):
    instance = getattr(world.x, record)
    url = reverse(f"api:{record}-detail", kwargs={"pk": instance.pk})
    loaded = api["editor"].get(url).json()
    versions = instance.history.count()

    same = api["editor"].patch(
        url, {"title": loaded["title"], "version": loaded["version"]}, format="json"
    )
    changed = api["editor"].patch(
        url, {"title": "A new title", "version": loaded["version"]}, format="json"
    )

    assert same.status_code == changed.status_code == 200
    assert same.json()["version"] == loaded["version"]
    assert changed.json()["version"] != loaded["version"]
    assert instance.history.count() == versions + 1


def test_the_forms_validation_applies(api, world):
    # The achieved date is required with the status Achieved (Commitment.clean).
    response = api["editor"].patch(
        reverse("api:commitment-detail", kwargs={"pk": world.x.commitment.pk}),
        {"status": "achieved", "version": version_token(world.x.commitment)},
        format="json",
    )
    assert response.status_code == 400
    assert "achieved_on" in response.json()


def test_an_activity_cannot_name_another_citys_commitment(api, world):
    response = api["editor"].post(
        reverse("api:activity-list"),
        {
            "compact": world.x.compact.pk,
            "kind": "meeting",
            "occurred_on": "2026-02-11",
            "title": "Xville sync",
            "commitment": world.y.commitment.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "commitment" in response.json()


def test_a_new_record_needs_its_parent(api, world):
    response = api["editor"].post(
        reverse("api:commitment-list"), {"category": "ENR", "title": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "compact" in response.json()


def test_a_body_that_is_not_an_object_is_refused(api, world):
    response = api["editor"].post(reverse("api:commitment-list"), [1, 2], format="json")
    assert response.status_code == 400


def test_a_milestone_on_an_achieved_commitment_needs_the_same_confirmation(api, world):
    commitment = world.x.commitment
    Commitment.objects.filter(pk=commitment.pk).update(
        status="achieved", achieved_on=datetime.date(2025, 1, 1)
    )
    data = {"commitment": commitment.pk, "title": "Late step", "due_on": "2026-09-01"}
    url = reverse("api:milestone-list")
    assert api["editor"].post(url, data, format="json").status_code == 400
    confirmed = api["editor"].post(url, {**data, "add_to_achieved": True}, format="json")
    assert confirmed.status_code == 201
    assert Milestone.objects.filter(title="Late step").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_leadership_change_is_recorded_by_editors_of_the_seat(api, world, persona):
    term = world.x.term
    response = api[persona].post(
        reverse("api:leadership_change"),
        {
            "organization": term.organization_id,
            "role": term.role,
            "last_day": "2026-01-31",
            "end_reason": "stepped_down",
            "successor_name": "Xville Successor",
            "successor_first_day": "2026-02-01",
        },
        format="json",
    )
    # The outsider edits city Y: the form does not offer city X's seats (a field error).
    expected = {"anonymous": 401, "viewer": 403, "outsider": 400}.get(persona, 201)
    assert response.status_code == expected, response.content
    new_term = LeadershipTerm.objects.filter(person__full_name="Xville Successor").first()
    assert (new_term is not None) == (expected == 201)
    if expected == 201:
        assert response.json()["closed_term"]["id"] == term.pk
        assert new_term.history.get().history_user.username == persona.replace("superuser", "admin")


def test_opt_in_participants_are_set_from_json_or_form_fields(api, world):
    commitment, participant = world.x.commitment, world.x.participant
    url = reverse("api:commitment-detail", kwargs={"pk": commitment.pk})
    response = api["editor"].patch(
        url, {"participants": [participant.pk], "version": version_token(commitment)}, format="json"
    )
    assert response.json()["participants"] == [participant.pk]
    response = api["editor"].patch(
        url, {"participants": [], "version": response.json()["version"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["participants"] == []
    # A form-encoded change with one participant: a list of one, as a browser sends it.
    response = api["editor"].patch(
        url, {"participants": participant.pk, "version": response.json()["version"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["participants"] == [participant.pk]


def test_a_change_to_another_compacts_participant_is_refused(api, world):
    commitment = world.x.commitment
    response = api["editor"].patch(
        reverse("api:commitment-detail", kwargs={"pk": commitment.pk}),
        {"participants": [world.y.participant.pk], "version": version_token(commitment)},
        format="json",
    )
    assert response.status_code == 400
    assert "participants" in response.json()


def test_notes_over_the_limit_are_a_field_error(api, world):
    from compacts.models import LONG_TEXT_MAX

    response = api["editor"].post(
        reverse("api:activity-list"),
        {
            "compact": world.x.compact.pk,
            "kind": "meeting",
            "occurred_on": "2026-02-11",
            "title": "Xville minutes",
            "notes": "x" * (LONG_TEXT_MAX + 1),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "notes" in response.json()
    assert not Activity.objects.filter(title="Xville minutes").exists()
