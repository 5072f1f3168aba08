"""The compact page's cached fragment (compacts.page_cache) is current: a write by anyone, a
change the city's writers announce and a new day show at once; a warm page reads only the
compact."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compacts import services
from core.changes import cities_changed
from schools.models import Person
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import LeadershipTermFactory

TODAY = timezone.localdate()


def page_url(compact) -> str:
    return reverse("compacts:compact", kwargs={"pk": compact.pk})


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, title="Xville Compact")


def test_a_change_by_another_user_shows_at_once(editor, viewer_client, compact):
    commitment = CommitmentFactory(compact=compact, title="Old wording")
    milestone = MilestoneFactory(commitment=commitment, title="First step")
    activity = ActivityFactory(compact=compact, title="Kick-off")
    assert "Old wording" in body(viewer_client, page_url(compact))

    services.commitment_update(commitment=commitment, data={"title": "New wording"}, actor=editor)
    html = body(viewer_client, page_url(compact))
    assert "New wording" in html and "Old wording" not in html

    services.milestone_delete(milestone=milestone, actor=editor)
    assert "First step" not in body(viewer_client, page_url(compact))

    services.activity_delete(activity=activity, actor=editor)
    assert "Kick-off" not in body(viewer_client, page_url(compact))


def test_a_city_change_elsewhere_shows_at_once(viewer_client, compact):
    signatory = SignatoryFactory(compact=compact, leadership_term__person__full_name="Ann Old")
    assert "Ann Old" in body(viewer_client, page_url(compact))
    # A rename outside the compact's records moves no version of the page's own...
    Person.objects.filter(pk=signatory.leadership_term.person_id).update(full_name="Ann New")
    # ...the one "city changed" signal the writers send does.
    cities_changed([compact.city_id])
    html = body(viewer_client, page_url(compact))
    assert "Ann New" in html and "Ann Old" not in html


def test_a_new_day_renders_the_page_again(viewer_client, compact, monkeypatch):
    commitment = CommitmentFactory(compact=compact)
    MilestoneFactory(commitment=commitment, due_on=TODAY + datetime.timedelta(days=1))
    assert ">Overdue<" not in body(viewer_client, page_url(compact))
    later = TODAY + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert ">Overdue<" in body(viewer_client, page_url(compact))


def page_reads(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if '"compacts_' in query["sql"]]


def test_a_warm_page_skips_the_queries_of_its_records(editor_client, compact):
    for _ in range(3):
        commitment = CommitmentFactory(compact=compact)
        MilestoneFactory(commitment=commitment)
        SignatoryFactory(compact=compact)
        ParticipantFactory(compact=compact)
        ActivityFactory(compact=compact)
        GrantFactory(compact=compact)
    with CaptureQueriesContext(connection) as cold:
        body(editor_client, page_url(compact))
    with CaptureQueriesContext(connection) as warm:
        body(editor_client, page_url(compact))
    # cold: the compact, signatories, participants, commitments with milestones, activities,
    # grants; warm: the compact (with its records' version) alone.
    assert len(page_reads(cold)) == 6
    assert len(page_reads(warm)) == 1, "\n".join(page_reads(warm))


def test_a_new_holder_of_a_signatory_seat_shows_at_once(viewer_client, compact):
    term = SignatoryFactory(compact=compact).leadership_term
    term.ended_on = TODAY - datetime.timedelta(days=30)
    term.save()
    assert "New Holder" not in body(viewer_client, page_url(compact))
    LeadershipTermFactory(
        organization=term.organization,
        role=term.role,
        person__full_name="New Holder",
        started_on=TODAY - datetime.timedelta(days=1),
    )
    assert "Now in the seat: <strong>New Holder</strong>" in body(viewer_client, page_url(compact))


def test_with_the_dashboard_cache_off_every_request_renders_the_page(
    settings, editor, viewer_client, compact
):
    # The bench's "off" server (DASHBOARD_CACHE_SECONDS=0) must measure the page rendered afresh:
    # a fragment stored while the cache was on is not served, and nothing is stored.
    commitment = CommitmentFactory(compact=compact, title="Old wording")
    MilestoneFactory(commitment=commitment)
    assert "Old wording" in body(viewer_client, page_url(compact))
    settings.DASHBOARD_CACHE_SECONDS = 0
    type(commitment).objects.filter(pk=commitment.pk).update(title="Changed behind its back")
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            html = body(viewer_client, page_url(compact))
        assert "Changed behind its back" in html
        # the compact (without the records' version), signatories, participants, commitments
        # with milestones, activities, grants
        assert len(page_reads(queries)) == 6, "\n".join(page_reads(queries))
        assert "records_version" not in page_reads(queries)[0]


def test_the_fragment_is_kept_as_long_as_the_dashboards_figures(settings, viewer_client, compact):
    settings.DASHBOARD_CACHE_SECONDS = 123
    response = viewer_client.get(page_url(compact))

    assert response.context["fragment_seconds"] == 123


def test_two_compacts_never_share_a_fragment(viewer_client, compact, city_x):
    # Same city, same last write and no records: every other part of the fragment's version is
    # alike, so only the compact's id keeps the second page from being served the first's.
    other = CompactFactory(city=city_x, title="Other Compact")
    type(compact).objects.filter(pk__in=[compact.pk, other.pk]).update(updated_at=timezone.now())
    assert "Xville Compact" in body(viewer_client, page_url(compact))
    html = body(viewer_client, page_url(other))
    assert "Other Compact" in html and "Xville Compact" not in html
