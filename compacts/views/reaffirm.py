"""Record that a signer's successor publicly recommitted to the compact (a re-affirmation).

Reached from a departed signatory on the compact page; the successor is whoever holds that
signatory's seat now, so the editor only says when and where it was documented.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from accounts.scope import require_editor
from compacts import selectors, services
from compacts.forms import ReaffirmationForm
from compacts.views.records import _compact_url, _render_form, _safe_next
from core.form_helpers import add_service_errors
from schools.choices import role_in_sentence


@require_http_methods(["GET", "POST"])
def signatory_reaffirm(request, pk: int):
    signatory = selectors.signatory_get(user=request.user, pk=pk)
    compact = signatory.compact
    require_editor(request.user, compact.city_id)
    seat = signatory.leadership_term
    holder = services.seat_holder_term(organization_id=seat.organization_id, role=seat.role)
    # No date is suggested: a pre-filled "today" is saved unread when the recommitment is old.
    form = ReaffirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reaffirmation = services.signatory_reaffirm(
                signatory=signatory, **form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Re-affirmation recorded: {reaffirmation.leadership_term.person} recommitted to "
                f"{compact.title}.",
            )
            return redirect(_safe_next(request) or _compact_url(compact))
    role = role_in_sentence(seat.role)
    if holder is None:
        intro = (
            f"Nobody is recorded in post as {role} of {seat.organization}: record who holds the "
            "seat with a leadership change, then their re-affirmation."
        )
    else:
        intro = (
            f"{seat.person} signed as {role} of {seat.organization}. Record here that "
            f"{holder.person}, who holds the seat now, publicly recommitted to the compact: the "
            "seat then counts as held for signatory retention."
        )
    return _render_form(
        request,
        form=form,
        title=f"Record a re-affirmation of {compact.title}",
        compact=compact,
        submit="Record the re-affirmation",
        seat_state={"holder": holder},
        intro=intro,
    )
