import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compacts.models import Milestone
from core.concurrency import version_token
from reminders.models import Preferences
from reminders.selectors import CHANGE_PATHS
from tests.accounts.factories import UserFactory
from tests.compacts.factories import MilestoneFactory
from tests.conftest import _client_for
from tests.reminders.conftest import build_work

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_work_of_the_viewers_city_and_nothing_of_another(
    viewer_client, work_x, work_y
):
    page = _page(viewer_client)
    for title in ("Xwork overdue report", "Xwork due plan", "Xwork stale facilities"):
        assert title in page
    assert "Xwork Signer" in page
    assert "Xwork finished" not in page
    assert "Secretwork" not in page
    assert "Yton" not in page


def test_the_outsider_sees_only_their_own_city(outsider_client, work_x, work_y):
    page = _page(outsider_client)
    assert "Secretwork overdue report" in page
    assert "Xwork" not in page
    assert "Xville" not in page


def test_the_one_step_actions_are_offered_to_editors_only(editor_client, viewer_client, work_x):
    done_url = reverse("compacts:milestone_done", args=[work_x.overdue.pk])
    seat_url = reverse("compacts:leadership_change")
    assert done_url in _page(editor_client)
    assert seat_url in _page(editor_client)
    assert reverse("compacts:commitment_edit", args=[work_x.stale.pk]) in _page(editor_client)
    viewer_page = _page(viewer_client)
    assert done_url not in viewer_page
    assert seat_url not in viewer_page


def test_the_actions_come_back_to_my_work(editor_client, work_x):
    page = _page(editor_client)
    assert f'{reverse("compacts:milestone_done", args=[work_x.overdue.pk])}?next=/"' in page
    assert f'{reverse("compacts:commitment_edit", args=[work_x.stale.pk])}?next=/"' in page

    response = editor_client.post(
        reverse("compacts:milestone_done", args=[work_x.overdue.pk]) + "?next=/",
        {
            "completed_on": work_x.overdue.due_on.isoformat(),
            "version": version_token(work_x.overdue),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_each_line_links_to_its_record(viewer_client, work_x):
    page = _page(viewer_client)
    compact_url = reverse("compacts:compact", args=[work_x.compact.pk])
    assert f"{compact_url}#milestone-{work_x.overdue.pk}" in page
    assert f"{compact_url}#commitment-{work_x.stale.pk}" in page


def test_next_due_comes_first(viewer_client, work_x, today):
    MilestoneFactory(
        commitment=work_x.due_soon.commitment, title="Sooner", due_on=today + datetime.timedelta(1)
    )
    page = _page(viewer_client)
    assert page.index("Sooner") < page.index("Xwork due plan")


def test_a_user_without_cities_gets_a_page_that_says_so(db):
    client = _client_for(UserFactory(username="nobody"))
    assert "not a member of any city" in _page(client)


def test_a_superuser_sees_every_city(superuser_client, work_x, work_y):
    page = _page(superuser_client)
    assert "Xwork overdue report" in page and "Secretwork overdue report" in page


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_names_are_escaped(editor_client, work_x, hostile):
    Milestone.objects.filter(pk=work_x.overdue.pk).update(title=hostile)
    work_x.compact.title = hostile
    work_x.compact.save()
    page = _page(editor_client)
    assert hostile not in page
    assert "&lt;" in page


def _history_is_old():
    """The fixture's records were created a day ago, before any visit."""
    for model, _ in CHANGE_PATHS:
        model.history.model.objects.update(history_date=timezone.now() - datetime.timedelta(1))


def _visit_ended_hours_ago(user, hours: int) -> None:
    Preferences.objects.filter(user=user).update(
        last_seen_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_changes_by_others_since_the_last_visit_are_counted_per_city(
    viewer, viewer_client, editor, work_x
):
    _history_is_old()
    _page(viewer_client)  # the first visit
    _visit_ended_hours_ago(viewer, 2)
    milestone = work_x.due_soon
    milestone.notes = "changed by the editor"
    milestone._history_user = editor
    milestone.save()
    page = _page(viewer_client)
    since = Preferences.objects.get(user=viewer).previous_visit_at
    url = reverse("core:city_changes", args=[work_x.compact.city.slug])
    assert f"{url}?changed_after={timezone.localtime(since).date().isoformat()}" in page
    assert "1 change<" in page


def test_ones_own_changes_are_not_news(editor, editor_client, work_x):
    _history_is_old()
    _page(editor_client)
    _visit_ended_hours_ago(editor, 2)
    milestone = work_x.due_soon
    milestone.notes = "my own change"
    milestone._history_user = editor
    milestone.save()
    assert "Nobody else changed anything" in _page(editor_client)


def test_a_reload_within_a_visit_keeps_the_changes_listed(viewer, viewer_client, work_x):
    _page(viewer_client)
    _visit_ended_hours_ago(viewer, 2)
    _page(viewer_client)
    first = Preferences.objects.get(user=viewer).previous_visit_at
    assert first is not None
    _page(viewer_client)
    assert Preferences.objects.get(user=viewer).previous_visit_at == first


def _queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        _page(client)
    return [query["sql"] for query in captured.captured_queries]


def test_my_work_takes_the_same_number_of_queries_whatever_the_data_size(
    editor, editor_client, city_x, work_x
):
    _page(editor_client)
    _visit_ended_hours_ago(editor, 2)
    small = _queries(editor_client)
    for n in range(12):
        build_work(city_x, f"More{n}", timezone.localdate())
    _visit_ended_hours_ago(editor, 2)
    large = _queries(editor_client)
    assert len(large) == len(small), "\n".join(large)
    assert len(small) <= 14, "\n".join(small)


def test_post_is_refused(editor_client):
    assert editor_client.post("/").status_code == 405
