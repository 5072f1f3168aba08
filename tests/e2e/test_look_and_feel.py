"""Every main page on a phone (390x844) and a laptop (1366x768): a screenshot kept under
test-artifacts/screenshots/, no sideways scrolling on the phone, nothing in the browser console
(a Content-Security-Policy violation shows there), and no serious or critical accessibility
problem found by axe-core."""

from __future__ import annotations

import pytest

from tests.e2e.browser import LAPTOP, PHONE, SCREENSHOTS
from tests.e2e.checks import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.e2e


def _spring_branch_compact() -> int:
    from compacts.models import Compact

    return Compact.objects.get(city__name="Spring Branch").pk


# name -> (who looks at it, its address). "program" edits every city: every page at its fullest,
# with its edit controls; the sign-in page is seen signed out.
PAGES = {
    "cities": ("program", lambda: "/cities/"),
    "city-dashboard": ("program", lambda: "/cities/spring-branch/"),
    "reports": ("program", lambda: "/reports/"),
    "compact": ("program", lambda: f"/compacts/{_spring_branch_compact()}/"),
    "commitments": ("program", lambda: "/commitments/"),
    "milestones": ("program", lambda: "/milestones/"),
    "activities": ("program", lambda: "/activities/"),
    "leadership": ("program", lambda: "/leadership/"),
    "schools": ("program", lambda: "/schools/"),
    "networks": ("program", lambda: "/networks/"),
    "commitment-form": (
        "program",
        lambda: f"/compacts/{_spring_branch_compact()}/commitments/new/",
    ),
    "login": (None, lambda: "/accounts/login/"),
}
VIEWPORTS = {"390x844": PHONE, "1366x768": LAPTOP}


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
@pytest.mark.parametrize("page_name", PAGES)
def test_each_main_page_fits_the_screen_and_passes_axe(open_page, site, page_name, viewport_name):
    who, path = PAGES[page_name]
    viewport = VIEWPORTS[viewport_name]
    page = open_page(as_user=who, viewport=viewport)
    response = page.goto(site(path()))
    assert response.status == 200, f"{page_name}: {response.status} at {page.url}"
    page.wait_for_load_state("load")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{page_name}-{viewport_name}.png", full_page=True)

    if viewport == PHONE:
        assert_no_horizontal_scroll(page, PHONE["width"])
    assert_accessible(page)


def test_styles_and_scripts_load_from_the_apps_own_static_files(open_page, site):
    page = open_page(as_user="program")
    static = []
    page.on(
        "response",
        lambda response: (
            "/static/" in response.url
            and static.append((response.url.split("/static/")[1], response.status))
        ),
    )
    page.goto(site("/cities/spring-branch/"))
    page.wait_for_load_state("load")

    loaded = dict(static)
    assert loaded.get("vendor/bootstrap-5.3.9/bootstrap.min.css") == 200, static
    assert loaded.get("css/app.css") == 200, static
    assert loaded.get("js/app.js") == 200, static
    assert all(status == 200 for _path, status in static), static
    # Bootstrap's stylesheet and script are in force, not merely fetched.
    assert page.evaluate("() => typeof window.bootstrap?.Collapse === 'function'")
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('.visually-hidden-focusable')).position"
        )
        == "absolute"
    )


def test_a_content_security_policy_violation_counts_as_a_browser_problem(
    open_page, site, browser_problems
):
    """The console check is what catches inline scripts and styles the policy forbids."""
    page = open_page()
    page.goto(site("/accounts/login/"))
    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.inlineScriptRan = true';
          document.head.appendChild(script);
        }"""
    )
    assert page.evaluate("() => window.inlineScriptRan") is None
    browser_problems.expect("Content Security Policy")


def test_a_page_wider_than_the_phone_is_caught(open_page, site):
    """The sideways-scroll check sees an element that pushes the page past 390 px."""
    page = open_page(as_user="program", viewport=PHONE)
    page.goto(site("/cities/"))
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.evaluate(
        """() => {
          const wide = document.createElement('div');
          wide.id = 'too-wide';
          wide.textContent = 'x'.repeat(10);
          wide.style.width = '600px';
          document.querySelector('main').appendChild(wide);
        }"""
    )
    with pytest.raises(AssertionError, match="too-wide"):
        assert_no_horizontal_scroll(page, PHONE["width"])
