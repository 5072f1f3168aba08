"""The compact page and the staff forms: what editors and viewers see, the happy path of every
form, bad input kept with messages next to the field, safe `next`, edit conflicts, deletes, and
a flat query count on the compact page."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from compacts import services
from compacts.choices import (
    ActivityKind,
    Category,
    CommitmentStatus,
    MilestoneStatus,
    ResponsibleParty,
)
from compacts.models import Activity, Commitment, Grant, Milestone, Participant, Signatory
from compacts.selectors import COMPACT_PAGE_ACTIVITIES
from core.concurrency import version_token
from schools.choices import DatePrecision, EndReason, LeadershipRole
from schools.models import LeadershipTerm
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.matrix import CITY_CHANGE, EDITOR_ANYWHERE
from tests.matrix.routes_compacts import RECORD_ROUTES
from tests.matrix.world import build_world
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    DistrictFactory,
    FunderFactory,
    LeadershipTermFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, title="Xville Compact", signed_on=datetime.date(2012, 1, 15))


def page_url(compact) -> str:
    return reverse("compacts:compact", kwargs={"pk": compact.pk})


def text(response) -> str:
    return html.unescape(response.content.decode())


def version_in(response) -> str:
    match = re.search(r'name="version" value="([^"]+)"', response.content.decode())
    assert match, "the edit form carries no version"
    return html.unescape(match.group(1))


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the compact page ---


@pytest.mark.parametrize(
    ("signed_on", "precision", "shown"),
    [
        (datetime.date(2010, 12, 7), DatePrecision.DAY, "7 Dec 2010"),
        (datetime.date(2010, 12, 1), DatePrecision.MONTH, "Dec 2010"),
        (datetime.date(2011, 1, 1), DatePrecision.YEAR, "2011"),
    ],
)
def test_the_compact_page_shows_the_signing_date_at_its_precision(
    viewer_client, city_x, signed_on, precision, shown
):
    compact = CompactFactory(city=city_x, signed_on=signed_on, signed_on_precision=precision)
    body = text(viewer_client.get(page_url(compact)))
    assert f"signed {shown}" in body
    if precision != DatePrecision.DAY:
        assert "1 Dec 2010" not in body and "1 Jan 2011" not in body


def test_the_compact_page_shows_the_summary(viewer_client, city_x):
    compact = CompactFactory(
        city=city_x,
        cohort="2010-12",
        document_url="https://example.org/compact.pdf",
        summary="Both sectors agree.",
    )
    body = text(viewer_client.get(page_url(compact)))
    for expected in ("Xville, TX", "2010-12", "Active", 'href="https://example.org/compact.pdf"'):
        assert expected in body


def test_a_signatory_who_left_shows_when_why_and_who_holds_the_seat_now(viewer_client, compact):
    stays = SignatoryFactory(compact=compact)
    left = SignatoryFactory(compact=compact)
    term = left.leadership_term
    term.ended_on, term.end_reason = datetime.date(2014, 6, 30), EndReason.RETIRED
    term.save()
    LeadershipTermFactory(
        organization=term.organization,
        role=term.role,
        person=PersonFactory(full_name="Nora Successor"),
        started_on=datetime.date(2014, 7, 1),
    )
    body = text(viewer_client.get(page_url(compact)))
    assert body.count("Still in post") == 1
    assert str(stays.leadership_term.person) in body
    assert "Left on 30 Jun 2014 (retired)" in body
    assert "Nora Successor" in body and "since 1 Jul 2014" in body


def test_participants_are_split_into_districts_networks_and_independent_schools(
    viewer_client, compact
):
    network = CharterNetworkFactory(name="Bright Network")
    ParticipantFactory(compact=compact, organization=DistrictFactory(city=compact.city, name="D1"))
    ParticipantFactory(compact=compact, organization=network)
    ParticipantFactory(
        compact=compact,
        organization=CharterSchoolFactory(city=compact.city, network=network, name="NetSchool"),
    )
    ParticipantFactory(
        compact=compact, organization=CharterSchoolFactory(city=compact.city, name="SoloSchool")
    )
    page = viewer_client.get(page_url(compact)).context["page"]
    assert [p.organization.name for p in page.districts] == ["D1"]
    assert [p.organization.name for p in page.networks] == ["Bright Network", "NetSchool"]
    assert [p.organization.name for p in page.independent_schools] == ["SoloSchool"]


def test_commitments_are_grouped_by_category_with_tier_and_overdue_milestones_marked(
    viewer_client, compact
):
    enrollment = CommitmentFactory(
        compact=compact,
        category=Category.ENR,
        title="Unified enrollment",
        responsible_party=ResponsibleParty.DISTRICT,
        target_on=datetime.date(2016, 9, 1),
    )
    CommitmentFactory(compact=compact, category=Category.PD, title="Joint PD")
    MilestoneFactory(commitment=enrollment, title="Late step", due_on=datetime.date(2015, 1, 1))
    MilestoneFactory(commitment=enrollment, title="Future step", due_on=TOMORROW)
    response = viewer_client.get(page_url(compact))
    groups = response.context["page"].commitment_groups
    assert [(g.category, g.tier_label) for g in groups] == [("ENR", "Systemic"), ("PD", "Capacity")]
    body = text(response)
    assert "Responsible: District" in body and "Target: 1 Sep 2016" in body
    assert body.count(">Overdue<") == 1
    late = body.index("Late step")
    assert body.index(">Overdue<") > late and body.index(">Overdue<") < body.index("Future step")


def test_the_activity_log_is_latest_first_capped_and_links_to_all(viewer_client, compact):
    for day in range(COMPACT_PAGE_ACTIVITIES + 2):
        ActivityFactory(
            compact=compact,
            title=f"Meeting {day:02d}",
            occurred_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=day),
        )
    response = viewer_client.get(page_url(compact))
    page = response.context["page"]
    assert len(page.activities) == COMPACT_PAGE_ACTIVITIES and page.more_activities
    assert page.activities[0].title == f"Meeting {COMPACT_PAGE_ACTIVITIES + 1:02d}"
    assert f'href="/activities/?compact={compact.pk}"' in text(response)


def test_an_editor_sees_edit_links_for_every_record(editor_client, compact):
    commitment = CommitmentFactory(compact=compact)
    milestone = MilestoneFactory(commitment=commitment)
    signatory = SignatoryFactory(compact=compact)
    body = text(editor_client.get(page_url(compact)))
    for url in (
        reverse("compacts:compact_edit", kwargs={"pk": compact.pk}),
        reverse("compacts:commitment_edit", kwargs={"pk": commitment.pk}),
        reverse("compacts:milestone_done", kwargs={"pk": milestone.pk}),
        reverse("compacts:signatory_edit", kwargs={"pk": signatory.pk}),
        reverse("compacts:commitment_create", kwargs={"parent_id": compact.pk}),
        reverse("compacts:activity_create", kwargs={"parent_id": compact.pk}),
    ):
        assert url in body
    term = signatory.leadership_term
    assert (
        f"{reverse('compacts:leadership_change')}?organization={term.organization_id}"
        f"&role={term.role}" in body
    )


def test_a_viewer_sees_the_compact_page_without_any_edit_control(viewer_client, compact):
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory(commitment=commitment)
    SignatoryFactory(compact=compact)
    ParticipantFactory(compact=compact)
    ActivityFactory(compact=compact)
    GrantFactory(compact=compact)
    response = viewer_client.get(page_url(compact))
    assert response.status_code == 200
    body = text(response)
    assert commitment.title in body
    for marker in ("/edit/", "/delete/", "/new/", "/done/", "leadership/change", "Add ", "Edit"):
        assert marker not in body, marker


def test_the_compact_page_links_each_record_to_its_history_for_readers(viewer_client, compact):
    commitment = CommitmentFactory(compact=compact)
    milestone = MilestoneFactory(commitment=commitment)
    body = text(viewer_client.get(page_url(compact)))
    for record in (compact, commitment, milestone):
        url = reverse(
            "core:history",
            kwargs={"app_label": "compacts", "model": record._meta.model_name, "pk": record.pk},
        )
        assert f'href="{url}"' in body
    assert reverse("core:city_changes", kwargs={"slug": compact.city.slug}) in body


@pytest.mark.parametrize("size", [3, 30])
def test_the_compact_page_runs_a_fixed_number_of_queries(
    editor_client, compact, size, django_assert_num_queries
):
    for _ in range(size):
        SignatoryFactory(compact=compact)
        ParticipantFactory(compact=compact)
        commitment = CommitmentFactory(compact=compact)
        MilestoneFactory(commitment=commitment)
        ActivityFactory(compact=compact, commitment=commitment)
        GrantFactory(compact=compact)
    # compact, signatories with their seats' holders, participants with their opt-ins,
    # commitments with their milestones, activities, grants, the user's roles, banner; the
    # session comes from the cache, and so does the user, stored when they signed in
    # (accounts.backends: 8 where it was 9 with the user's query).
    with django_assert_num_queries(8):
        response = editor_client.get(page_url(compact))
    assert response.status_code == 200


def test_the_compact_page_answers_post_with_405(editor_client, compact):
    assert editor_client.post(page_url(compact)).status_code == 405


# --- acceptance: an editor records each of these without the admin ---


def test_an_editor_records_a_new_commitment_and_sees_it_on_the_compact_page(
    editor_client, editor, compact
):
    participant = ParticipantFactory(compact=compact)
    response = editor_client.post(
        reverse("compacts:commitment_create", kwargs={"parent_id": compact.pk}),
        {
            "category": Category.FAC,
            "title": "Share unused buildings",
            "description": "",
            "responsible_party": ResponsibleParty.DISTRICT,
            "target_on": "2016-08-01",
            "status": CommitmentStatus.IN_PROGRESS,
            "achieved_on": "",
            "participants": [participant.pk],
            "next": page_url(compact),
        },
        follow=True,
    )
    commitment = Commitment.objects.get(title="Share unused buildings")
    assert list(commitment.participants.all()) == [participant]
    assert commitment.history.get().history_user == editor
    assert response.redirect_chain[-1][0] == page_url(compact)
    assert "Commitment “Share unused buildings” recorded." in messages_of(response)
    body = text(response)
    assert "Share unused buildings" in body and "Facilities, co-location, leasing" in body


def test_an_editor_marks_a_milestone_done_with_evidence(editor_client, editor, compact):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact), title="Vote")
    url = reverse("compacts:milestone_done", kwargs={"pk": milestone.pk})
    form = editor_client.get(url)
    assert f'value="{TODAY.isoformat()}"' in text(form)
    response = editor_client.post(
        url,
        {
            "completed_on": TODAY.isoformat(),
            "evidence_url": "https://example.org/minutes.pdf",
            "version": version_in(form),
        },
        follow=True,
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on) == (MilestoneStatus.DONE, TODAY)
    assert milestone.history.first().history_user == editor
    body = text(response)
    assert 'href="https://example.org/minutes.pdf"' in body
    assert f"done {TODAY.day} {TODAY:%b %Y}" in body


def test_marking_done_without_an_evidence_link_is_allowed(editor_client, compact):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    url = reverse("compacts:milestone_done", kwargs={"pk": milestone.pk})
    form = editor_client.get(url)
    editor_client.post(
        url, {"completed_on": TODAY.isoformat(), "evidence_url": "", "version": version_in(form)}
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.evidence_url) == (MilestoneStatus.DONE, "")


@pytest.mark.parametrize("forged", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_a_forged_version_token_is_a_conflict_not_a_server_error(editor_client, compact, forged):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    url = reverse("compacts:milestone_done", kwargs={"pk": milestone.pk})

    response = editor_client.post(url, {"completed_on": TODAY.isoformat(), "version": forged})

    assert response.status_code == 409
    milestone.refresh_from_db()
    assert milestone.status != MilestoneStatus.DONE


def test_an_editor_records_a_leadership_change_and_sees_it_on_the_compact_page(
    editor_client, compact
):
    signatory = SignatoryFactory(compact=compact)
    term = signatory.leadership_term
    url = reverse("compacts:leadership_change")
    form = editor_client.get(
        f"{url}?organization={term.organization_id}&role={term.role}&next={page_url(compact)}"
    )
    assert form.context["form"].initial["organization"].pk == term.organization_id
    assert str(term.person) in text(form)  # who is in post now
    response = editor_client.post(
        url,
        {
            "organization": term.organization_id,
            "role": term.role,
            "last_day": "2015-06-30",
            "end_reason": EndReason.DISMISSED,
            "successor_name": "Rosa New",
            "successor_title": "Interim superintendent",
            "successor_first_day": "2015-07-01",
            "next": page_url(compact),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url(compact)
    [message] = messages_of(response)
    assert "Rosa New took over on 1 Jul 2015" in message
    assert f"Compacts that lost a signatory still in post: {compact.title}." in message
    body = text(response)
    assert "Left on 30 Jun 2015 (dismissed)" in body
    assert "Rosa New" in body and "since 1 Jul 2015" in body


def test_an_editor_logs_an_activity_with_attendance(editor_client, compact):
    commitment = CommitmentFactory(compact=compact, title="Joint PD")
    response = editor_client.post(
        reverse("compacts:activity_create", kwargs={"parent_id": compact.pk}),
        {
            "kind": ActivityKind.JOINT_PD,
            "occurred_on": "2015-03-04",
            "title": "Literacy PD day",
            "commitment": commitment.pk,
            "district_attendees": "41",
            "charter_attendees": "27",
            "notes": "",
        },
        follow=True,
    )
    activity = Activity.objects.get(title="Literacy PD day")
    assert (activity.commitment, activity.district_attendees, activity.charter_attendees) == (
        commitment,
        41,
        27,
    )
    row = text(response).split(f'id="activity-{activity.pk}"')[1].split("</tr>")[0]
    assert ">41<" in row and ">27<" in row and "Joint PD" in row


# --- an activity saved opens the compact page at the activity log (phone review) ---


def activity_data(**overrides) -> dict:
    data = {
        "kind": ActivityKind.JOINT_PD,
        "occurred_on": "2015-03-04",
        "title": "Literacy PD day",
        "commitment": "",
        "district_attendees": "4",
        "charter_attendees": "2",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("with_next", [True, False])
def test_a_logged_activity_returns_to_the_activity_log(editor_client, compact, with_next):
    url = reverse("compacts:activity_create", kwargs={"parent_id": compact.pk})
    query = f"?next={page_url(compact)}" if with_next else ""
    response = editor_client.post(url + query, activity_data())
    assert response.status_code == 302
    assert response.url == f"{page_url(compact)}#activities"
    page = text(editor_client.get(page_url(compact)))
    activity = Activity.objects.get(title="Literacy PD day")
    # The anchor names the section that lists the new entry.
    log = page.split('<section id="activities"', 1)[1].split("</section>", 1)[0]
    assert f'id="activity-{activity.pk}"' in log


def test_an_activity_saved_from_elsewhere_returns_to_its_next(editor_client, compact):
    url = reverse("compacts:activity_create", kwargs={"parent_id": compact.pk})
    elsewhere = f"/activities/?compact={compact.pk}"
    response = editor_client.post(url, {**activity_data(), "next": elsewhere})
    assert response.url == elsewhere
    # A next that already names a place on the compact page keeps it.
    response = editor_client.post(
        url, {**activity_data(title="Second"), "next": f"{page_url(compact)}#summary"}
    )
    assert response.url == f"{page_url(compact)}#summary"


def test_an_edited_activity_returns_to_the_activity_log(editor_client, compact):
    activity = ActivityFactory(compact=compact)
    url = reverse("compacts:activity_edit", kwargs={"pk": activity.pk})
    response = editor_client.post(
        f"{url}?next={page_url(compact)}",
        {**activity_data(), "version": version_in(editor_client.get(url))},
    )
    assert response.status_code == 302
    assert response.url == f"{page_url(compact)}#activities"


def test_other_records_still_return_to_the_top_of_the_compact_page(editor_client, compact):
    response = editor_client.post(
        reverse("compacts:commitment_create", kwargs={"parent_id": compact.pk}),
        {
            "category": Category.FAC,
            "title": "Share unused buildings",
            "description": "",
            "responsible_party": ResponsibleParty.DISTRICT,
            "target_on": "2016-08-01",
            "status": CommitmentStatus.IN_PROGRESS,
            "achieved_on": "",
            "next": page_url(compact),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == page_url(compact)


def test_a_new_activity_s_date_starts_at_today(editor_client, compact):
    response = editor_client.get(
        reverse("compacts:activity_create", kwargs={"parent_id": compact.pk})
    )
    today = timezone.localdate()
    assert response.context["form"]["occurred_on"].value() == today
    assert f'name="occurred_on" value="{today.isoformat()}"' in text(response)
    # An existing activity keeps its own date.
    activity = ActivityFactory(compact=compact, occurred_on=datetime.date(2015, 3, 1))
    edit = editor_client.get(reverse("compacts:activity_edit", kwargs={"pk": activity.pk}))
    assert edit.context["form"]["occurred_on"].value() == datetime.date(2015, 3, 1)


# --- the other forms' happy paths ---


def test_an_editor_creates_a_compact_in_a_city_they_edit(editor_client, city_x):
    url = reverse("compacts:compact_create")
    assert editor_client.get(f"{url}?city={city_x.slug}").context["form"].initial["city"] == city_x
    response = editor_client.post(
        url,
        {
            "city": city_x.pk,
            "title": "Second Compact",
            "signed_on": "2016-05-01",
            "signed_on_precision": DatePrecision.MONTH,
            "cohort": "",
            "status": "active",
            "ended_on": "",
            "document_url": "",
            "summary": "",
        },
    )
    compact = city_x.compacts.get(title="Second Compact")
    assert response["Location"] == page_url(compact)


def test_an_editor_edits_a_compact(editor_client, compact):
    url = reverse("compacts:compact_edit", kwargs={"pk": compact.pk})
    form = editor_client.get(url)
    data = {
        "title": "Renamed Compact",
        "signed_on": "2012-01-15",
        "signed_on_precision": "day",
        "cohort": "2011-12",
        "status": "renewed",
        "ended_on": "",
        "document_url": "example.org/doc.pdf",
        "summary": "",
        "version": version_in(form),
    }
    response = editor_client.post(url, data)
    compact.refresh_from_db()
    assert (compact.title, compact.status, compact.document_url) == (
        "Renamed Compact",
        "renewed",
        "https://example.org/doc.pdf",
    )
    assert response["Location"] == page_url(compact)


def test_an_editor_adds_edits_and_removes_a_signatory(editor_client, compact):
    term = LeadershipTermFactory(
        organization=DistrictFactory(city=compact.city), started_on=datetime.date(2011, 1, 1)
    )
    editor_client.post(
        reverse("compacts:signatory_create", kwargs={"parent_id": compact.pk}),
        {"leadership_term": term.pk},
    )
    signatory = Signatory.objects.get(compact=compact)
    other = LeadershipTermFactory(
        organization=DistrictFactory(city=compact.city), started_on=datetime.date(2011, 1, 1)
    )
    edit_url = reverse("compacts:signatory_edit", kwargs={"pk": signatory.pk})
    editor_client.post(
        edit_url, {"leadership_term": other.pk, "version": version_in(editor_client.get(edit_url))}
    )
    signatory.refresh_from_db()
    assert signatory.leadership_term == other
    editor_client.post(reverse("compacts:signatory_delete", kwargs={"pk": signatory.pk}))
    assert not Signatory.objects.exists()


def test_an_editor_adds_and_edits_a_participant(editor_client, compact):
    school = CharterSchoolFactory(city=compact.city)
    editor_client.post(
        reverse("compacts:participant_create", kwargs={"parent_id": compact.pk}),
        {"organization": school.pk, "joined_on": "2012-01-15", "left_on": ""},
    )
    participant = Participant.objects.get(compact=compact)
    url = reverse("compacts:participant_edit", kwargs={"pk": participant.pk})
    editor_client.post(
        url,
        {
            "organization": school.pk,
            "joined_on": "2012-01-15",
            "left_on": "2014-06-30",
            "version": version_in(editor_client.get(url)),
        },
    )
    participant.refresh_from_db()
    assert participant.left_on == datetime.date(2014, 6, 30)


def test_an_editor_adds_and_edits_a_milestone(editor_client, compact):
    commitment = CommitmentFactory(compact=compact)
    editor_client.post(
        reverse("compacts:milestone_create", kwargs={"parent_id": commitment.pk}),
        {"title": "Board vote", "due_on": "2016-01-31", "status": "planned"},
    )
    milestone = Milestone.objects.get(commitment=commitment)
    url = reverse("compacts:milestone_edit", kwargs={"pk": milestone.pk})
    editor_client.post(
        url,
        {
            "title": "Board vote",
            "due_on": "2016-01-31",
            "status": "missed",
            "completed_on": "",
            "evidence_url": "",
            "notes": "Postponed twice.",
            "version": version_in(editor_client.get(url)),
        },
    )
    milestone.refresh_from_db()
    assert (milestone.status, milestone.notes) == ("missed", "Postponed twice.")


def test_an_editor_records_and_edits_a_grant(editor_client, compact):
    funder = FunderFactory(name="Gates Foundation")
    editor_client.post(
        reverse("compacts:grant_create", kwargs={"parent_id": compact.pk}),
        {"funder": funder.pk, "amount": "100000", "awarded_on": "2012-12-05", "months": "24"},
    )
    grant = Grant.objects.get(compact=compact)
    url = reverse("compacts:grant_edit", kwargs={"pk": grant.pk})
    editor_client.post(
        url,
        {
            "funder": funder.pk,
            "amount": "150000.50",
            "awarded_on": "2012-12-05",
            "months": "24",
            "purpose": "Planning",
            "version": version_in(editor_client.get(url)),
        },
    )
    grant.refresh_from_db()
    assert grant.amount == Decimal("150000.50")
    assert "$150,000" in text(editor_client.get(page_url(compact)))


def test_an_editor_edits_an_activity(editor_client, compact):
    activity = ActivityFactory(compact=compact)
    url = reverse("compacts:activity_edit", kwargs={"pk": activity.pk})
    editor_client.post(
        url,
        {
            "kind": "working_group",
            "occurred_on": "2015-03-01",
            "title": "Facilities working group",
            "commitment": "",
            "district_attendees": "5",
            "charter_attendees": "0",
            "notes": "",
            "version": version_in(editor_client.get(url)),
        },
    )
    activity.refresh_from_db()
    assert (activity.kind, activity.charter_attendees) == ("working_group", 0)


# --- viewers and outsiders ---


FORM_ROUTES = [route for route in RECORD_ROUTES if route.access in (CITY_CHANGE, EDITOR_ANYWHERE)]


@pytest.mark.parametrize("route", FORM_ROUTES, ids=lambda route: route.name)
def test_a_viewer_gets_403_on_every_form_and_nothing_is_written(
    viewer_client, city_x, city_y, route
):
    world = build_world(city_x, city_y)
    url = reverse(route.name, kwargs=route.kwargs(world.x))
    counts = [model.objects.count() for model in (Commitment, Milestone, Activity, Signatory)]
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url, {"title": "x", "version": "x"}).status_code == 403
    assert [m.objects.count() for m in (Commitment, Milestone, Activity, Signatory)] == counts


@pytest.mark.parametrize("route", [r for r in FORM_ROUTES if r.access == CITY_CHANGE], ids=str)
def test_an_outsider_gets_404_on_every_form_of_another_city(outsider_client, city_x, city_y, route):
    world = build_world(city_x, city_y)
    url = reverse(route.name, kwargs=route.kwargs(world.x))
    assert outsider_client.post(url, {}).status_code == 404


# --- bad input: a message next to the field, the input kept, nothing written ---


def commitment_data(**overrides) -> dict:
    data = {
        "category": Category.ENR,
        "title": "Kept title",
        "description": "",
        "responsible_party": ResponsibleParty.SHARED,
        "target_on": "",
        "status": CommitmentStatus.IN_PROGRESS,
        "achieved_on": "",
    }
    data.update(overrides)
    return data


def assert_field_error(response, field: str, kept: str | None = None, message: str = ""):
    assert response.status_code == 200
    body = text(response)
    assert f'id="id_{field}_error"' in body, f"no error next to {field}"
    tag = re.search(rf'<(input|select|textarea)[^>]*name="{field}"[^>]*>', body)
    assert tag and "is-invalid" in tag.group(0)
    assert 'aria-invalid="true"' in tag.group(0)
    if kept is not None:
        assert kept in body
    if message:
        assert message in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"target_on": "2016-13-45"}, "target_on", "Enter a valid date."),
        ({"status": "achieved"}, "achieved_on", "Give the date the commitment was achieved."),
        ({"achieved_on": "2014-01-01"}, "achieved_on", "Only an achieved commitment"),
        (
            {"status": "achieved", "achieved_on": TOMORROW.isoformat()},
            "achieved_on",
            "in the future",
        ),
        ({"category": "NOPE"}, "category", "Select a valid choice."),
        ({"title": ""}, "title", "This field is required."),
    ],
    ids=["bad-date", "achieved-without-date", "date-not-achieved", "future", "category", "title"],
)
def test_a_bad_commitment_keeps_the_input_and_shows_the_message_by_the_field(
    editor_client, compact, overrides, field, message
):
    data = commitment_data(**overrides)
    response = editor_client.post(
        reverse("compacts:commitment_create", kwargs={"parent_id": compact.pk}), data
    )
    assert_field_error(response, field, message=message)
    if data["title"]:
        assert 'value="Kept title"' in text(response)
    assert not Commitment.objects.exists()


def test_a_commitment_cannot_opt_in_a_participant_of_another_compact(editor_client, compact):
    stranger = ParticipantFactory(compact=CompactFactory(city=compact.city))
    response = editor_client.post(
        reverse("compacts:commitment_create", kwargs={"parent_id": compact.pk}),
        commitment_data(participants=[stranger.pk]),
    )
    assert "Select a valid choice" in text(response)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"completed_on": TOMORROW.isoformat(), "evidence_url": "https://e.org/x"},
            "completed_on",
            "in the future",
        ),
        (
            {"completed_on": "31/02/2015", "evidence_url": "https://e.org/x"},
            "completed_on",
            "valid date",
        ),
        ({"completed_on": "2015-01-01", "evidence_url": "not a url"}, "evidence_url", "valid URL"),
        ({"completed_on": "", "evidence_url": "https://e.org/x"}, "completed_on", "required"),
    ],
    ids=["future", "bad-date", "bad-url", "no-date"],
)
def test_marking_done_with_bad_input_keeps_it_and_writes_nothing(
    editor_client, compact, data, field, message
):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    url = reverse("compacts:milestone_done", kwargs={"pk": milestone.pk})
    data = {**data, "version": version_in(editor_client.get(url))}
    response = editor_client.post(url, data)
    assert_field_error(response, field, message=message)
    assert f'value="{html.escape(data["evidence_url"])}"' in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PLANNED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"district_attendees": "-3"}, "district_attendees"),
        ({"charter_attendees": "many"}, "charter_attendees"),
        ({"occurred_on": TOMORROW.isoformat()}, "occurred_on"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_a_bad_activity_keeps_the_input(editor_client, compact, overrides, field):
    data = {
        "kind": "meeting",
        "occurred_on": "2015-03-01",
        "title": "Steering",
        "district_attendees": "4",
        "charter_attendees": "3",
        **overrides,
    }
    response = editor_client.post(
        reverse("compacts:activity_create", kwargs={"parent_id": compact.pk}), data
    )
    assert_field_error(
        response, field, kept=f'value="{data[field]}"' if field.endswith("s") else None
    )
    assert not Activity.objects.exists()


def test_an_activity_cannot_serve_a_commitment_of_another_compact(editor_client, compact):
    other = CommitmentFactory(compact=CompactFactory(city=compact.city))
    response = editor_client.post(
        reverse("compacts:activity_create", kwargs={"parent_id": compact.pk}),
        {
            "kind": "meeting",
            "occurred_on": "2015-03-01",
            "title": "Steering",
            "commitment": other.pk,
            "district_attendees": "1",
            "charter_attendees": "1",
        },
    )
    assert_field_error(response, "commitment", message="Select a valid choice")


def test_a_participant_of_another_city_is_refused(editor_client, compact, city_y):
    response = editor_client.post(
        reverse("compacts:participant_create", kwargs={"parent_id": compact.pk}),
        {"organization": DistrictFactory(city=city_y).pk, "joined_on": "2012-01-15"},
    )
    assert_field_error(response, "organization", message="Select a valid choice")


def test_a_participant_cannot_leave_before_joining(editor_client, compact):
    district = DistrictFactory(city=compact.city)
    response = editor_client.post(
        reverse("compacts:participant_create", kwargs={"parent_id": compact.pk}),
        {"organization": district.pk, "joined_on": "2012-01-15", "left_on": "2011-01-01"},
    )
    assert_field_error(response, "left_on", kept='value="2011-01-01"')


def test_a_signatory_must_hold_a_seat_in_the_compacts_city_on_the_signing_date(
    editor_client, compact, city_y
):
    url = reverse("compacts:signatory_create", kwargs={"parent_id": compact.pk})
    elsewhere = LeadershipTermFactory(organization=DistrictFactory(city=city_y))
    assert_field_error(
        editor_client.post(url, {"leadership_term": elsewhere.pk}), "leadership_term"
    )
    too_late = LeadershipTermFactory(
        organization=DistrictFactory(city=compact.city), started_on=datetime.date(2013, 1, 1)
    )
    response = editor_client.post(url, {"leadership_term": too_late.pk})
    assert_field_error(response, "leadership_term", message="was not in this seat")
    assert not Signatory.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"amount": "-1"}, "amount"), ({"amount": "lots"}, "amount"), ({"months": "-2"}, "months")],
)
def test_a_bad_grant_is_refused(editor_client, compact, overrides, field):
    data = {"funder": FunderFactory().pk, "amount": "100", "awarded_on": "2012-12-05", **overrides}
    response = editor_client.post(
        reverse("compacts:grant_create", kwargs={"parent_id": compact.pk}), data
    )
    assert_field_error(response, field)


def test_a_compact_cannot_be_created_in_a_city_the_user_does_not_edit(editor_client, city_y):
    response = editor_client.post(
        reverse("compacts:compact_create"),
        {
            "city": city_y.pk,
            "title": "Elsewhere",
            "signed_on": "2016-01-01",
            "signed_on_precision": "day",
            "status": "active",
        },
    )
    assert_field_error(response, "city", message="Select a valid choice")
    assert not city_y.compacts.filter(title="Elsewhere").exists()


def test_a_compact_cannot_end_before_it_was_signed(editor_client, city_x):
    response = editor_client.post(
        reverse("compacts:compact_create"),
        {
            "city": city_x.pk,
            "title": "Backwards",
            "signed_on": "2016-01-01",
            "signed_on_precision": "day",
            "status": "active",
            "ended_on": "2015-01-01",
        },
    )
    assert_field_error(response, "ended_on", kept='value="Backwards"')


@pytest.fixture
def seat(compact):
    return SignatoryFactory(compact=compact).leadership_term


def leadership_data(term, **overrides) -> dict:
    data = {
        "organization": term.organization_id,
        "role": term.role,
        "last_day": "2015-06-30",
        "end_reason": EndReason.RETIRED,
        "successor_name": "Kept Name",
        "successor_first_day": "2015-07-01",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"last_day": "2009-01-01"}, "last_day", "the last day cannot be before that"),
        ({"successor_first_day": "2009-01-01"}, "successor_first_day", "cannot start before"),
        ({"last_day": "2015-02-30"}, "last_day", "valid date"),
        ({"role": LeadershipRole.MAYOR}, "role", "Nobody is recorded in post"),
        ({"end_reason": ""}, "end_reason", "Say why"),
        ({"last_day": ""}, "last_day", "is in post: give their last day"),
    ],
)
def test_an_impossible_leadership_change_keeps_the_input_and_writes_nothing(
    editor_client, seat, overrides, field, message
):
    response = editor_client.post(
        reverse("compacts:leadership_change"), leadership_data(seat, **overrides)
    )
    assert_field_error(response, field, kept='value="Kept Name"', message=message)
    seat.refresh_from_db()
    assert seat.ended_on is None
    assert LeadershipTerm.objects.count() == 1


def test_a_leadership_change_cannot_pick_an_organization_of_another_city(
    editor_client, seat, city_y
):
    elsewhere = LeadershipTermFactory(organization=DistrictFactory(city=city_y))
    response = editor_client.post(
        reverse("compacts:leadership_change"),
        leadership_data(seat, organization=elsewhere.organization_id),
    )
    assert_field_error(response, "organization", message="Select a valid choice")
    elsewhere.refresh_from_db()
    assert elsewhere.ended_on is None


def test_the_leadership_change_ignores_a_prefilled_organization_the_user_cannot_edit(
    editor_client, city_y
):
    elsewhere = DistrictFactory(city=city_y)
    response = editor_client.get(
        f"{reverse('compacts:leadership_change')}?organization={elsewhere.pk}&role=mayor"
    )
    assert response.status_code == 200
    assert "organization" not in response.context["form"].initial
    assert elsewhere.name not in text(response)


def test_the_leadership_change_says_when_the_prefilled_seat_is_vacant(editor_client, compact):
    term = SignatoryFactory(compact=compact).leadership_term
    term.ended_on, term.end_reason = datetime.date(2018, 10, 1), EndReason.STEPPED_DOWN
    term.save()
    response = editor_client.get(
        f"{reverse('compacts:leadership_change')}?organization={term.organization_id}"
        f"&role={term.role}"
    )
    assert f"Nobody is recorded in post as superintendent of {term.organization.name}" in text(
        response
    )


def test_an_editor_records_a_leader_at_a_vacant_seat_and_is_told_it_was_vacant(
    editor, editor_client, seat
):
    seat.ended_on, seat.end_reason = datetime.date(2014, 6, 30), EndReason.RETIRED
    seat.save()
    response = editor_client.post(
        reverse("compacts:leadership_change"),
        leadership_data(seat, last_day="", end_reason="", successor_first_day="2016-08-01"),
        follow=True,
    )
    [message] = messages_of(response)
    assert message == (
        f"The seat was vacant: nobody was recorded in post as superintendent of "
        f"{seat.organization.name}, so no term was closed. Kept Name is recorded in the seat "
        "from 1 Aug 2016. A new person record was created for Kept Name."
    )
    new = LeadershipTerm.objects.get(person__full_name="Kept Name")
    assert (new.organization_id, new.started_on, new.ended_on) == (
        seat.organization_id,
        datetime.date(2016, 8, 1),
        None,
    )
    assert new.history.get().history_user == editor
    seat.refresh_from_db()
    assert seat.ended_on == datetime.date(2014, 6, 30)


def test_a_leader_at_a_vacant_seat_cannot_start_before_the_last_one_left(editor_client, seat):
    seat.ended_on, seat.end_reason = datetime.date(2014, 6, 30), EndReason.RETIRED
    seat.save()
    response = editor_client.post(
        reverse("compacts:leadership_change"),
        leadership_data(seat, last_day="", end_reason="", successor_first_day="2014-01-01"),
    )
    assert_field_error(
        response, "successor_first_day", kept='value="Kept Name"', message="held this seat until"
    )
    assert LeadershipTerm.objects.count() == 1


@pytest.fixture
def network_seat(compact):
    """The CEO seat of a network (no city) taking part in the editor's compact."""
    network = CharterNetworkFactory(name="Xville Prep Network")
    ParticipantFactory(compact=compact, organization=network)
    return LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person=PersonFactory(full_name="Net Leaving"),
    )


def test_an_editor_records_a_ceo_change_at_a_network_taking_part_in_their_compact(
    editor_client, network_seat
):
    url = reverse("compacts:leadership_change")
    form = editor_client.get(
        f"{url}?organization={network_seat.organization_id}&role={network_seat.role}"
    )
    assert form.context["form"].initial["organization"].pk == network_seat.organization_id
    assert "Xville Prep Network (Charter network)" in text(form)
    assert "Net Leaving" in text(form)  # who is in post now
    response = editor_client.post(url, leadership_data(network_seat), follow=True)
    [message] = messages_of(response)
    assert message.startswith("Leadership change recorded: Net Leaving left as network CEO")
    network_seat.refresh_from_db()
    assert network_seat.ended_on == datetime.date(2015, 6, 30)
    assert LeadershipTerm.objects.get(person__full_name="Kept Name").is_open


def test_a_network_taking_part_only_in_another_city_s_compact_cannot_be_chosen(
    editor_client, network_seat, compact, city_y
):
    compact.participants.all().delete()
    ParticipantFactory(compact=CompactFactory(city=city_y), organization=network_seat.organization)
    response = editor_client.post(
        reverse("compacts:leadership_change"), leadership_data(network_seat)
    )
    assert_field_error(response, "organization", message="Select a valid choice")
    network_seat.refresh_from_db()
    assert network_seat.ended_on is None
    assert "Xville Prep Network" not in text(
        editor_client.get(reverse("compacts:leadership_change"))
    )


# --- safe next ---


def test_a_form_returns_to_a_local_next(editor_client, compact):
    commitment = CommitmentFactory(compact=compact)
    url = reverse("compacts:commitment_edit", kwargs={"pk": commitment.pk})
    next_url = f"/commitments/?compact={compact.pk}"
    data = commitment_data(title="Renamed", version=version_in(editor_client.get(url)))
    response = editor_client.post(f"{url}?next={next_url}", data)
    assert response["Location"] == next_url


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_a_form_ignores_a_next_that_leaves_the_site(editor_client, compact, next_url):
    response = editor_client.post(
        reverse("compacts:commitment_create", kwargs={"parent_id": compact.pk}),
        commitment_data(next=next_url),
    )
    assert response["Location"] == page_url(compact)


# --- concurrent edits ---


def test_a_stale_save_writes_nothing_and_shows_the_conflict(editor_client, viewer, compact):
    commitment = CommitmentFactory(compact=compact, title="Original", status="in_progress")
    url = reverse("compacts:commitment_edit", kwargs={"pk": commitment.pk})
    loaded = version_in(editor_client.get(url))
    services.commitment_update(
        commitment=commitment, data={"status": CommitmentStatus.STALLED}, actor=viewer
    )
    rows = commitment.history.count()

    response = editor_client.post(url, commitment_data(title="Mine", version=loaded))

    assert response.status_code == 409
    commitment.refresh_from_db()
    assert (commitment.title, commitment.status) == ("Original", CommitmentStatus.STALLED)
    assert commitment.history.count() == rows
    body = text(response)
    assert "Someone else saved this commitment" in body
    assert viewer.get_full_name() in body
    assert 'value="Mine"' in body  # the user's input is kept
    assert "Changed meanwhile to: <strong>Stalled</strong>" in body
    # The title changed only in the user's input: nothing to compare it with.
    assert "Changed meanwhile to: <strong>Original</strong>" not in body
    assert version_in(response) == version_token(commitment)


def test_saving_again_after_a_conflict_merges(editor_client, viewer, compact):
    commitment = CommitmentFactory(compact=compact, title="Original")
    url = reverse("compacts:commitment_edit", kwargs={"pk": commitment.pk})
    loaded = version_in(editor_client.get(url))
    services.commitment_update(
        commitment=commitment, data={"status": CommitmentStatus.STALLED}, actor=viewer
    )
    conflict = editor_client.post(url, commitment_data(title="Mine", version=loaded))
    merged = commitment_data(title="Mine", status="stalled", version=version_in(conflict))
    response = editor_client.post(url, merged)
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.title, commitment.status) == ("Mine", CommitmentStatus.STALLED)


def test_two_tabs_of_the_same_user_cannot_overwrite_each_other(editor_client, compact):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact), title="Step")
    url = reverse("compacts:milestone_edit", kwargs={"pk": milestone.pk})
    first_tab = version_in(editor_client.get(url))
    second_tab = version_in(editor_client.get(url))
    data = {"title": "Step", "due_on": "2030-01-01", "status": "planned"}
    assert (
        editor_client.post(url, {**data, "notes": "tab 1", "version": first_tab}).status_code == 302
    )
    response = editor_client.post(url, {**data, "notes": "tab 2", "version": second_tab})
    assert response.status_code == 409
    milestone.refresh_from_db()
    assert milestone.notes == "tab 1"
    assert "Changed meanwhile to: <strong>tab 1</strong>" in text(response)


def test_mark_done_on_a_milestone_changed_meanwhile_is_refused(editor_client, editor, compact):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    url = reverse("compacts:milestone_done", kwargs={"pk": milestone.pk})
    loaded = version_in(editor_client.get(url))
    services.milestone_update(milestone=milestone, data={"status": "deferred"}, actor=editor)
    response = editor_client.post(
        url, {"completed_on": "2015-01-01", "evidence_url": "https://e.org/x", "version": loaded}
    )
    assert response.status_code == 409
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DEFERRED


def test_an_edit_form_without_its_version_is_refused(editor_client, compact):
    commitment = CommitmentFactory(compact=compact, title="Original")
    response = editor_client.post(
        reverse("compacts:commitment_edit", kwargs={"pk": commitment.pk}),
        commitment_data(title="Mine"),
    )
    assert response.status_code == 200
    assert "lost track of the record's version" in text(response)
    commitment.refresh_from_db()
    assert commitment.title == "Original"


def test_an_edit_of_a_record_deleted_meanwhile_says_so(editor_client, compact, monkeypatch):
    grant = GrantFactory(compact=compact)
    url = reverse("compacts:grant_edit", kwargs={"pk": grant.pk})
    loaded = version_in(editor_client.get(url))
    real_lock = services.lock_current

    def deleted_just_before_the_lock(record, expected_version):
        # Another user deletes the grant between the view reading it and the service's lock.
        Grant.objects.filter(pk=record.pk).delete()
        return real_lock(record, expected_version)

    monkeypatch.setattr(services, "lock_current", deleted_just_before_the_lock)
    data = {"funder": grant.funder_id, "amount": "5", "awarded_on": "2014-01-29", "version": loaded}
    response = editor_client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == page_url(compact)
    assert "was deleted while you were editing it; nothing was saved" in messages_of(response)[0]
    # (The simulated delete ran inside the refused transaction, so it was rolled back with it.)
    assert not Grant.objects.filter(amount=Decimal("5")).exists()


# --- deletes ---


def test_the_delete_confirmation_says_what_else_would_go(editor_client, compact):
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory.create_batch(3, commitment=commitment)
    ActivityFactory(compact=compact, commitment=commitment)
    response = editor_client.get(
        reverse("compacts:commitment_delete", kwargs={"pk": commitment.pk})
    )
    body = text(response)
    assert "This also deletes 3 milestones." in body
    assert "lose their link to it: 1 activity" in body
    assert Milestone.objects.count() == 3


def test_a_confirmed_delete_removes_the_record_and_returns_to_the_compact(
    editor_client, editor, compact
):
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory(commitment=commitment)
    response = editor_client.post(
        reverse("compacts:commitment_delete", kwargs={"pk": commitment.pk}), follow=True
    )
    assert response.redirect_chain[-1][0] == page_url(compact)
    assert f"Commitment “{commitment.title}” deleted." in messages_of(response)
    assert not Milestone.objects.exists()
    assert (
        Commitment.history.filter(id=commitment.pk, history_type="-").get().history_user == editor
    )


def test_deleting_a_compact_does_not_return_to_its_own_page(editor_client, compact):
    response = editor_client.post(
        reverse("compacts:compact_delete", kwargs={"pk": compact.pk}),
        {"next": page_url(compact)},
    )
    assert response["Location"] == f"/cities/{compact.city.slug}/"


# --- free text has a length limit (hostile review: notes took up to the 17 MB body limit) ---


def test_notes_over_the_limit_are_refused_next_to_the_field_and_kept(editor_client, compact):
    from compacts.models import LONG_TEXT_MAX

    url = reverse("compacts:activity_create", kwargs={"parent_id": compact.pk})
    too_long = "minutes " * (LONG_TEXT_MAX // 8) + "and more"

    refused = editor_client.post(url, activity_data(notes=too_long))
    kept = editor_client.post(url, activity_data(notes="minutes " * (LONG_TEXT_MAX // 8)))

    assert refused.status_code == 200
    assert not Activity.objects.filter(notes=too_long).exists()
    form = refused.context["form"]
    assert "at most 20000 characters" in " ".join(form.errors["notes"])
    assert form["notes"].value() == too_long
    # No maxlength: a browser would cut a paste at it without a word (phone review).
    notes_box = refused.content.decode().split('name="notes"')[0].rsplit("<textarea", 1)[1]
    assert "maxlength" not in notes_box
    assert "Up to 20,000 characters." in refused.content.decode()
    assert kept.status_code == 302


def test_a_line_break_counts_once_as_the_person_typing_sees_it(editor_client, compact):
    from compacts.models import LONG_TEXT_MAX

    url = reverse("compacts:activity_create", kwargs={"parent_id": compact.pk})
    lines = ["x" * 9] * (LONG_TEXT_MAX // 10)  # 20,000 characters with LF, 21,999 with CRLF

    response = editor_client.post(
        url, activity_data(title="Long minutes", notes="\r\n".join(lines))
    )

    assert response.status_code == 302
    assert Activity.objects.get(title="Long minutes").notes == "\n".join(lines)


def test_every_write_path_refuses_free_text_over_the_limit(compact, editor):
    from django.core.exceptions import ValidationError

    from compacts.models import LONG_TEXT_MAX

    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            compact=compact,
            category="ENR",
            title="Enrollment",
            description="x" * (LONG_TEXT_MAX + 1),
            actor=editor,
        )
    assert "description" in error.value.error_dict


# --- after a save (phone review) ---


def test_marking_done_returns_to_the_milestone(editor_client, compact):
    milestone = MilestoneFactory(commitment=CommitmentFactory(compact=compact), title="Vote")
    url = reverse("compacts:milestone_done", kwargs={"pk": milestone.pk})
    data = {"completed_on": TODAY.isoformat(), "version": version_in(editor_client.get(url))}

    response = editor_client.post(url, data)

    assert response["Location"] == page_url(compact) + f"#milestone-{milestone.pk}"


def test_a_save_that_changes_nothing_says_so(editor_client, compact):
    commitment = CommitmentFactory(compact=compact, title="Shared buildings")
    url = reverse("compacts:commitment_edit", kwargs={"pk": commitment.pk})
    form = editor_client.get(url)
    unchanged = {
        bound.name: bound.value()
        for bound in form.context["form"]
        if bound.value() not in (None, [])
    }
    response = editor_client.post(url, unchanged, follow=True)

    assert messages_of(response) == ["Nothing changed: commitment “Shared buildings” is as it was."]
    assert commitment.history.count() == 1
