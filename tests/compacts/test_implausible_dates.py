"""Dates that cannot be right are refused by the model (every write path) and shown next to the
field on the staff forms; a milestone added to an achieved commitment asks for confirmation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from compacts.choices import CommitmentStatus, MilestoneStatus
from compacts.models import Commitment, Grant, Milestone
from tests.compacts.factories import CommitmentFactory, CompactFactory, MilestoneFactory
from tests.schools.factories import FunderFactory

pytestmark = pytest.mark.django_db

SIGNED = datetime.date(2012, 1, 15)
A_YEAR_BEFORE = datetime.date(2011, 1, 15)  # 365 days before signing
TODAY = timezone.localdate()


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, signed_on=SIGNED, title="Xville Compact")


@pytest.fixture
def commitment(compact):
    return CommitmentFactory(compact=compact, status=CommitmentStatus.IN_PROGRESS)


def _errors(record) -> dict:
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    return error.value.message_dict


# --- the models ---


def test_a_milestone_due_more_than_a_year_before_signing_is_refused(commitment):
    early = Milestone(commitment=commitment, title="Plan", due_on=A_YEAR_BEFORE - days(1))

    assert _errors(early)["due_on"] == [
        "The compact was signed on 15 Jan 2012: a milestone due more than a year before that "
        "cannot be right."
    ]
    Milestone(commitment=commitment, title="Groundwork", due_on=A_YEAR_BEFORE).full_clean()


def test_a_milestone_completed_more_than_a_year_before_signing_is_refused(commitment):
    done = Milestone(
        commitment=commitment,
        title="Plan",
        due_on=SIGNED,
        status=MilestoneStatus.DONE,
        completed_on=datetime.date(2010, 6, 1),
    )

    assert list(_errors(done)) == ["completed_on"]


def test_a_commitment_target_before_signing_is_refused_and_the_signing_day_is_fine(compact):
    early = Commitment(compact=compact, category="ENR", title="Common app", target_on=SIGNED)
    early.full_clean()
    early.target_on = SIGNED - days(1)

    assert _errors(early)["target_on"] == [
        "The compact was signed on 15 Jan 2012: a target comes after that."
    ]


def test_a_grant_awarded_in_the_future_is_refused_and_today_is_fine(compact):
    grant = Grant(compact=compact, funder=FunderFactory(), amount=100, awarded_on=TODAY)
    grant.full_clean()
    grant.awarded_on = TODAY + days(1)

    assert "in the future" in _errors(grant)["awarded_on"][0]


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- the forms: the message next to the field, the input kept ---


def _field_error(response, field: str) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors[field])


def test_the_milestone_form_refuses_a_due_date_long_before_signing(editor_client, commitment):
    url = reverse("compacts:milestone_create", kwargs={"parent_id": commitment.pk})

    response = editor_client.post(
        url, {"title": "Plan", "due_on": "2009-05-01", "status": "planned"}
    )

    assert "more than a year before" in _field_error(response, "due_on")
    assert 'value="2009-05-01"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_the_commitment_form_refuses_a_target_before_signing(editor_client, compact):
    url = reverse("compacts:commitment_create", kwargs={"parent_id": compact.pk})
    data = {
        "category": "ENR",
        "title": "Common application",
        "responsible_party": "shared",
        "status": "not_started",
        "target_on": "2011-09-01",
    }

    response = editor_client.post(url, data)

    assert "a target comes after that" in _field_error(response, "target_on")
    assert not Commitment.objects.exists()


def test_the_grant_form_refuses_an_award_in_the_future(editor_client, compact):
    url = reverse("compacts:grant_create", kwargs={"parent_id": compact.pk})
    tomorrow = (TODAY + days(1)).isoformat()
    data = {"funder": FunderFactory().pk, "amount": "1000", "awarded_on": tomorrow}

    response = editor_client.post(url, data)

    assert "in the future" in _field_error(response, "awarded_on")
    assert not Grant.objects.exists()


# --- a milestone added to an achieved commitment ---


@pytest.fixture
def achieved(compact):
    return CommitmentFactory(
        compact=compact,
        title="Unified enrollment",
        status=CommitmentStatus.ACHIEVED,
        achieved_on=datetime.date(2014, 6, 1),
    )


def _milestone_url(commitment) -> str:
    return reverse("compacts:milestone_create", kwargs={"parent_id": commitment.pk})


MILESTONE = {"title": "Follow-up report", "due_on": "2015-06-01", "status": "planned"}


def test_the_form_warns_that_the_commitment_is_achieved(editor_client, achieved):
    text = editor_client.get(_milestone_url(achieved)).content.decode()

    assert "“Unified enrollment” was achieved on 1 Jun 2014." in text
    assert "Yes, add it to this achieved commitment anyway" in text


def test_without_confirmation_the_milestone_is_refused_next_to_the_checkbox(
    editor_client, achieved
):
    response = editor_client.post(_milestone_url(achieved), MILESTONE)

    assert "tick this box" in _field_error(response, "add_to_achieved")
    assert 'value="Follow-up report"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_with_confirmation_the_milestone_is_added(editor_client, achieved):
    response = editor_client.post(_milestone_url(achieved), {**MILESTONE, "add_to_achieved": "on"})

    assert response.status_code == 302
    assert Milestone.objects.get().commitment == achieved


def test_a_commitment_in_progress_and_an_edit_ask_nothing(editor_client, commitment, achieved):
    form = editor_client.get(_milestone_url(commitment)).context["form"]
    milestone = MilestoneFactory(commitment=achieved, due_on=datetime.date(2014, 1, 1))
    edit = editor_client.get(reverse("compacts:milestone_edit", kwargs={"pk": milestone.pk}))

    assert "add_to_achieved" not in form.fields and not form.warning
    assert "add_to_achieved" not in edit.context["form"].fields


# --- mistyped years (9999, 0001) on every date, whatever the write path ---


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (lambda c: Milestone(commitment=c, title="Plan", due_on=SIGNED), "due_on"),
        (lambda c: c, "target_on"),
        (lambda c: c.compact, "signed_on"),
        (
            lambda c: Grant(compact=c.compact, funder=FunderFactory(), amount=1, awarded_on=SIGNED),
            "awarded_on",
        ),
    ],
)
@pytest.mark.parametrize("year", [1, 9999])
def test_a_mistyped_year_is_refused_by_the_model(commitment, factory, field, year):
    record = factory(commitment)
    setattr(record, field, datetime.date(year, 12, 31))

    assert "between 1900 and 2099" in " ".join(_errors(record)[field])


def test_the_milestone_form_refuses_a_mistyped_year_by_the_field(editor_client, commitment):
    url = reverse("compacts:milestone_create", kwargs={"parent_id": commitment.pk})

    response = editor_client.post(
        url, {"title": "Plan", "due_on": "9999-12-31", "status": "planned"}
    )

    assert "between 1900 and 2099" in _field_error(response, "due_on")
    assert 'max="2099-12-31"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_a_dashboard_stays_up_beside_the_mistyped_years_it_refused(
    editor_client, viewer_client, compact, commitment
):
    url = reverse("compacts:milestone_create", kwargs={"parent_id": commitment.pk})
    editor_client.post(url, {"title": "Plan", "due_on": "9999-12-31", "status": "planned"})
    edit = reverse("compacts:compact_edit", kwargs={"pk": compact.pk})
    editor_client.post(edit, {"title": compact.title, "signed_on": "9999-12-31"})

    assert viewer_client.get(f"/cities/{compact.city.slug}/").status_code == 200
