"""History pages: a record's versions, undo (restore, revert) and a city's recent changes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scope import require_reader
from core.lists import page_number
from history.forms import CityChangesFilterForm
from history.records import (
    REGISTRY,
    RecordState,
    Tracked,
    change_authors,
    changes_union,
    city_change_sets,
    history_url,
    record_city,
    record_label,
    record_state,
    record_versions,
    require_history_editor,
    require_history_reader,
    tracked_for,
    trackeds_for,
    versions_for_page,
)
from history.undo import (
    UndoRefused,
    record_restore,
    record_revert,
    restore_plan,
    revert_changes,
    revert_refusal,
)
from schools.models import City, Organization

VERSIONS_PER_PAGE = 50


def _tracked_or_404(app_label: str, model: str) -> Tracked:
    tracked = tracked_for(f"{app_label}.{model}")
    if tracked is None:
        raise Http404("No history is kept for this kind of record.")
    return tracked


def _specific_kind(tracked: Tracked, pk: int) -> Tracked | None:
    """The district, school or network an organization is, so its history is shown as such."""
    if tracked.model is not Organization:
        return None
    for child in REGISTRY:
        if child.model is not Organization and issubclass(child.model, Organization):
            history = child.history_model.objects.filter(**{child.pk_name: pk})
            if child.model._default_manager.filter(pk=pk).exists() or history.exists():
                return child
    return None


def _state_for(app_label: str, model: str, pk: int) -> tuple[Tracked, RecordState, bool]:
    """The record's state, and whether it is really a more specific kind of organization."""
    tracked = _tracked_or_404(app_label, model)
    specific = _specific_kind(tracked, pk)
    if specific is not None:
        return specific, record_state(specific, pk), True
    return tracked, record_state(tracked, pk), False


def _may_change(user, state: RecordState) -> bool:
    try:
        require_history_editor(user, state)
    except (Http404, PermissionDenied):
        return False
    return True


def _record_page_url(state: RecordState) -> str | None:
    """The record's own page when it has one."""
    if state.live is None:
        return None
    if hasattr(state.live, "get_absolute_url"):
        return state.live.get_absolute_url()
    compact_id = getattr(state.live, "compact_id", None)
    if compact_id is None and getattr(state.live, "commitment_id", None) is not None:
        compact_id = state.live.commitment.compact_id
    if state.tracked.model._meta.model_name == "compact":
        compact_id = state.pk
    if compact_id is None:
        return None
    try:
        return reverse("compacts:compact", kwargs={"pk": compact_id})
    except NoReverseMatch:
        return None


@require_GET
def history(request, app_label: str, model: str, pk: int):
    """Every version of one record, newest first, with its changes in words."""
    tracked, state, redirected = _state_for(app_label, model, pk)
    require_history_reader(request.user, state)
    if redirected:
        return redirect(history_url(state.latest or state.live))
    page = page_number(request.GET.get("page"))
    versions, has_older = record_versions(state, (page - 1) * VERSIONS_PER_PAGE, VERSIONS_PER_PAGE)
    if not versions and page > 1:
        # Past the end: the last page, as the lists answer.
        count = tracked.history_model.objects.filter(**{tracked.pk_name: state.pk}).count()
        page = max(1, -(-count // VERSIONS_PER_PAGE))
        versions, has_older = record_versions(
            state, (page - 1) * VERSIONS_PER_PAGE, VERSIONS_PER_PAGE
        )
    return render(
        request,
        "history/record_history.html",
        {
            "tracked": tracked,
            "state": state,
            "record_label": record_label(state),
            "versions": versions,
            "page": page,
            "has_older": has_older,
            "can_change": _may_change(request.user, state),
            "city": record_city(state),
            "record_url": _record_page_url(state),
            "history_url": history_url(state.latest or state.live),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def history_restore(request, app_label: str, model: str, pk: int):
    """Confirm (GET) and restore (POST) a deleted record with what was deleted with it."""
    tracked, state, _redirected = _state_for(app_label, model, pk)
    require_history_editor(request.user, state)
    back = history_url(state.latest or state.live)
    if request.method == "POST":
        try:
            outcome = record_restore(state=state, actor=request.user)
        except UndoRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(back)
        messages.success(request, f"Restored {outcome.summary()}.")
        if outcome.not_restored:
            messages.warning(request, outcome.not_restored_text())
        if outcome.notes:
            messages.info(request, outcome.notes_text())
        return redirect(back)
    plan = None
    refusal = None
    try:
        plan = restore_plan(state, request.user)
    except UndoRefused as error:
        refusal = str(error)
    return render(
        request,
        "history/restore_confirm.html",
        {
            "tracked": tracked,
            "state": state,
            "record_label": record_label(state),
            "plan": plan,
            "refusal": refusal,
            "history_url": back,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def history_revert(request, app_label: str, model: str, pk: int, history_id: int):
    """Confirm (GET) and apply (POST) the values of an earlier version of a record."""
    tracked, state, redirected = _state_for(app_label, model, pk)
    require_history_editor(request.user, state)
    back = history_url(state.latest or state.live)
    if redirected:
        return redirect(back)
    version = get_object_or_404(
        tracked.history_model.objects.select_related("history_user"),
        history_id=history_id,
        **{tracked.pk_name: pk},
    )
    if request.method == "POST":
        try:
            outcome = record_revert(state=state, version=version, actor=request.user)
        except UndoRefused as refusal:
            messages.error(request, str(refusal))
            return redirect(back)
        messages.success(request, f"Reverted {outcome.summary()} to an earlier version.")
        if outcome.not_restored:
            messages.warning(request, outcome.not_restored_text())
        return redirect(back)
    return render(
        request,
        "history/revert_confirm.html",
        {
            "tracked": tracked,
            "state": state,
            "record_label": record_label(state),
            "version": version,
            "changes": revert_changes(state, version),
            "refusal": revert_refusal(state=state, version=version, user=request.user),
            "history_url": back,
        },
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@require_GET
def city_changes(request, slug: str):
    """Recent changes to a city's records across all kinds, filterable by author, kind and date."""
    city = get_object_or_404(City, slug=slug)
    require_reader(request.user, city.pk)
    trackeds = trackeds_for(request.user)
    form = CityChangesFilterForm(
        request.GET or None,
        authors=change_authors(city_change_sets(city, trackeds)),
        trackeds=trackeds,
    )
    filters = {}
    if form.is_bound:
        form.is_valid()
        filters = form.cleaned_data
    if filters.get("model"):
        trackeds = [tracked_for(filters["model"])]
    after, before = filters.get("changed_after"), filters.get("changed_before")
    change_sets = city_change_sets(
        city,
        trackeds,
        user_id=filters.get("user"),
        since=_day_start(after) if after else None,
        until=_day_start(before + datetime.timedelta(days=1)) if before else None,
    )
    paginator = Paginator(changes_union(change_sets), settings.LIST_PAGE_SIZE)
    page = paginator.get_page(page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "history/city_changes.html",
        {
            "city": city,
            "form": form,
            "page_obj": page,
            "versions": versions_for_page(list(page.object_list)),
            "query": query.urlencode(),
        },
    )
