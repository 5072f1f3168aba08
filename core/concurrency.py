"""Safe concurrent editing: an edit form carries the version of the record it loaded, and a save
against a record that changed since is refused without writing anything.

The version token is the record's `updated_at` (core.models.TimeStampedModel) in ISO format.
Services call `lock_current` inside their transaction: it locks the row (SELECT ... FOR UPDATE on
PostgreSQL) and compares the stored version with the one the form loaded.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db import models


class StaleVersion(Exception):
    """The record changed (or went) since the form was loaded; nothing was written.

    current: the record as stored now (None when it was deleted meanwhile).
    changed_by / changed_at: the author and time of the latest change, from its history.
    """

    def __init__(self, current: models.Model | None, changed_by=None, changed_at=None):
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__("The record changed since it was loaded.")

    @classmethod
    def for_record(cls, current: models.Model | None) -> StaleVersion:
        latest = (
            current.history.first() if current is not None and hasattr(current, "history") else None
        )
        return cls(
            current,
            changed_by=latest.history_user if latest else None,
            changed_at=latest.history_date if latest else getattr(current, "updated_at", None),
        )


def version_token(record: models.Model) -> str:
    """The token an edit form carries: the stored updated_at, ISO formatted."""
    return record.updated_at.isoformat()


def parse_version(token: str | None) -> datetime.datetime | None:
    """The instant a version token names, or None for an unreadable token: one without a time
    zone, or one that has no UTC instant ("9999-12-31T23:59:59-23:59" is past year 9999 in UTC,
    and the database conversion overflowed)."""
    try:
        loaded = datetime.datetime.fromisoformat(token)
        if loaded.tzinfo is None:
            return None
        loaded.astimezone(datetime.UTC)
    except (TypeError, ValueError, OverflowError):
        return None
    return loaded


def is_current(record: models.Model, token: str) -> bool:
    """Whether `token` names the stored version of `record` (an unreadable token never does)."""
    loaded = parse_version(token)
    return loaded is not None and loaded == record.updated_at


def loaded_version(record: models.Model, token: str | None):
    """The history row of the version `token` names (the one an edit form loaded), or None when
    the token is unreadable or the history does not have it."""
    loaded_at = parse_version(token)
    history = getattr(record, "history", None)
    if loaded_at is None or history is None:
        return None
    return history.filter(updated_at=loaded_at).order_by("-history_id").first()


def lock_current(record: models.Model, expected_version: str | None) -> models.Model:
    """Lock the record's row and return it as stored now; raise StaleVersion when it changed
    since `expected_version` was read. Call inside transaction.atomic().

    expected_version None skips the comparison (scripts that did not load a form).
    """
    model = type(record)
    try:
        current = model._default_manager.select_for_update().get(pk=record.pk)
    except model.DoesNotExist:
        raise StaleVersion.for_record(None) from None
    if expected_version is not None and not is_current(current, expected_version):
        raise StaleVersion.for_record(current)
    return current


class VersionedFormMixin:
    """Adds the hidden `version` field to the edit form of an existing record.

    The form needs `self.instance` (a ModelForm has it; a plain form sets it before calling
    super().__init__). Forms creating a record carry no version.
    """

    version_error = "This form lost track of the record's version. Reload the page and save again."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput,
                initial=version_token(instance),
                error_messages={"required": self.version_error},
            )
