"""Writes through the pages' own forms and services (compacts.views.records' RecordKind): the
same choices limited to the city, the same validation, history and version check.

A JSON body becomes form data: scalars as the text a browser would send, lists kept for
multiple choices. A new record starts from what the empty create form shows (the model's
defaults), a change (PATCH) from the record as the edit form shows it; the given fields are laid
over it, so that leaving a field out keeps what the page would have sent.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.http import Http404
from django.http.request import QueryDict
from django.utils.datastructures import MultiValueDict
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from accounts.scope import require_editor
from core.concurrency import StaleVersion
from core.ids import parse_id


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def form_data(data) -> dict:
    """Request data (a JSON object, or a form's QueryDict) as a form's data."""
    if isinstance(data, QueryDict):
        return {key: data.getlist(key) if len(data.getlist(key)) > 1 else data[key] for key in data}
    if not isinstance(data, dict):
        raise ApiValidationError({"non_field_errors": ["Send a JSON object."]})
    return {
        key: [_as_text(item) for item in value] if isinstance(value, list) else _as_text(value)
        for key, value in data.items()
    }


def bound(data: dict) -> MultiValueDict:
    """Form data as a browser's: one value, or several for a multiple choice (a single
    participant sent as a form field, or a JSON scalar, is a list of one)."""
    return MultiValueDict(
        {key: value if isinstance(value, list) else [value] for key, value in data.items()}
    )


def _current_data(form) -> dict:
    """The data an unbound edit form shows: what the record holds now."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = [_as_text(v) for v in value] if isinstance(value, list) else _as_text(value)
    return data


def form_errors(form) -> dict:
    return {
        ("non_field_errors" if name == "__all__" else name): [error["message"] for error in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def service_errors(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): [
                message for item in errors for message in item.messages
            ]
            for name, errors in error.error_dict.items()
        }
    return {"non_field_errors": error.messages}


def parent_of(kind, user, data: dict):
    """The scoped parent a new record names (`compact` or `commitment`), checked editable:
    missing or malformed, 400; outside the scope, 404; read-only, 403."""
    field = kind.form_arg
    pk = parse_id(_as_text(data.get(field)))
    if pk is None:
        raise ApiValidationError({field: ["Give the id of the record's " + field + "."]})
    parent = kind.parent_get(user=user, pk=pk)
    compact = parent if field == "compact" else parent.compact
    require_editor(user, compact.city_id)
    return parent


def _user_kwargs(kind, user) -> dict:
    return {"user": user} if kind.user_scoped else {}


def create(kind, *, user, data) -> object:
    """Create a record of `kind` as the page's create form does; the new record."""
    given = form_data(data)
    parent = parent_of(kind, user, given)
    build = partial(kind.form_class, **{kind.form_arg: parent}, **_user_kwargs(kind, user))
    initial = kind.create_initial(parent) if kind.create_initial else None
    # What the page's empty form shows pre-filled (the model's defaults) stands unless given.
    form = build(bound({**_current_data(build(initial=initial)), **given}))
    if not form.is_valid():
        raise ApiValidationError(form_errors(form))
    try:
        return kind.create(**form.cleaned_data, **{kind.form_arg: parent}, actor=user)
    except ValidationError as error:
        raise ApiValidationError(service_errors(error)) from None


def _edit_form_factory(kind, user, record):
    kwargs = {} if kind.form_arg == "self" else {kind.form_arg: getattr(record, kind.form_arg)}
    kwargs.update(_user_kwargs(kind, user))
    return partial(kind.form_class, **kwargs)


def _update_service(kind):
    def update(*, record, **kwargs):
        return kind.update(**{kind.noun: record}, **kwargs)

    return update


def change(kind, *, user, pk: int, data, serialize, form_class=None, update=None) -> Response:
    """Change a record as its edit form does (or as `form_class` and `update` do: the mark-done
    step): 200 with the record; 409 with the record as stored now when `version` is not the
    stored version."""
    record = kind.get(user=user, pk=pk)
    require_editor(user, kind.compact_of(record).city_id)
    build = form_class or _edit_form_factory(kind, user, record)
    update = update or _update_service(kind)
    given = form_data(data)
    merged = {**_current_data(build(instance=record)), **given}
    # The version is the caller's, never the one the form would fill in: a change that does not
    # say which version it was made against is refused, as on the page.
    merged["version"] = given.get("version", "")
    form = build(bound(merged), instance=record)
    if not form.is_valid():
        raise ApiValidationError(form_errors(form))
    cleaned = dict(form.cleaned_data)
    version = cleaned.pop("version")
    try:
        saved = update(record=record, data=cleaned, actor=user, expected_version=version)
    except StaleVersion as stale:
        if stale.current is None:
            raise Http404("The record was deleted meanwhile.") from None
        return Response(
            {
                "detail": "The record changed since you loaded it; nothing was saved. Here it "
                "is as stored now, with its version.",
                "current": serialize(kind.get(user=user, pk=pk)),
            },
            status=status.HTTP_409_CONFLICT,
        )
    except ValidationError as error:
        raise ApiValidationError(service_errors(error)) from None
    return Response(serialize(saved))
