"""What every page is checked for in the browser: no sideways scrolling on a phone, no serious
accessibility problem (axe-core), no edit control for read-only people, a visible focus."""

from __future__ import annotations

import re

AXE_URL = "/static/vendor/axe-core-4.14.1/axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Every control that changes a record: its address, or its words.
EDIT_HREF = re.compile(
    r"/(edit|new|delete|done|restore|revert)/|/leadership/change/|/spreadsheet/import/"
)
EDIT_WORDS = re.compile(
    r"^\s*(add|edit|delete|remove|mark done|record a leadership change|undo|restore|revert|"
    r"import)\b",
    re.IGNORECASE,
)


def horizontal_overflow(page, width: int) -> dict:
    """The page's scroll width against the window, and the elements reaching past `width` (the
    likely culprits when it scrolls sideways; on a phone the window widens to fit them)."""
    return page.evaluate(
        """(width) => {
          const culprits = [];
          for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 1 && !el.closest('.table-responsive')) {
              const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string'
                  ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
              culprits.push(name + ' right=' + Math.round(box.right));
            }
          }
          return {scrollWidth: document.documentElement.scrollWidth,
                  innerWidth: window.innerWidth, culprits: culprits.slice(0, 15)};
        }""",
        width,
    )


def assert_no_horizontal_scroll(page, width: int) -> None:
    overflow = horizontal_overflow(page, width)
    assert overflow["scrollWidth"] <= min(overflow["innerWidth"], width), (
        f"{page.url} scrolls sideways at {width} px: {overflow}"
    )


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (the vendored copy, loaded from the app's
    own static files so that the Content-Security-Policy allows it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' +
                               (n.failureSummary || '').replace(/\\s+/g, ' '))
          }));
        }"""
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {node}" for node in violation["nodes"][:8])
    return "\n".join(lines)


def assert_accessible(page) -> list[dict]:
    """No serious or critical axe violation; returns the minor and moderate ones."""
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {page.url}:\n{describe_violations(blocking)}"
    return violations


def edit_controls(page) -> list[str]:
    """Links, buttons and forms on the page (outside the header's sign-out) that would change a
    record."""
    found = page.evaluate(
        """() => {
          const out = [];
          for (const a of document.querySelectorAll('a[href]')) {
            out.push(['link', a.getAttribute('href'), a.innerText]);
          }
          for (const b of document.querySelectorAll('button, input[type=submit]')) {
            if (b.closest('header')) continue;
            out.push(['button', '', b.innerText || b.value || '']);
          }
          for (const f of document.querySelectorAll('form')) {
            if (f.closest('header')) continue;
            if ((f.getAttribute('method') || 'get').toLowerCase() === 'post') {
              out.push(['post form', f.getAttribute('action') || '', '']);
            }
          }
          return out;
        }"""
    )
    problems = []
    for kind, href, text in found:
        if kind == "post form" or EDIT_HREF.search(href or "") or EDIT_WORDS.search(text or ""):
            problems.append(f"{kind} {href!r} {text.strip()[:60]!r}")
    return problems


def focus_is_visible(page) -> bool:
    """Whether the focused element shows a focus ring: an outline, or Bootstrap's coloured
    box-shadow. (Contexts ask for reduced motion, so styles are final, not mid-transition.)"""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return false;
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          const clear = /rgba\\(\\d+, \\d+, \\d+, 0\\)/.test(s.boxShadow);
          const shadow = s.boxShadow !== 'none' && !clear
            && /[1-9]\\d*(\\.\\d+)?px/.test(s.boxShadow);
          const box = el.getBoundingClientRect();
          return (outline || shadow) && box.width > 1 && box.height > 1;
        }"""
    )


def focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                  type: el.getAttribute('type'), text: (el.innerText || '').trim().slice(0, 60),
                  href: el.getAttribute('href')};
        }"""
    )


def tab_to(page, predicate, *, limit: int = 40) -> dict:
    """Press Tab until the focused element matches (or it already does); fail after `limit`."""
    element = focused(page)
    seen = []
    for _ in range(limit):
        if predicate(element):
            return element
        seen.append(element)
        page.keyboard.press("Tab")
        element = focused(page)
    raise AssertionError(f"Tab never reached the element on {page.url}; focus went to: {seen}")


def tab_out_of(page, element_id: str, *, limit: int = 6) -> dict:
    """Press Tab until focus leaves the element (a date input takes a Tab per part: month, day,
    year and its calendar button)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["id"] != element_id:
            return element
    raise AssertionError(f"focus stays in #{element_id} on {page.url}")
