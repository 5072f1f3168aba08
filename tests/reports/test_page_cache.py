"""The report pages' rendered content is cached, keyed by what it shows: the cities' version
tokens, the reader's scope, the day and the sort. A write is visible on the next page load; nothing
personal is ever cached; warm pages take one query."""

import datetime
import time

import pytest
from django.template.backends import jinja2 as jinja2_backend
from django.test import Client
from django.utils import timezone

from accounts.choices import Role
from compacts import services
from compacts.choices import CommitmentStatus, MilestoneStatus
from reports import cache as report_cache
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.reports.builders import commitment, days, live_compact, milestone
from tests.reports.pages import page_metrics, page_text, portfolio_page_rows, read_page

pytestmark = pytest.mark.django_db

CONTENT = {
    "/cities/": "reports/_city_list.html",
    "/reports/": "reports/_portfolio.html",
    "dashboard": "reports/_city_dashboard.html",
}


def rendered(response) -> bool:
    """Whether the page's content was rendered for this response (not read from the cache)."""
    return any(template.name in CONTENT.values() for template in response.templates)


def main(response) -> str:
    """The page's <main> element: the cached content (the header differs by its CSRF token)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def url_of(page, city):
    return f"/cities/{city.slug}/" if page == "dashboard" else page


@pytest.fixture(autouse=True, params=["few cities", "many cities"])
def cities_per_page(request, monkeypatch):
    """Every test holds whether a page reads its cities' tokens at once (few) or checks the
    token that moves with any write first (many)."""
    if request.param == "many cities":
        monkeypatch.setattr(report_cache, "FEW_CITIES", 0)


@pytest.fixture
def compact(city_x):
    return live_compact(city_x, title="Xville Compact")


@pytest.mark.parametrize("page", list(CONTENT))
def test_each_page_renders_its_content_once_and_serves_it_from_the_cache_without_a_query(
    page, viewer_client, city_x, compact, django_assert_num_queries
):
    commitment(compact)
    first = viewer_client.get(url_of(page, city_x))

    # the session, the user, the reader's cities with their role, tokens and content come from
    # the cache
    with django_assert_num_queries(0):
        second = viewer_client.get(url_of(page, city_x))

    assert rendered(first) and not rendered(second)
    assert main(first) == main(second)


def test_a_write_shows_on_the_next_load_of_the_cached_city_cards(viewer_client, city_x, compact):
    c = commitment(compact)
    viewer_client.get("/cities/")
    assert page_metrics(viewer_client.get("/cities/"))["commitment_completion"] == "0.000"

    services.commitment_update(
        commitment=c,
        data={"status": CommitmentStatus.ACHIEVED, "achieved_on": timezone.localdate()},
        actor=None,
    )

    response = viewer_client.get("/cities/")
    assert rendered(response)
    assert page_metrics(response)["commitment_completion"] == "1.000"


def test_a_write_shows_on_the_next_load_of_the_cached_dashboard(viewer_client, city_x, compact):
    today = timezone.localdate()
    late = milestone(commitment(compact), today - days(3))
    url = f"/cities/{city_x.slug}/"
    viewer_client.get(url)
    assert page_metrics(viewer_client.get(url))["overdue_milestones"] == "1"

    services.milestone_update(
        milestone=late, data={"status": MilestoneStatus.DONE, "completed_on": today}, actor=None
    )

    response = viewer_client.get(url)
    assert rendered(response)
    assert page_metrics(response)["overdue_milestones"] == "0"


def test_a_write_shows_on_the_next_load_of_the_cached_portfolio(viewer_client, city_x, compact):
    c = commitment(compact)
    viewer_client.get("/reports/")
    rows = portfolio_page_rows(viewer_client.get("/reports/"))
    assert rows[city_x.slug]["commitment_completion"] == "0.000"

    services.commitment_update(
        commitment=c,
        data={"status": CommitmentStatus.ACHIEVED, "achieved_on": timezone.localdate()},
        actor=None,
    )

    rows = portfolio_page_rows(viewer_client.get("/reports/"))
    assert rows[city_x.slug]["commitment_completion"] == "1.000"


def test_a_write_between_the_portfolios_two_token_reads_is_on_the_page_it_renders(
    viewer_client, city_x, compact, monkeypatch
):
    # The portfolio reads its cities' data keys for the filters, then the page entry with the
    # tokens: a write in between must not leave an entry of the older figures stamped current.
    c = commitment(compact)
    viewer_client.get("/reports/")  # the city's figures, cached under its current token
    real_page = report_cache.page

    def page_after_a_write(*args, **kwargs):
        services.commitment_update(
            commitment=c,
            data={"status": CommitmentStatus.ACHIEVED, "achieved_on": timezone.localdate()},
            actor=None,
        )
        return real_page(*args, **kwargs)

    monkeypatch.setattr(report_cache, "page", page_after_a_write)
    first = viewer_client.get("/reports/?sort=-city")  # no entry yet for this sort
    monkeypatch.setattr(report_cache, "page", real_page)
    second = viewer_client.get("/reports/?sort=-city")

    assert rendered(first) and not rendered(second)
    for response in (first, second):
        assert portfolio_page_rows(response)[city_x.slug]["commitment_completion"] == "1.000"


def test_a_write_in_another_city_leaves_the_cached_dashboard_alone(
    superuser_client, city_x, city_y, compact
):
    url = f"/cities/{city_x.slug}/"
    superuser_client.get(url)

    commitment(live_compact(city_y))

    assert not rendered(superuser_client.get(url))
    assert rendered(superuser_client.get("/cities/"))  # which shows city Y


def test_each_sort_of_the_portfolio_is_cached_apart_and_an_unknown_one_sorts_by_city(
    superuser_client, city_x, city_y
):
    ascending = superuser_client.get("/reports/?sort=city")
    descending = superuser_client.get("/reports/?sort=-city")
    unknown = superuser_client.get("/reports/?sort=nonsense")

    assert read_page(ascending).rows == ["xville", "yton"]
    assert read_page(descending).rows == ["yton", "xville"]
    assert rendered(descending) and not rendered(unknown)
    assert read_page(unknown).rows == ["xville", "yton"]
    assert not rendered(superuser_client.get("/reports/?sort=-city"))


def test_readers_of_other_cities_never_share_a_cached_page(city_x, city_y, compact):
    live_compact(city_y, title="Yton Compact")
    only_x = Client()
    only_x.force_login(MembershipFactory(city=city_x).user)
    both = UserFactory()
    MembershipFactory(user=both, city=city_x)
    MembershipFactory(user=both, city=city_y)
    both_client = Client()
    both_client.force_login(both)

    for page in ("/cities/", "/reports/"):
        assert "Yton" not in page_text(only_x.get(page))
        assert "Yton" in page_text(both_client.get(page))
        assert "Yton" not in page_text(only_x.get(page))


def test_a_new_membership_shows_its_city_on_the_next_load(viewer, viewer_client, city_x, city_y):
    assert "Yton" not in page_text(viewer_client.get("/cities/"))

    MembershipFactory(user=viewer, city=city_y)

    assert "Yton" in page_text(viewer_client.get("/cities/"))
    assert read_page(viewer_client.get("/reports/")).rows == ["xville", "yton"]


def test_readers_with_the_same_scope_share_the_content_but_each_sees_their_own_name(
    city_x, compact
):
    clients = []
    for name in ("Ada", "Grace"):
        user = UserFactory(first_name=name, last_name="Reader")
        MembershipFactory(user=user, city=city_x, role=Role.VIEWER)
        client = Client()
        client.force_login(user)
        clients.append(client)

    first = clients[0].get(f"/cities/{city_x.slug}/")
    second = clients[1].get(f"/cities/{city_x.slug}/")

    assert rendered(first) and not rendered(second)
    assert "Ada Reader" in page_text(first) and "Grace Reader" in page_text(second)
    assert "Ada" not in page_text(second)


def test_the_role_in_the_city_is_part_of_the_scope(city_x):
    keys = report_cache.data_keys([city_x.id], timezone.localdate())
    today = timezone.localdate()
    as_viewer = [{"id": city_x.id, "role": Role.VIEWER}]
    as_editor = [{"id": city_x.id, "role": Role.EDITOR}]
    from reports.pages import scope_of

    viewer, editor = UserFactory(), UserFactory()
    assert report_cache.page_key(
        "dashboard", keys, today, scope=scope_of(viewer, as_viewer)
    ) != report_cache.page_key("dashboard", keys, today, scope=scope_of(editor, as_editor))


def test_the_next_day_renders_the_content_afresh(viewer_client, city_x, compact, monkeypatch):
    today = timezone.localdate()
    url = f"/cities/{city_x.slug}/"
    viewer_client.get(url)
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    response = viewer_client.get(url)

    assert rendered(response)
    assert f"{tomorrow.day} {tomorrow:%b} {tomorrow.year}" in page_text(response)


def test_an_outsider_gets_404_even_when_the_dashboard_is_cached(
    viewer_client, outsider_client, city_x, compact
):
    viewer_client.get(f"/cities/{city_x.slug}/")

    assert outsider_client.get(f"/cities/{city_x.slug}/").status_code == 404


def test_a_new_release_changes_every_figure_and_page_key(settings, city_x):
    today = timezone.localdate()
    keys = report_cache.data_keys([city_x.id], today)
    page = report_cache.page_key("cities", keys, today, scope="member:1:viewer")
    settings.RELEASE_ID = "next-release"
    new_keys = report_cache.data_keys([city_x.id], today)
    assert new_keys[city_x.id] != keys[city_x.id]
    assert report_cache.page_key("cities", new_keys, today, scope="member:1:viewer") != page


def test_a_new_release_renders_the_cached_content_afresh(settings, viewer_client, city_x, compact):
    url = f"/cities/{city_x.slug}/"
    viewer_client.get(url)
    assert not rendered(viewer_client.get(url))
    settings.RELEASE_ID = "next-release"
    assert rendered(viewer_client.get(url))


@pytest.fixture
def jinja2_renders(monkeypatch) -> list[str]:
    """The names of the Jinja2 templates rendered: Django's test client lists only its own
    engine's in response.templates."""
    names: list[str] = []
    render = jinja2_backend.Template.render

    def recording(self, *args, **kwargs):
        names.append(self.origin.template_name)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2_backend.Template, "render", recording)
    return names


@pytest.mark.parametrize(
    ("page", "part"),
    [("/cities/", "reports/_city_card.jinja"), ("/reports/", "reports/_portfolio_row.jinja")],
)
def test_a_write_in_one_city_renders_only_that_citys_card_or_row_again(
    page, part, superuser_client, city_x, city_y, compact, jinja2_renders
):
    def parts(response) -> int:
        count = jinja2_renders.count(part)
        jinja2_renders.clear()
        return count

    live_compact(city_y)
    assert parts(superuser_client.get(page)) == 2
    commitment(compact)
    response = superuser_client.get(page)
    assert rendered(response) and parts(response) == 1


class _RecordingCache:
    """The report cache, with the keys of every read and write kept."""

    def __init__(self, cache):
        self._cache = cache
        self.read: list[str] = []
        self.written: list[str] = []

    def get(self, key, *args, **kwargs):
        self.read.append(key)
        return self._cache.get(key, *args, **kwargs)

    def get_many(self, keys, *args, **kwargs):
        self.read.extend(keys)
        return self._cache.get_many(keys, *args, **kwargs)

    def set(self, key, *args, **kwargs):
        self.written.append(key)
        return self._cache.set(key, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        self.written.extend(data)
        return self._cache.set_many(data, *args, **kwargs)


KINDS = (":city", ":dashboard", ":card", ":portfolio_row")


@pytest.fixture
def recording(monkeypatch):
    spy = _RecordingCache(report_cache.cache)
    monkeypatch.setattr(report_cache, "cache", spy)
    return spy


def test_with_the_cache_off_no_figure_card_or_row_is_read_or_stored(
    settings, recording, viewer_client, city_x, compact
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    late = milestone(commitment(compact), timezone.localdate() - days(3))
    url = f"/cities/{city_x.slug}/"
    for page in ("/cities/", "/reports/", url):
        assert viewer_client.get(page).status_code == 200

    assert page_metrics(viewer_client.get(url))["overdue_milestones"] == "1"
    assert not [key for key in recording.read + recording.written if key.endswith(KINDS)]

    services.milestone_update(
        milestone=late,
        data={"status": MilestoneStatus.DONE, "completed_on": timezone.localdate()},
        actor=None,
    )
    assert page_metrics(viewer_client.get(url))["overdue_milestones"] == "0"
    assert portfolio_page_rows(viewer_client.get("/reports/"))[city_x.slug]["health"] == "green"


@pytest.mark.parametrize(("page", "kind"), [("/cities/", ":card"), ("/reports/", ":portfolio_row")])
def test_the_cards_or_rows_of_every_city_are_read_in_one_get_many_and_stored_in_one_set_many(
    page, kind, recording, superuser_client, city_x, city_y, compact, monkeypatch
):
    live_compact(city_y)
    reads, writes = [], []
    monkeypatch.setattr(recording, "get_many", lambda keys: reads.append(keys) or {})
    monkeypatch.setattr(recording, "set_many", lambda data, timeout: writes.append(data))

    assert superuser_client.get(page).status_code == 200

    assert [len(keys) for keys in reads if keys[0].endswith(kind)] == [2]
    assert [len(data) for data in writes if next(iter(data)).endswith(kind)] == [2]


@pytest.mark.parametrize("kept_here", [True, False])
def test_a_warm_page_over_many_cities_reads_one_token_instead_of_each_citys(
    kept_here, superuser_client, city_x, city_y, compact, monkeypatch
):
    monkeypatch.setattr(report_cache, "FEW_CITIES", 1)
    superuser_client.get("/reports/")
    if not kept_here:
        report_cache.kept_pages.clear()  # as in another process
    real_get_many = report_cache.cache.get_many
    reads = []

    def get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(report_cache.cache, "get_many", get_many)
    response = superuser_client.get("/reports/")

    assert not rendered(response)
    page_reads = [keys for keys in reads if "versions:any" in keys]
    if kept_here:  # the content is this process's copy: only the token is read
        assert page_reads == [["versions:any"]]
    else:
        assert page_reads == [[page_reads[0][0], "versions:any"]]
        assert page_reads[0][0].startswith("reports:page-")


# --- the copies a process keeps ---------------------------------------------------------------


@pytest.mark.parametrize("page", list(CONTENT))
def test_a_page_kept_by_one_process_is_served_by_another_from_the_shared_cache(
    page, viewer_client, city_x, compact
):
    first = viewer_client.get(url_of(page, city_x))
    report_cache.kept_pages.clear()
    second = viewer_client.get(url_of(page, city_x))

    assert rendered(first) and not rendered(second)
    assert main(first) == main(second)


@pytest.mark.parametrize("page", list(CONTENT))
def test_a_kept_copy_whose_cities_changed_gives_way_to_the_shared_entry_rendered_since(
    page, viewer_client, city_x, compact
):
    first = viewer_client.get(url_of(page, city_x))
    (stale_key, stale), *_ = report_cache.kept_pages._entries.items()
    commitment(compact, title="Written after the copy was kept")
    report_cache.kept_pages.clear()  # another process renders the page anew ...
    fresh = viewer_client.get(url_of(page, city_x))
    report_cache.kept_pages.put(stale_key, stale)  # ... while this one still keeps the old copy

    again = viewer_client.get(url_of(page, city_x))

    assert rendered(fresh) and not rendered(again)
    assert main(again) == main(fresh) != main(first)


@pytest.mark.parametrize("page", list(CONTENT))
def test_a_kept_copy_expires_with_the_shared_entry(
    page, viewer_client, city_x, compact, settings, monkeypatch
):
    viewer_client.get(url_of(page, city_x))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + settings.DASHBOARD_CACHE_SECONDS + 1)

    assert rendered(viewer_client.get(url_of(page, city_x)))


def test_nothing_is_kept_when_the_report_cache_is_off(viewer_client, city_x, compact, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    report_cache.kept_pages.clear()
    for page in CONTENT:
        assert rendered(viewer_client.get(url_of(page, city_x)))
        assert rendered(viewer_client.get(url_of(page, city_x)))
    assert not report_cache.kept_pages._entries


@pytest.mark.parametrize("page", list(CONTENT))
def test_the_content_is_kept_in_ascii_and_reads_as_the_same_text(page, viewer_client, city_x):
    # Non-ASCII in a page makes every warm request decode and encode it character by character.
    live_compact(city_x, title="Compacto de Peñasco — “Ñandú” ▲")
    responses = [viewer_client.get(url_of(page, city_x)) for _ in range(2)]

    assert rendered(responses[0]) and not rendered(responses[1])
    for response in responses:
        assert response.content.isascii()
        if page == "dashboard":
            assert "Compacto de Peñasco — “Ñandú” ▲" in page_text(response)
        assert "Xville" in page_text(response)
