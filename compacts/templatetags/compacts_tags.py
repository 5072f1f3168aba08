"""Template helpers of the compact page and the staff forms. No markup: the page's cards are
templates (templates/compacts/_*.html, and the commitment cards templates/jinja2/compacts/
commitment_groups.jinja); dates and status badges come from `{% load formats %}`."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.safestring import mark_safe

from core.lists import reverse_ids
from history.records import tracked_for

register = template.Library()


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
def label(record, field_name: str) -> str:
    """`{{ milestone|label:"status" }}`: what `milestone.get_status_display` says, from a dict
    made once per field; get_<field>_display makes it again at each call, and an uncached
    compact page asks about 170 times."""
    value = getattr(record, field_name)
    return force_str(_choice_labels(type(record), field_name).get(value, value), strings_only=True)


@lru_cache(maxsize=64)
def _choice_labels(model, field_name: str) -> dict:
    # The labels stay lazy: each call words them in the language of its request.
    return dict(model._meta.get_field(field_name).flatchoices)


@register.filter
def stored_for(conflict, field_name: str):
    """The stored value of a field in an edit conflict, when it differs from the user's input."""
    if not conflict:
        return None
    return conflict.stored.get(field_name)


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


@register.filter
def history_url(obj) -> str:
    """The history page of a live record ("" for one that keeps no history), reversed once per
    model rather than once per record: the compact page links a hundred and more."""
    tracked = tracked_for(obj) if obj is not None else None
    if tracked is None:
        return ""
    meta = tracked.model._meta
    head, tail = _history_url_parts(
        meta.app_label, meta.model_name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
    )
    return f"{head}{int(getattr(obj, tracked.pk_name))}{tail}"


@register.simple_tag(takes_context=True)
def commitment_groups(context, groups) -> str:
    """`{% commitment_groups page.commitment_groups %}`: the compact page's commitments by
    category, each a card with its milestones, drawn by their Jinja2 template (its header says
    why) in one render, with the page's right to edit and the address its edit links return
    to."""
    template = get_template("compacts/commitment_groups.jinja", using="jinja2")
    cards = template.render(
        {
            "groups": groups,
            "can_edit": context.get("can_edit", False),
            "here": context.get("here", ""),
            "history_url": history_url,
        }
    )
    # The template's own output: Jinja2 escaped every value in it.
    return mark_safe(cards)
