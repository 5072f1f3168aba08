"""Template helpers of the compact page and the staff forms."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.dateformat import format as date_format
from django.utils.safestring import mark_safe

from core.lists import day_month_year, html_format, reverse_ids
from history.records import tracked_for

register = template.Library()

PRECISION_FORMATS = {"day": "j M Y", "month": "M Y", "year": "Y"}

# Status code -> Bootstrap badge classes; colour is never the only signal (the label is shown).
STATUS_BADGES = {
    "achieved": "text-bg-success",
    "done": "text-bg-success",
    "active": "text-bg-success",
    "renewed": "text-bg-success",
    "in_progress": "text-bg-primary",
    "planned": "text-bg-light border",
    "not_started": "text-bg-light border",
    "draft": "text-bg-light border",
    "stalled": "text-bg-warning",
    "deferred": "text-bg-warning",
    "lapsed": "text-bg-warning",
    "missed": "text-bg-danger",
    "abandoned": "text-bg-secondary",
    "superseded": "text-bg-secondary",
    "terminated": "text-bg-secondary",
}


@register.filter
def precise_date(value: datetime.date | None, precision: str = "day") -> str:
    """A date shown only as precisely as it is known: "7 Dec 2010", "Dec 2010" or "2011"."""
    if not value:
        return ""
    return date_format(value, PRECISION_FORMATS.get(precision, PRECISION_FORMATS["day"]))


@register.filter
def on_date(value: datetime.date | None, precision: str = "day") -> str:
    """ "on 7 Dec 2010" for a known day, "in Dec 2010" or "in 2010" for a month or a year."""
    if not value:
        return ""
    return f"{'on' if precision in ('', 'day') else 'in'} {precise_date(value, precision)}"


@register.filter
def with_seats(rows):
    """The compact page's signatory rows (compacts.selectors.SignatoryRow), each given what its
    seat (organization, role) says: `seat_reaffirmations`, the successors at the seat who
    re-affirmed the compact, and `needs_reaffirmation`, true on a departed signer's row when
    nobody who signed or re-affirmed holds the seat and someone else does."""
    seats: dict[tuple, list] = {}
    for row in rows:
        term = row.signatory.leadership_term
        seats.setdefault((term.organization_id, term.role), []).append(row)
    for row in rows:
        term = row.signatory.leadership_term
        seat = seats[(term.organization_id, term.role)]
        original = row.signatory.reaffirmed_on is None
        row.seat_reaffirmations = [
            other.signatory for other in seat if original and other.signatory.reaffirmed_on
        ]
        row.needs_reaffirmation = (
            original and row.holder_now is not None and not any(other.in_post for other in seat)
        )
    return rows


@register.filter
def status_badge(status: str) -> str:
    """Badge classes for a compact, commitment or milestone status."""
    return STATUS_BADGES.get(status, "text-bg-light border")


@register.filter
def stored_for(conflict, field_name: str):
    """The stored value of a field in an edit conflict, when it differs from the user's input."""
    if not conflict:
        return None
    return conflict.stored.get(field_name)


@register.filter(expects_localtime=True, is_safe=False)
def day(value) -> str:
    """|date:"j M Y" ("15 Jan 2012") without building a DateFormat for a plain date: the compact
    page shows a few hundred dates."""
    if value in (None, ""):
        return ""
    try:
        return day_month_year(value)
    except AttributeError:
        return ""


@register.filter
def record_url(pk, viewname: str) -> str:
    """{% url viewname pk %} for a record's page, reversed once per view (core.lists.reverse_ids):
    `{{ milestone.pk|record_url:"compacts:milestone_edit" }}`."""
    return reverse_ids(viewname, pk)


# An id no record has, reversed in its place once per model.
_PK_MARKER = 918273649


@lru_cache(maxsize=64)
def _history_url_parts(app_label: str, model: str, *_url_configuration) -> tuple[str, str]:
    url = reverse("core:history", kwargs={"app_label": app_label, "model": model, "pk": _PK_MARKER})
    head, _, tail = url.partition(str(_PK_MARKER))
    return head, tail


@register.simple_tag
def record_history_link(obj, label: str = "History", css_class: str = "history-link"):
    """{% history_link %} (core.templatetags.history_tags) for live records, with the history
    URL reversed once per model rather than once per record."""
    tracked = tracked_for(obj) if obj is not None else None
    if tracked is None:
        return ""
    meta = tracked.model._meta
    head, tail = _history_url_parts(
        meta.app_label, meta.model_name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
    )
    url = f"{head}{int(getattr(obj, tracked.pk_name))}{tail}"
    return html_format('<a class="{}" href="{}">{}</a>', css_class, url, label)


# --- the compact page's commitment cards, rendered in Python ---------------------------------
#
# A compact has dozens of commitments and a hundred and more milestones; rendered by the
# template engine they were most of the page's time. The markup is the one the template gave
# (tests/compacts/test_compact_page_html.py compares them).


def _record_actions(can_edit: bool, here: str, pk: int, links: list[tuple], history) -> str:
    """The edit links (css class, view name, text, hidden text; for editors only: reversed only
    then) and the history link of the record `pk`."""
    lines = []
    if can_edit:
        for css_class, viewname, text, hidden in links:
            if viewname is None:
                continue
            url = reverse_ids(viewname, pk)
            if css_class:
                opening = html_format('<a class="{}" href="{}?next={}">', css_class, url, here)
            else:
                opening = html_format('<a href="{}?next={}">', url, here)
            lines.append(
                html_format(
                    '{}{}<span class="visually-hidden">{}</span></a>', opening, text, hidden
                )
            )
    lines.append(history)
    return mark_safe("\n".join(lines))


def _milestone_html(milestone, can_edit: bool, here: str) -> str:
    overdue = milestone.overdue
    done = ""
    if milestone.completed_on:
        done = f" · done {day(milestone.completed_on)}"
    evidence = ""
    if milestone.evidence_url:
        evidence = html_format(
            ' · <a href="{}" rel="noopener noreferrer">evidence</a>', milestone.evidence_url
        )
    pk = milestone.pk
    actions = _record_actions(
        can_edit,
        here,
        pk,
        [
            (
                "",
                "compacts:milestone_done" if milestone.status != "done" else None,
                "Mark done",
                f": {milestone.title}",
            ),
            (
                "",
                "compacts:milestone_edit",
                "Edit",
                f" milestone {milestone.title}",
            ),
            (
                "link-danger",
                "compacts:milestone_delete",
                "Delete",
                f" milestone {milestone.title}",
            ),
        ],
        record_history_link(milestone, "History", "link-secondary"),
    )
    return html_format(
        '<li class="milestone{}" id="milestone-{}">\n'
        '<div class="d-flex flex-wrap gap-2 align-items-baseline">\n'
        '<span class="milestone-title">{}</span>\n'
        '<span class="badge {}">{}</span>\n'
        "{}\n"
        "</div>\n"
        '<div class="small text-body-secondary">\n'
        "Due {}{}\n"
        "{}\n"
        "</div>\n"
        '<div class="record-actions">\n'
        "{}\n"
        "</div>\n"
        "</li>",
        " is-overdue" if overdue else "",
        pk,
        milestone.title,
        status_badge(milestone.status),
        milestone.get_status_display(),
        mark_safe('<span class="badge text-bg-danger">Overdue</span>') if overdue else "",
        day(milestone.due_on),
        done,
        evidence,
        actions,
    )


@register.simple_tag
def commitment_cards(commitments, can_edit: bool, here: str) -> str:
    """The <article> of each commitment of a category, with its milestones and actions."""
    cards = []
    for commitment in commitments:
        pk, title = commitment.pk, commitment.title
        facts = [
            html_format("<li>Responsible: {}</li>", commitment.get_responsible_party_display()),
            html_format(
                "<li>Target: {}</li>",
                day(commitment.target_on) if commitment.target_on else "none set",
            ),
        ]
        if commitment.achieved_on:
            facts.append(html_format("<li>Achieved {}</li>", day(commitment.achieved_on)))
        if commitment.page_opt_ins:
            names = ", ".join(str(p.organization.name) for p in commitment.page_opt_ins)
            facts.append(html_format("<li>Opt-in: {}</li>", names))
        if commitment.page_milestones:
            milestones = html_format(
                '<h5 class="visually-hidden">Milestones of {}</h5>\n'
                '<ul class="milestones list-unstyled mb-1">\n{}\n</ul>',
                title,
                mark_safe(
                    "\n".join(
                        _milestone_html(milestone, can_edit, here)
                        for milestone in commitment.page_milestones
                    )
                ),
            )
        else:
            milestones = mark_safe(
                '<p class="small text-body-secondary mb-1">No milestones yet.</p>'
            )
        actions = _record_actions(
            can_edit,
            here,
            pk,
            [
                ("", "compacts:milestone_create", "Add milestone", f" to {title}"),
                ("", "compacts:commitment_edit", "Edit commitment", f" {title}"),
                (
                    "link-danger",
                    "compacts:commitment_delete",
                    "Delete commitment",
                    f" {title}",
                ),
            ],
            record_history_link(commitment, "History of this commitment", "link-secondary"),
        )
        description = ""
        if commitment.description:
            description = html_format('<p class="small mb-1">{}</p>', commitment.description)
        cards.append(
            html_format(
                '<article class="commitment card mb-2" id="commitment-{}" '
                'aria-labelledby="commitment-{}-title">\n'
                '<div class="card-body">\n'
                '<div class="d-flex flex-wrap justify-content-between gap-2">\n'
                '<h4 class="h6 mb-1" id="commitment-{}-title">{}</h4>\n'
                '<span class="badge {}">{}</span>\n'
                "</div>\n"
                "{}\n"
                '<ul class="facts small text-body-secondary">\n{}\n</ul>\n'
                "{}\n"
                '<div class="record-actions commitment-actions">\n{}\n</div>\n'
                "</div>\n"
                "</article>",
                pk,
                pk,
                pk,
                title,
                status_badge(commitment.status),
                commitment.get_status_display(),
                description,
                mark_safe("\n".join(facts)),
                milestones,
                actions,
            )
        )
    return mark_safe("\n".join(cards))
