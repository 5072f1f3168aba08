"""Everything works with the keyboard alone: the skip link, signing in, a staff form filled in and
sent with Tab, typing and Enter, and every control of every form reachable with Tab and showing
where the focus is."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.e2e.browser import PASSWORD
from tests.e2e.checks import focus_is_visible, focused, tab_out_of, tab_to

pytestmark = pytest.mark.e2e


def _compact(city: str = "Spring Branch"):
    from compacts.models import Compact

    return Compact.objects.get(city__name=city)


def test_the_skip_link_is_the_first_stop_shows_itself_and_moves_focus_to_the_content(
    open_page, site
):
    page = open_page(as_user="program")
    page.goto(site("/cities/"))
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    assert focus_is_visible(page)
    box = page.get_by_text("Skip to main content").bounding_box()
    assert box["width"] > 20 and box["height"] > 10 and box["y"] >= 0  # shown, not clipped away

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    assert page.url.endswith("#main")
    # The next Tab goes into the content, past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_a_person_signs_in_with_the_keyboard_alone(open_page, site):
    page = open_page()
    page.goto(site("/accounts/login/"))
    # The username field has the focus on arrival (or is the first field Tab reaches).
    tab_to(page, lambda element: element["id"] == "id_username", limit=6)
    assert focus_is_visible(page)
    page.keyboard.type(site.staff)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    assert focus_is_visible(page)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site("/"))
    assert page.get_by_role("heading", level=1).inner_text() == "My work"


def test_an_editor_adds_an_activity_with_tab_typing_and_enter(open_page, site):
    from compacts.models import Activity

    compact = _compact()
    page = open_page(as_user="staff", locale="en-US")
    page.goto(site(f"/compacts/{compact.pk}/activities/new/?next=/compacts/{compact.pk}/"))
    page.focus("#main")

    def next_field(expected_id: str) -> None:
        element = tab_out_of(page, focused(page)["id"])
        assert element["id"] == expected_id, f"Tab went to {element}, not #{expected_id}"
        assert focus_is_visible(page), f"no visible focus on #{expected_id}"

    tab_to(page, lambda element: element["id"] == "id_kind")
    assert focus_is_visible(page)
    page.keyboard.type("Working")  # a closed select picks the option typed
    next_field("id_occurred_on")
    today = timezone.localdate()
    page.keyboard.type(today.strftime("%m%d%Y"))  # the date picker's month, day, year
    next_field("id_title")
    page.keyboard.type("Keyboard-only working group on enrollment")
    next_field("id_commitment")
    page.keyboard.press("ArrowDown")  # the first commitment
    next_field("id_district_attendees")
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    next_field("id_charter_attendees")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    next_field("id_notes")
    page.keyboard.type("Entered without a mouse.")
    page.keyboard.press("Tab")
    assert (focused(page)["tag"], focused(page)["type"]) == ("button", "submit")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    # Back on the compact page, at its activity log, where the new entry is.
    page.wait_for_url(site(f"/compacts/{compact.pk}/#activities"))
    activity = Activity.objects.get(title="Keyboard-only working group on enrollment")
    assert (
        activity.kind,
        activity.occurred_on,
        activity.district_attendees,
        activity.charter_attendees,
        activity.notes,
    ) == ("working_group", today, 4, 3, "Entered without a mouse.")
    assert activity.commitment is not None
    assert activity.compact_id == compact.pk


def _form_pages() -> dict:
    """Every kind of form: sign-in and password pages, the staff forms (each widget kind: selects,
    dates, numbers, URLs, check boxes, a file), a delete confirmation and the list filters."""
    from compacts.models import Activity, Commitment, Milestone

    compact = _compact()
    commitment = Commitment.objects.filter(compact=compact).order_by("pk").first()
    milestone = Milestone.objects.filter(commitment=commitment).order_by("pk").first()
    activity = Activity.objects.filter(compact=compact).order_by("pk").first()
    term = compact.signatories.select_related("leadership_term").first().leadership_term
    return {
        "sign-in": (None, "/accounts/login/"),
        "password reset": (None, "/accounts/password_reset/"),
        "password change": ("staff", "/accounts/password_change/"),
        "compact edit": ("staff", f"/compacts/{compact.pk}/edit/"),
        "signatory add": ("staff", f"/compacts/{compact.pk}/signatories/new/"),
        "participant add": ("staff", f"/compacts/{compact.pk}/participants/new/"),
        "commitment edit": ("staff", f"/commitments/{commitment.pk}/edit/"),
        "milestone edit": ("staff", f"/milestones/{milestone.pk}/edit/"),
        "milestone done": ("staff", f"/milestones/{milestone.pk}/done/"),
        "activity edit": ("staff", f"/activities/{activity.pk}/edit/"),
        "grant add": ("staff", f"/compacts/{compact.pk}/grants/new/"),
        "leadership change": (
            "staff",
            f"/leadership/change/?organization={term.organization_id}&role={term.role}",
        ),
        "delete confirmation": ("staff", f"/activities/{activity.pk}/delete/"),
        "spreadsheet import": ("staff", f"/compacts/{compact.pk}/spreadsheet/import/"),
        "list filters": ("staff", "/commitments/"),
    }


def _form_controls(page, selector: str) -> list[str]:
    """Keys of the form's controls a person uses: visible and enabled (a radio group once)."""
    return page.evaluate(
        """(selector) => {
          const form = document.querySelector(selector);
          const keys = [];
          for (const el of form.querySelectorAll('input, select, textarea, button')) {
            // A default button kept out of the tab order and from assistive technology (the
            // leadership form's hidden first submit) is for Enter, not a control people reach.
            if (el.type === 'hidden' || el.disabled) continue;
            if (el.tabIndex < 0 && el.getAttribute('aria-hidden') === 'true') continue;
            const box = el.getBoundingClientRect();
            if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
            const key = el.type === 'radio' ? 'radio:' + el.name
              : (el.id || el.name || el.innerText.trim() || el.value);
            if (!keys.includes(key)) keys.push(key);
          }
          return keys;
        }""",
        selector,
    )


def _tab_through_form(page, selector: str, limit: int = 80) -> list[tuple[str, bool]]:
    """Tab from the top of the content until focus leaves the form: each control reached (once,
    though a date input takes a Tab per part), and whether it showed its focus on arrival."""
    page.focus("#main")
    reached: list[tuple[str, bool]] = []
    inside = False
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """(selector) => {
              const el = document.activeElement;
              const form = document.querySelector(selector);
              const key = el.type === 'radio' ? 'radio:' + el.name
                : (el.id || el.name || (el.innerText || '').trim() || el.value);
              return {inForm: form.contains(el), key};
            }""",
            selector,
        )
        if state["inForm"]:
            inside = True
            if not reached or reached[-1][0] != state["key"]:
                reached.append((state["key"], focus_is_visible(page)))
        elif inside:
            break
    return reached


@pytest.mark.parametrize(
    "form_name",
    [
        "sign-in",
        "password reset",
        "password change",
        "compact edit",
        "signatory add",
        "participant add",
        "commitment edit",
        "milestone edit",
        "milestone done",
        "activity edit",
        "grant add",
        "leadership change",
        "delete confirmation",
        "spreadsheet import",
        "list filters",
    ],
)
def test_every_control_of_the_form_is_reached_with_tab_and_shows_its_focus(
    open_page, site, form_name
):
    who, path = _form_pages()[form_name]
    page = open_page(as_user=who)
    response = page.goto(site(path))
    assert response.status == 200, f"{form_name}: {response.status}"
    selector = "main form.filter-form" if form_name == "list filters" else "main form[method=post]"
    controls = _form_controls(page, selector)
    assert controls, f"no form controls found on {path}"

    reached = _tab_through_form(page, selector)
    reached_keys = [key for key, _visible in reached]
    missing = [key for key in controls if key not in reached_keys]
    assert not missing, f"{form_name}: Tab never reaches {missing}; it went {reached_keys}"
    unseen = [key for key, visible in reached if not visible]
    assert not unseen, f"{form_name}: no visible focus on {unseen}"
    # Tab follows the order of the page.
    in_order = [key for key in reached_keys if key in controls]
    assert in_order == controls, f"{form_name}: Tab order {in_order}, page order {controls}"
