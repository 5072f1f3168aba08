"""Record ids read from requests and uploads.

`str.isdigit()` accepts "²" (which int() refuses) and Arabic-Indic digits, and int() accepts
numbers no primary key can hold, which SQLite's driver refuses with an OverflowError. Whatever
turns outside input into an id goes through here, so that such input names no record instead
of failing.
"""

from __future__ import annotations

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
