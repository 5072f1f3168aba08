"""The site layout: navigation with the current section, the user's name and sign-out, messages,
the demo banner, a skip link and landmarks."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache, caches
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.context_processors import DEMO_BANNER_CACHE_KEY
from core.models import DemoDataset
from core.templatetags.layout import in_section

pytestmark = pytest.mark.django_db

SECTIONS = [
    ("Cities", "/cities/"),
    ("Commitments", "/commitments/"),
    ("Milestones", "/milestones/"),
    ("Activities", "/activities/"),
    ("Leadership", "/leadership/"),
    ("Schools", "/schools/"),
    ("Networks", "/networks/"),
    ("Reports", "/reports/"),
]


def render_page(user, path="/accounts/password_change/") -> str:
    request = RequestFactory().get(path)
    request.user = user
    return render_to_string("base.html", request=request)


def nav_links(html: str) -> list[tuple[str, str]]:
    nav = html[html.index('<ul class="navbar-nav') : html.index("</ul>")]
    return [(label, href) for href, label in re.findall(r'href="([^"]+)">([^<]+)</a>', nav)]


def current_items(html: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', html)


def test_members_see_every_section_but_the_admin(viewer):
    assert nav_links(render_page(viewer)) == SECTIONS


def test_superusers_also_see_the_admin(superuser):
    assert nav_links(render_page(superuser)) == [*SECTIONS, ("Admin", "/admin/")]


def test_anonymous_visitors_see_no_navigation():
    html = render_page(AnonymousUser(), "/accounts/login/")
    assert "navbar-nav" not in html
    assert "Sign out" not in html


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/cities/", ["/cities/"]),
        ("/cities/xville/", ["/cities/"]),
        ("/compacts/12/", ["/cities/"]),  # a compact is read from its city
        ("/commitments/", ["/commitments/"]),
        ("/commitments/?status=stalled", ["/commitments/"]),
        ("/milestones/4/edit/", ["/milestones/"]),
        ("/reports/", ["/reports/"]),
        ("/accounts/password_change/", []),
    ],
)
def test_the_current_section_is_marked(editor, path, current):
    assert current_items(render_page(editor, path)) == current


def test_in_section_matches_path_prefixes_only():
    assert in_section("/cities/xville/", "/cities/,/compacts/")
    assert in_section("/compacts/3/", "/cities/,/compacts/")
    assert not in_section("/reports/cities/", "/cities/,/compacts/")
    assert not in_section("/", "/cities/")


def test_the_users_name_links_to_their_account_and_sign_out_posts(editor):
    editor.first_name, editor.last_name = "Erin", "Editor"
    html = render_page(editor, "/cities/")
    assert re.search(
        r'href="/accounts/"[^>]*>\s*<span class="visually-hidden">'
        r"Signed in as </span>Erin Editor",
        html,
    )
    assert re.search(
        r'<form method="post" action="/accounts/logout/"[^>]*>\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )


def test_a_user_without_a_name_is_shown_by_username(editor):
    editor.first_name = editor.last_name = ""
    assert "Signed in as </span>editor" in render_page(editor)


def test_the_page_has_a_skip_link_and_landmarks(viewer):
    html = render_page(viewer)
    assert html.index('href="#main"') < html.index("<header")
    assert '<nav class="navbar' in html and 'aria-label="Main"' in html
    assert '<main id="main"' in html and "<footer" in html


def test_the_demo_banner_shows_while_demo_data_is_loaded(viewer):
    assert "demo-banner" not in render_page(viewer)
    DemoDataset.objects.create(banner="Illustrative demo data, not real records.")
    cache.delete(DEMO_BANNER_CACHE_KEY)
    html = render_page(viewer)
    assert (
        '<p class="demo-banner mb-0" role="note">Illustrative demo data, not real records.</p>'
        in html
    )
    assert html.index("demo-banner") > html.index("<header")  # inside a landmark


def test_messages_are_shown_once_with_their_level(editor_client):
    response = editor_client.post("/accounts/logout/", follow=True)
    html = response.content.decode()
    assert '<div class="alert alert-info alert-dismissible fade show" role="status">' in html
    assert "You have signed out." in html
    assert "You have signed out." not in editor_client.get("/accounts/login/").content.decode()


def test_only_vendored_assets_are_loaded(viewer_client):
    html = viewer_client.get("/accounts/password_change/").content.decode()
    sources = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert sources == []
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.min.css" in html
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.bundle.min.js" in html


@pytest.fixture
def layout_cache(settings):
    """The layout fragments kept in memory, as in production (DEBUG renders them each time)."""
    settings.CACHES = settings.CACHES | {
        "layout": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    yield
    caches["layout"].clear()


def test_the_kept_navigation_follows_the_section_and_the_superuser(layout_cache, viewer, superuser):
    for _ in range(2):  # rendered, then from the layout cache
        assert current_items(render_page(viewer, "/compacts/3/")) == ["/cities/"]
        assert current_items(render_page(viewer, "/reports/")) == ["/reports/"]
        assert current_items(render_page(viewer, "/accounts/password_change/")) == []
        assert nav_links(render_page(viewer, "/reports/")) == SECTIONS
        superuser_html = render_page(superuser, "/reports/")
        assert nav_links(superuser_html) == [*SECTIONS, ("Admin", "/admin/")]
        assert current_items(superuser_html) == ["/reports/"]


def test_each_page_keeps_its_own_title_and_assets(layout_cache, viewer_client, city_x):
    for _ in range(2):
        account = viewer_client.get("/accounts/password_change/").content.decode()
        dashboard = viewer_client.get(f"/cities/{city_x.slug}/").content.decode()
        assert "<title>Xville" in dashboard and "<title>Xville" not in account
        for html in (account, dashboard):
            assert "/static/css/app.css" in html and "/static/js/app.js" in html
        assert "/static/css/reports.css" in dashboard and "reports.css" not in account
