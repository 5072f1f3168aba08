"""Program staff keep a compact's record current: they sign in, open their city, record a
milestone as done with its evidence, record that a signing leader left and who took over, and
the city dashboard shows it at once."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.e2e.browser import sign_in_through_the_form

pytestmark = pytest.mark.e2e

EVIDENCE = "https://example.org/sky/annual-review-minutes.pdf"


def _dashboard(page) -> dict:
    """What the city dashboard says: health, its reasons and the figures the journeys watch."""
    done_link = page.locator("main a[href*='status=done']").first.inner_text()
    on_time = page.locator("main .figure-card a[href*='on_time=true']").nth(1).inner_text()
    return {
        "health": page.locator("#health-heading .health-badge").inner_text().strip(),
        "reasons": page.locator(".health-panel .reasons li").all_inner_texts(),
        "retention": page.locator("[data-metric=signatory_retention]").get_attribute("data-value"),
        "retention_shown": page.locator("[data-metric=signatory_retention]").inner_text().strip(),
        "done": int(re.match(r"\d+", done_link).group()),
        "on_time": int(re.match(r"\d+", on_time).group()),
    }


def _open_city(page, site, city: str) -> dict:
    """Program staff start on My work: what is due in their cities; from there, the city."""
    sign_in_through_the_form(page, site, site.staff, land_on="/")
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert page.get_by_role("region", name="Overdue milestones").is_visible()
    page.get_by_role("link", name="Cities", exact=True).click()
    page.wait_for_url(site("/cities/"))
    page.get_by_role("link", name=f"Open the {city} dashboard").click()
    page.wait_for_url(re.compile(r"/cities/[\w-]+/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(city)
    return _dashboard(page)


def _open_compact(page, title: str) -> None:
    page.get_by_role("region", name="Compacts").get_by_role("link", name=title).click()
    page.wait_for_url(re.compile(r"/compacts/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == title


def _back_to_dashboard(page, site, slug: str) -> dict:
    page.locator(f".breadcrumb a[href='/cities/{slug}/']").click()
    page.wait_for_url(site(f"/cities/{slug}/"))
    return _dashboard(page)


def _mark_done_with_evidence(page, milestone) -> None:
    """From the compact page: the milestone's "Mark done" -> the form -> back, shown done."""
    item = page.locator(f"#milestone-{milestone.pk}")
    item.get_by_role("link", name=re.compile(r"^Mark done")).click()
    # A date in the future comes back marked, and the page opens at that field.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Completed on").fill(tomorrow.isoformat())
    page.get_by_label("Evidence link").fill(EVIDENCE)
    page.get_by_role("button", name="Mark done").click()
    assert page.evaluate("document.activeElement.id") == "id_completed_on"
    assert page.get_by_label("Evidence link").input_value() == EVIDENCE
    page.get_by_label("Completed on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Mark done").click()
    # Back at the milestone itself, not the top of the page.
    page.wait_for_url(re.compile(rf"/compacts/\d+/#milestone-{milestone.pk}$"))
    assert "marked done" in page.locator(".messages").inner_text()
    assert item.locator(".badge").first.inner_text() == "Done"
    assert item.get_by_role("link", name="evidence").get_attribute("href") == EVIDENCE
    assert item.get_by_role("link", name=re.compile("^Mark done")).count() == 0


def test_an_editor_of_spring_branch_records_progress_and_a_leadership_change(open_page, site):
    """The staff journey on the demo data. Spring Branch's signing superintendent retired in 2015
    (public record) and nobody is recorded in that seat since, so the signatory still in post is
    YES Prep's president: when the president leaves, retention falls from 1 of 2 to 0 of 2,
    below one half, and the city turns red with that reason."""
    from compacts.models import Milestone

    milestone = Milestone.objects.get(
        commitment__compact__city__name="Spring Branch",
        title="Data sharing: annual review of results",
        status="planned",
    )
    page = open_page()
    before = _open_city(page, site, "Spring Branch")
    assert before["retention"] == "0.500"
    assert before["health"] == "On track"

    _open_compact(page, "SKY Partnership compact")
    _mark_done_with_evidence(page, milestone)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on, milestone.evidence_url) == (
        "done",
        timezone.localdate(),
        EVIDENCE,
    )
    _record_leadership_change(page, seat="Network CEO", successor="Jordan Successor", title="CEO")

    after = _back_to_dashboard(page, site, "spring-branch")
    assert after["done"] == before["done"] + 1
    assert after["on_time"] == before["on_time"] + 1  # due next year, done today: on time
    assert after["retention"] == "0.000"
    assert after["retention_shown"] == "0%"
    assert after["health"] == "At risk"
    assert "2 of 2 signatories have left since signing" in after["reasons"]
    assert "2 of 2 signatories have left since signing" not in before["reasons"]


def _record_leadership_change(page, *, seat: str, successor: str, title: str) -> None:
    """From the compact page: the signatory's seat -> "Record a leadership change" -> the form."""
    signatory = page.locator("#signatories li.list-group-item").filter(has_text=f"Seat: {seat}")
    assert signatory.get_by_text("Still in post").is_visible()
    signatory.get_by_role("link", name="Record a leadership change").click()
    page.wait_for_url(re.compile(r"/leadership/change/"))
    # The form knows whose seat it is: it names the leader in post.
    assert page.get_by_text("In post now:").is_visible(), page.locator("main").inner_text()

    today = timezone.localdate()
    page.get_by_label("Leaving leader's last day in post").fill(
        (today - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Why they left").select_option(label="Moved to another post")
    page.get_by_label("Successor's full name").fill(successor)
    page.get_by_label("Successor's title").fill(title)
    page.get_by_label("Successor's first day").fill(today.isoformat())
    page.get_by_role("button", name="Record the change").click()
    page.wait_for_url(re.compile(r"/compacts/\d+/$"))
    assert "Leadership change recorded" in page.locator(".messages").inner_text()


def test_an_editor_records_that_the_superintendent_left_and_the_dashboard_turns_red(
    open_page, site
):
    """San Jose's compact has one signatory, its superintendent, still in post: when the
    superintendent leaves, retention falls from 1 of 1 to 0 of 1, below the one-half threshold."""
    page = open_page()
    before = _open_city(page, site, "San Jose")
    assert before["retention"] == "1.000"
    assert not any("left since signing" in reason for reason in before["reasons"])

    _open_compact(page, "High Quality Schools Compact")
    _record_leadership_change(
        page, seat="Superintendent", successor="Alex Rivera Successor", title="Superintendent"
    )
    signatory = page.locator("#signatories li.list-group-item").filter(has_text="Superintendent")
    assert signatory.get_by_text("Left", exact=True).is_visible()
    assert "Now in the seat: Alex Rivera Successor" in signatory.inner_text()

    after = _back_to_dashboard(page, site, "san-jose")
    assert after["retention"] == "0.000"
    assert after["retention_shown"] == "0%"
    assert after["health"] == "At risk"
    assert "1 of 1 signatory has left since signing" in after["reasons"]
