"""An administrator gives a new person access to one city in the admin; that person signs in and
sees exactly that city."""

from __future__ import annotations

import pytest

from tests.e2e.browser import sign_in_through_the_form

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "quiet harbour lantern 2026"


def test_an_admin_adds_a_viewer_of_one_city_who_then_sees_exactly_that_city(
    open_page, site, browser_problems
):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership

    page = open_page()
    sign_in_through_the_form(page, site, site.admin)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.wait_for_url(site("/admin/"))

    page.get_by_role("link", name="Users").first.click()
    page.get_by_role("link", name="Add user").click()
    page.wait_for_url(site("/admin/auth/user/add/"))
    page.get_by_label("Username").fill("denver.funder")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_text("Add another City membership").click()
    row = page.locator("tr.dynamic-memberships").last
    row.locator("select[name$='-city']").select_option(label="Denver, CO")
    row.locator("select[name$='-role']").select_option(label="Viewer")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(lambda url: "/add/" not in url)
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    user = get_user_model().objects.get(username="denver.funder")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_superuser
    assert list(Membership.objects.filter(user=user).values_list("city__name", "role")) == [
        ("Denver", "viewer")
    ]

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("load")
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies(site.url)}

    # The new person, through the same sign-in form.
    page.goto(site("/accounts/login/"))
    page.get_by_label("Username").fill("denver.funder")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # A viewer only reads: signing in lands on the portfolio, with their one city.
    page.wait_for_url(site("/reports/"))
    assert page.locator(".portfolio-table tbody tr").count() == 1
    page.goto(site("/cities/"))
    cards = page.locator(".city-cards > li")
    assert cards.count() == 1
    assert cards.get_by_role("heading", level=2).inner_text().startswith("Denver")
    # No admin for a viewer, and another city is not found.
    assert page.get_by_role("link", name="Admin", exact=True).count() == 0
    assert page.goto(site("/cities/boston/")).status == 404
    browser_problems.expect(
        "/cities/boston/: Failed to load resource: the server responded with a status of 404"
    )
