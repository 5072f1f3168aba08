"""Record ids read from requests and uploads.

`str.isdigit()` accepts "²" (which int() refuses) and Arabic-Indic digits, and int() accepts
numbers no primary key can hold, which SQLite's driver refuses with an OverflowError. Whatever
turns outside input into an id goes through here, so that such input names no record instead
of failing.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls.converters import IntConverter

# The largest BigAutoField (DEFAULT_AUTO_FIELD): a 64-bit signed integer.
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """The id `text` names: ASCII digits, from 1 to MAX_ID; None for anything else."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter(IntConverter):
    """<id:pk> in a URL: a number a primary key can hold; a longer one matches no URL (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("Past the database's integers.")
        return number


class IdChoiceField(forms.ModelChoiceField):
    """A record chosen by its primary key, refusing before any query a value that is no id:
    Django range-checks lookups on integer fields but not on a link to a parent (a district's
    or school's primary key), where SQLite's driver raised OverflowError. Such a value is not
    shown again either: the select would look it up to render it."""

    def to_python(self, value):
        if self._not_an_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)

    def bound_data(self, data, initial):
        return None if self._not_an_id(data) else super().bound_data(data, initial)

    def _not_an_id(self, value) -> bool:
        if not isinstance(value, str) or not value.strip():
            return False
        name = self.to_field_name
        by_pk = name is None or self.queryset.model._meta.get_field(name).primary_key
        return by_pk and parse_id(value.strip()) is None
