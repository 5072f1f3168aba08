"""The compact page and the staff forms.

Thin views: scope (selectors, accounts.scope) -> form -> service -> message -> redirect to a safe
`next` or the compact page. The shared steps live in the helpers at the top; each view names its
record, its form and its service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scope import (
    can_edit,
    can_edit_seat,
    can_read,
    can_read_seat,
    can_rename_person,
    editable_cities,
    require_editor,
)
from compacts import page_cache, selectors, services
from compacts.forms import (
    ActivityForm,
    CommitmentForm,
    CompactCreateForm,
    CompactForm,
    GrantForm,
    MilestoneDoneForm,
    MilestoneForm,
    ParticipantForm,
    SignatoryForm,
)
from compacts.services import DeletionRefused
from core.concurrency import StaleVersion, loaded_version, version_token
from core.deletion import describe_dependents
from core.form_helpers import add_service_errors
from core.formats import date_text
from core.ids import parse_id
from schools.choices import LeadershipRole, role_in_sentence
from schools.forms import LeadershipChangeForm, LeadershipTermForm, seat_organizations
from schools.models import LeadershipTerm
from schools.selectors import leadership_term_get
from schools.services import leadership_change as leadership_change_service
from schools.services import leadership_departure, leadership_term_correct

FORM_TEMPLATE = "compacts/record_form.html"
DELETE_TEMPLATE = "compacts/record_delete.html"


# --- shared steps ---


def _safe_next(request: HttpRequest) -> str:
    """The `next` the request carries, if it stays on this site; "" otherwise."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _compact_url(compact) -> str:
    return reverse("compacts:compact", kwargs={"pk": compact.pk})


def _day(value) -> str:
    return date_text(value)


def _back_to(request: HttpRequest, compact, anchor: str = "") -> str:
    """Where a saved record goes: a safe `next`, else the compact page; at `anchor` (the record's
    section) when that is the compact page, so a long page opens at what was just saved."""
    page, next_url = _compact_url(compact), _safe_next(request)
    if anchor and next_url.split("?", 1)[0] == page and "#" not in next_url:
        return next_url + anchor
    return next_url or page + anchor


def _render_form(request, *, form, title, compact=None, submit="Save", status=200, **extra):
    context = {
        "form": form,
        "title": title,
        "compact": compact,
        "submit_label": submit,
        "next": _safe_next(request),
        "cancel_url": _safe_next(request) or (_compact_url(compact) if compact else "/"),
        **extra,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


def _create(
    request, *, compact, form, create, noun: str, title: str, anchor: str = ""
) -> HttpResponse:
    """Bind, validate, hand cleaned_data to the create service, confirm and go back."""
    if request.method == "POST" and form.is_valid():
        try:
            record = create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{capfirst(noun)} “{record}” recorded.")
            return redirect(_back_to(request, compact, anchor))
    return _render_form(request, form=form, title=title, compact=compact, submit=f"Add {noun}")


@dataclass
class StoredValue:
    """A field's stored value in an edit conflict: shown to the user, and (raw) loadable into
    the input with one click."""

    display: str
    raw: str | None


@dataclass
class Conflict:
    """Someone saved the record after this form loaded it."""

    changed_by: object
    changed_at: object
    stored: dict[str, StoredValue] = field(default_factory=dict)


def _display(record: models.Model, name: str, form_field) -> str:
    """A stored value in words, labelled the way the form labels its choices."""
    model_field = record._meta.get_field(name)
    label = getattr(form_field, "label_from_instance", str)
    if model_field.many_to_many:
        return ", ".join(label(obj) for obj in getattr(record, name).all()) or "none"
    if model_field.choices:
        return getattr(record, f"get_{name}_display")() or "(empty)"
    value = getattr(record, name)
    if model_field.is_relation:
        return label(value) if value is not None else "(empty)"
    if value in (None, ""):
        return "(empty)"
    if hasattr(value, "year") and not hasattr(value, "hour"):
        return _day(value)
    return str(value)


def _conflict(form_factory, current: models.Model, stale: StaleVersion, data) -> tuple:
    """Re-bind the user's input with the current version token, and list the stored values of
    the fields that the other save changed and where the user's input now differs.

    Fields are compared with the history row of the version the form loaded; when that row is
    missing (or for many-to-many fields, which history does not keep), every field where the
    input differs from what is stored is listed.
    """
    loaded = loaded_version(current, data.get("version"))
    model_fields = {f.name for f in current._meta.get_fields()}
    # Fields that are not the record's own (a term's person name) are kept as typed, unlisted.
    fields = {
        name: f for name, f in form_factory(None, current).fields.items() if name in model_fields
    }
    changed_meanwhile = set()
    for name in fields:
        model_field = current._meta.get_field(name)
        if (
            loaded is None
            or model_field.many_to_many
            or getattr(loaded, model_field.attname) != getattr(current, model_field.attname)
        ):
            changed_meanwhile.add(name)
    stored_initial = {
        name: [obj.pk for obj in getattr(current, name).all()]
        if current._meta.get_field(name).many_to_many
        else current.serializable_value(name)
        for name in changed_meanwhile
    }
    displays = {name: _display(current, name, fields[name]) for name in stored_initial}
    data = data.copy()
    data["version"] = version_token(current)
    form = form_factory(data, current)
    form.is_valid()
    conflict = Conflict(changed_by=stale.changed_by, changed_at=stale.changed_at)
    for name, initial in stored_initial.items():
        form_field = form.fields[name]
        if form_field.has_changed(initial, form[name].data):
            raw = None if isinstance(initial, list) else form_field.prepare_value(initial)
            conflict.stored[name] = StoredValue(
                display=displays[name], raw=None if raw is None else str(raw)
            )
    return form, conflict


def _edit(
    request,
    *,
    record,
    compact,
    form_factory,
    update,
    noun: str,
    title: str,
    submit="Save",
    done_url: str = "",
    context: dict | None = None,
    done_verb: str = "saved",
    anchor: str = "",
):
    """Bind, validate and hand cleaned_data to the update service with the loaded version; on a
    concurrent change show the conflict, keep the input and carry the new version. Success goes
    to a safe `next`, else `done_url`, else the compact page."""
    done_url = done_url or _compact_url(compact) + anchor
    extra = {} if compact else {"cancel_url": _safe_next(request) or done_url}
    extra.update(context or {})
    form = form_factory(request.POST if request.method == "POST" else None, record)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            saved = update(data=data, expected_version=version)
        except StaleVersion as stale:
            if stale.current is None:
                messages.error(
                    request,
                    f"This {noun} was deleted while you were editing it; nothing was saved.",
                )
                return redirect(done_url)
            form, conflict = _conflict(form_factory, stale.current, stale, request.POST)
            return _render_form(
                request,
                form=form,
                title=title,
                compact=compact,
                submit="Save my version",
                status=409,
                conflict=conflict,
                noun=noun,
                record=stale.current,
                **extra,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if version_token(saved) == version:
                # The service wrote nothing (compacts.services._update): say so (phone review).
                messages.info(request, f"Nothing changed: {noun} “{saved}” is as it was.")
            else:
                messages.success(request, f"{capfirst(noun)} “{saved}” {done_verb}.")
            if anchor:
                return redirect(_back_to(request, compact, anchor))
            return redirect(_safe_next(request) or done_url)
    return _render_form(
        request, form=form, title=title, compact=compact, submit=submit, record=record, **extra
    )


def _delete(request, *, record, compact, delete, noun: str, default_next: str, avoid_prefix=""):
    """GET: what would go with the record; POST: delete it, or refuse naming what depends."""
    label = str(record)
    if request.method == "POST":
        try:
            delete(actor=request.user)
        except DeletionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{capfirst(noun)} “{label}” deleted.")
            next_url = _safe_next(request)
            if avoid_prefix and next_url.startswith(avoid_prefix):
                next_url = ""
            return redirect(next_url or default_next)
    plan = describe_dependents(record)
    context = {
        "record": record,
        "label": label,
        "noun": noun,
        "plan": plan,
        "refusal": plan.refusal_message(record) if plan.is_blocked else "",
        "compact": compact,
        "next": _safe_next(request),
        "cancel_url": _safe_next(request) or _compact_url(compact),
    }
    return render(request, DELETE_TEMPLATE, context, status=409 if plan.is_blocked else 200)


def _form_factory(form_class, **kwargs):
    """A callable (data, instance) -> bound or unbound edit form, as _edit and _conflict need."""

    def build(data, instance):
        return form_class(data, instance=instance, **kwargs)

    return build


# --- the compact page ---


@require_GET
def compact_detail(request, pk: int):
    seconds = page_cache.fragment_seconds()
    page = selectors.compact_page(user=request.user, pk=pk, versioned=bool(seconds))
    editor = can_edit(request.user, page.compact.city_id)
    here = quote(request.get_full_path(), safe="/")
    context = {
        "page": page,
        "compact": page.compact,
        "can_edit": editor,
        "here": here,
        "activities_url": f"/activities/?compact={page.compact.pk}",
        # The fragment (compacts.page_cache) differs by the right to edit and, for editors only,
        # by the address their edit links return to.
        "fragment_seconds": seconds,
        "page_version": page_cache.page_version(page) if seconds else "",
        "fragment_here": here if editor else "",
    }
    return render(request, "compacts/compact_detail.html", context)


# --- the records: each kind is a configuration of the shared views ---


@dataclass(frozen=True)
class RecordKind:
    """How the shared create / edit / delete views handle one kind of record.

    get: the scoped getter (compacts.selectors); compact_of: the compact a record belongs to;
    form_class takes the parent as `form_arg` ("compact" or "commitment"); update and delete are
    the services, which take the record as `noun`.
    """

    noun: str
    get: object
    compact_of: object
    form_class: type
    form_arg: str
    update: object
    delete: object
    edit_title: object
    create: object = None
    create_title: object = None
    parent_get: object = None  # the scoped getter of the parent a new record is created under
    create_initial: object = None
    anchor: str = ""  # the record's section of the compact page, where a save returns to
    # The form's choices depend on the user (accounts.scope.choosable_*): it takes `user`.
    user_scoped: bool = False


def _user_kwargs(kind: RecordKind, request) -> dict:
    return {"user": request.user} if kind.user_scoped else {}


def _parent_of(kind: RecordKind, record):
    return getattr(record, kind.form_arg)


def create_view(kind: RecordKind):
    @require_http_methods(["GET", "POST"])
    def view(request, parent_id: int):
        parent = kind.parent_get(user=request.user, pk=parent_id)
        compact = parent if kind.form_arg == "compact" else parent.compact
        require_editor(request.user, compact.city_id)
        form = kind.form_class(
            request.POST if request.method == "POST" else None,
            initial=kind.create_initial(parent) if kind.create_initial else None,
            **{kind.form_arg: parent},
            **_user_kwargs(kind, request),
        )
        return _create(
            request,
            compact=compact,
            form=form,
            create=partial(kind.create, **{kind.form_arg: parent}),
            noun=kind.noun,
            title=kind.create_title(parent),
            anchor=kind.anchor,
        )

    view.__name__ = f"{kind.noun}_create"
    return view


def edit_view(kind: RecordKind):
    @require_http_methods(["GET", "POST"])
    def view(request, pk: int):
        record = kind.get(user=request.user, pk=pk)
        compact = kind.compact_of(record)
        require_editor(request.user, compact.city_id)
        form_kwargs = {} if kind.form_arg == "self" else {kind.form_arg: _parent_of(kind, record)}
        form_kwargs.update(_user_kwargs(kind, request))
        return _edit(
            request,
            record=record,
            compact=compact,
            form_factory=_form_factory(kind.form_class, **form_kwargs),
            update=partial(kind.update, **{kind.noun: record}, actor=request.user),
            noun=kind.noun,
            title=kind.edit_title(record),
            anchor=kind.anchor,
        )

    view.__name__ = f"{kind.noun}_edit"
    return view


def delete_view(kind: RecordKind):
    @require_http_methods(["GET", "POST"])
    def view(request, pk: int):
        record = kind.get(user=request.user, pk=pk)
        compact = kind.compact_of(record)
        require_editor(request.user, compact.city_id)
        if record is compact:
            # A deleted compact's page is gone: go back to its city.
            default_next, avoid_prefix = f"/cities/{compact.city.slug}/", _compact_url(compact)
        else:
            default_next, avoid_prefix = _compact_url(compact), ""
        return _delete(
            request,
            record=record,
            compact=compact,
            delete=partial(kind.delete, **{kind.noun: record}),
            noun=kind.noun,
            default_next=default_next,
            avoid_prefix=avoid_prefix,
        )

    view.__name__ = f"{kind.noun}_delete"
    return view


def _compact(record):
    return record.compact


COMPACT = RecordKind(
    noun="compact",
    get=selectors.compact_get,
    compact_of=lambda compact: compact,
    form_class=CompactForm,
    form_arg="self",
    update=services.compact_update,
    delete=services.compact_delete,
    edit_title=lambda compact: f"Edit compact: {compact.title}",
)
SIGNATORY = RecordKind(
    noun="signatory",
    get=selectors.signatory_get,
    compact_of=_compact,
    form_class=SignatoryForm,
    form_arg="compact",
    update=services.signatory_update,
    delete=services.signatory_delete,
    edit_title=lambda signatory: f"Edit signatory of {signatory.compact.title}",
    create=services.signatory_create,
    user_scoped=True,
    create_title=lambda compact: f"Add a signatory to {compact.title}",
    parent_get=selectors.compact_get,
)
PARTICIPANT = RecordKind(
    noun="participant",
    get=selectors.participant_get,
    compact_of=_compact,
    form_class=ParticipantForm,
    form_arg="compact",
    update=services.participant_update,
    delete=services.participant_delete,
    edit_title=lambda participant: f"Edit participant: {participant.organization}",
    create=services.participant_create,
    user_scoped=True,
    create_title=lambda compact: f"Add a participant to {compact.title}",
    parent_get=selectors.compact_get,
    create_initial=lambda compact: {"joined_on": compact.signed_on},
)
COMMITMENT = RecordKind(
    noun="commitment",
    get=selectors.commitment_get,
    compact_of=_compact,
    form_class=CommitmentForm,
    form_arg="compact",
    update=services.commitment_update,
    delete=services.commitment_delete,
    edit_title=lambda commitment: f"Edit commitment: {commitment.title}",
    create=services.commitment_create,
    create_title=lambda compact: f"Add a commitment to {compact.title}",
    parent_get=selectors.compact_get,
)
MILESTONE = RecordKind(
    noun="milestone",
    get=selectors.milestone_get,
    compact_of=lambda milestone: milestone.commitment.compact,
    form_class=MilestoneForm,
    form_arg="commitment",
    update=services.milestone_update,
    delete=services.milestone_delete,
    edit_title=lambda milestone: f"Edit milestone: {milestone.title}",
    create=services.milestone_create,
    create_title=lambda commitment: f"Add a milestone to “{commitment.title}”",
    parent_get=selectors.commitment_get,
)
ACTIVITY = RecordKind(
    noun="activity",
    get=selectors.activity_get,
    compact_of=_compact,
    form_class=ActivityForm,
    form_arg="compact",
    update=services.activity_update,
    delete=services.activity_delete,
    edit_title=lambda activity: f"Edit activity: {activity.title}",
    create=services.activity_create,
    create_title=lambda compact: f"Log an activity of {compact.title}",
    parent_get=selectors.compact_get,
    # "Mark done" defaults to today; so does the day of an activity logged.
    create_initial=lambda compact: {"occurred_on": timezone.localdate()},
    anchor="#activities",
)
GRANT = RecordKind(
    noun="grant",
    get=selectors.grant_get,
    compact_of=_compact,
    form_class=GrantForm,
    form_arg="compact",
    update=services.grant_update,
    delete=services.grant_delete,
    edit_title=lambda grant: f"Edit grant from {grant.funder}",
    create=services.grant_create,
    user_scoped=True,
    create_title=lambda compact: f"Record a grant to {compact.title}",
    parent_get=selectors.compact_get,
)

compact_edit, compact_delete = edit_view(COMPACT), delete_view(COMPACT)
signatory_create, signatory_edit, signatory_delete = (
    create_view(SIGNATORY),
    edit_view(SIGNATORY),
    delete_view(SIGNATORY),
)
participant_create, participant_edit, participant_delete = (
    create_view(PARTICIPANT),
    edit_view(PARTICIPANT),
    delete_view(PARTICIPANT),
)
commitment_create, commitment_edit, commitment_delete = (
    create_view(COMMITMENT),
    edit_view(COMMITMENT),
    delete_view(COMMITMENT),
)
milestone_create, milestone_edit, milestone_delete = (
    create_view(MILESTONE),
    edit_view(MILESTONE),
    delete_view(MILESTONE),
)
activity_create, activity_edit, activity_delete = (
    create_view(ACTIVITY),
    edit_view(ACTIVITY),
    delete_view(ACTIVITY),
)
grant_create, grant_edit, grant_delete = (
    create_view(GRANT),
    edit_view(GRANT),
    delete_view(GRANT),
)


@require_http_methods(["GET", "POST"])
def compact_create(request):
    """A new compact in one of the cities the user edits (?city=<slug> preselects one)."""
    if not editable_cities(request.user).exists():
        raise PermissionDenied("You do not edit any city.")
    initial = {}
    if slug := request.GET.get("city"):
        initial["city"] = editable_cities(request.user).filter(slug=slug).first()
    form = CompactCreateForm(
        request.POST if request.method == "POST" else None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        require_editor(request.user, form.cleaned_data["city"].pk)
        try:
            compact = services.compact_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Compact “{compact.title}” recorded.")
            return redirect(_compact_url(compact))
    return _render_form(request, form=form, title="New compact", submit="Add compact")


@require_http_methods(["GET", "POST"])
def milestone_done(request, pk: int):
    """The one-step "mark done": completion date and evidence."""
    milestone = selectors.milestone_get(user=request.user, pk=pk)
    compact = milestone.commitment.compact
    require_editor(request.user, compact.city_id)

    def mark_done(*, data, expected_version):
        return services.milestone_mark_done(
            milestone=milestone, actor=request.user, expected_version=expected_version, **data
        )

    return _edit(
        request,
        record=milestone,
        compact=compact,
        form_factory=_form_factory(MilestoneDoneForm),
        update=mark_done,
        noun="milestone",
        title=f"Mark done: {milestone.title}",
        submit="Mark done",
        done_verb="marked done",
        # Back to the milestone, not the top of a long compact page (phone review).
        anchor=f"#milestone-{milestone.pk}",
    )


# --- leadership: changes, departures, who holds a seat, term corrections ---


def _seat_state(user, organization, role: str) -> dict:
    """What the form says about the seat (organization, role): who holds it now, or since when
    it is vacant; and whether the user may record a change there. Empty for a seat the user
    cannot read."""
    if organization is None or role not in LeadershipRole.values:
        return {}
    if not can_read_seat(user, organization, role):
        return {}
    terms = LeadershipTerm.objects.filter(organization=organization, role=role)
    holder = (
        terms.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate()))
        .select_related("person")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on")
        .first()
    )
    last = None if holder else terms.select_related("person").order_by("-ended_on").first()
    return {
        "holder": holder,
        "vacant_seat": None if holder else organization,
        "vacant_role": role_in_sentence(role),
        "vacant_since": last.ended_on if last else None,
        "vacant_since_precision": last.date_precision if last else "day",
        "seat_locked": not can_edit_seat(user, organization, role),
    }


def _prefilled_seat(params, user) -> tuple[dict, dict]:
    """Initial values from `params` (a GET's ?organization=<id>&role=<role>, or the input of a
    "Show current holder" submit), the organization ignored unless the user may choose it, and
    the seat's state (_seat_state)."""
    fields = LeadershipChangeForm.base_fields
    initial = {name: params.get(name) for name in fields if params.get(name)}
    organization = None
    organization_id, role = params.get("organization", ""), params.get("role", "")
    initial.pop("organization", None)
    if parse_id(organization_id) is not None:
        organization = seat_organizations(user).filter(pk=organization_id).first()
        if organization is not None:
            initial["organization"] = organization
    if role not in LeadershipRole.values:
        initial.pop("role", None)
    seat = _seat_state(user, organization, role)
    if seat.get("vacant_seat"):
        # A last day typed before choosing a vacant seat belongs to no term: the form then asks
        # only for the new leader.
        initial.pop("last_day", None)
        initial.pop("end_reason", None)
    return initial, seat


def _visible_titles(user, compacts) -> str:
    return ", ".join(c.title for c in compacts if can_read(user, c.city_id))


def _change_message(user, change) -> str:
    closed, new = change.closed_term, change.new_term
    # An announced departure (a last day still ahead) is told in the future tense.
    ahead = closed is not None and closed.ended_on > timezone.localdate()
    leaves = "leaves" if ahead else "left"
    if new is None:
        message = (
            f"Departure recorded: {closed.person} {leaves} as {role_in_sentence(closed.role)} of "
            f"{closed.organization} on {_day(closed.ended_on)}. The seat "
            f"{'will be' if ahead else 'is'} vacant from then until a successor is recorded."
        )
    elif closed is None:
        message = (
            f"The seat was vacant: nobody was recorded in post as "
            f"{role_in_sentence(new.role)} of {new.organization}, so no term was closed. "
            f"{new.person} is recorded in the seat from {_day(new.started_on)}."
        )
    else:
        message = (
            f"Leadership change recorded: {closed.person} {leaves} as "
            f"{role_in_sentence(closed.role)} of {closed.organization} on "
            f"{_day(closed.ended_on)}; {new.person} "
            f"{'takes' if new.started_on > timezone.localdate() else 'took'} over on "
            f"{_day(new.started_on)}."
        )
    if closed is not None:
        titles = _visible_titles(user, change.compacts_losing_signatory)
        if titles:
            lose = "will lose" if ahead else "lost"
            message += f" Compacts that {lose} a signatory still in post: {titles}."
        else:
            message += " No compact had this leader as a signatory."
    if change.new_person:
        message += f" A new person record was created for {new.person}."
    return message


LEADERSHIP_INTRO = (
    "One leader leaves a seat and a successor takes it: both are recorded together, or neither. "
    "While the search for a successor is under way, leave the successor empty: the seat is "
    "recorded as vacant. At a vacant seat, leave the last day and the reason empty: the new "
    "leader is recorded alone."
)
NEW_LEADER_INTRO = (
    "Nobody holds this seat, so there is no term to close: record who holds it now, from their "
    "first day."
)


def _record_change(request, form) -> HttpResponse | None:
    """Hand a valid form to the departure or change service; the redirect, or None with the
    service's errors on the form."""
    data = dict(form.cleaned_data)
    data.pop("successor_person", None)
    try:
        if form.is_departure:
            change = leadership_departure(
                organization=data["organization"],
                role=data["role"],
                last_day=data["last_day"],
                end_reason=data["end_reason"],
                actor=request.user,
            )
        else:
            change = leadership_change_service(**data, actor=request.user)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _change_message(request.user, change))
    organization_id = (change.closed_term or change.new_term).organization_id
    return redirect(_safe_next(request) or f"/leadership/?organization={organization_id}")


@require_http_methods(["GET", "POST"])
def leadership_change(request):
    if not editable_cities(request.user).exists():
        raise PermissionDenied("You do not edit any city.")
    seat: dict = {}
    if request.method == "POST" and "show_holder" not in request.POST:
        form = LeadershipChangeForm(request.POST, user=request.user)
        if form.is_valid():
            done = _record_change(request, form)
            if done is not None:
                return done
        seat = _seat_state(
            request.user, form.cleaned_data.get("organization"), form.cleaned_data.get("role")
        )
    else:
        # A GET, or "Show current holder" without JavaScript: the input comes back unsaved,
        # with the seat's holder.
        initial, seat = _prefilled_seat(request.POST or request.GET, request.user)
        form = LeadershipChangeForm(user=request.user, initial=initial)
    return _render_form(
        request,
        form=form,
        title="Record the new leader" if form.new_leader_only else "Record a leadership change",
        submit="Record the new leader" if form.new_leader_only else "Record the change",
        seat_state=seat,
        seat_url=reverse("compacts:leadership_seat"),
        intro=NEW_LEADER_INTRO if form.new_leader_only else LEADERSHIP_INTRO,
    )


@require_GET
def leadership_seat(request):
    """Who holds the seat ?organization=<id>&role=<role> now: the fragment the leadership
    change form shows as soon as both are chosen (static/js/leadership.js)."""
    if not editable_cities(request.user).exists():
        raise PermissionDenied("You do not edit any city.")
    organization_id, role = request.GET.get("organization", ""), request.GET.get("role", "")
    organization = None
    if parse_id(organization_id) is not None:
        organization = seat_organizations(request.user).filter(pk=organization_id).first()
    seat = _seat_state(request.user, organization, role)
    if organization_id and not seat and role in LeadershipRole.values:
        raise Http404("No such seat.")
    return render(request, "compacts/_seat_state.html", {"seat_state": seat})


@require_http_methods(["GET", "POST"])
def term_edit(request, pk: int):
    """Correct a leadership term (dates, title, end reason, source, the person's name)."""
    term = leadership_term_get(user=request.user, pk=pk)
    if term.organization.city_id is not None:
        require_editor(request.user, term.organization.city_id)
    elif not can_edit_seat(request.user, term.organization, term.role):
        raise PermissionDenied(
            "This seat also signed compacts of cities you do not edit: an administrator, or an "
            "editor of all of them, corrects its terms."
        )
    done_url = f"/leadership/?organization={term.organization_id}"
    return _edit(
        request,
        record=term,
        compact=None,
        form_factory=_form_factory(
            LeadershipTermForm, may_rename=can_rename_person(request.user, term.person)
        ),
        update=partial(leadership_term_correct, term=term, actor=request.user),
        noun="leadership term",
        title=f"Correct a term: {term}",
        done_url=done_url,
    )
