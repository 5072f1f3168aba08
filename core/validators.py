"""Validators shared by every app's models and forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

# Wide enough for every leader, compact and school in the record (the oldest terms date from the
# 1990s, targets run a decade ahead), narrow enough that a mistyped year such as 9999 or 0201
# never reaches date arithmetic on a dashboard.
FIRST_PLAUSIBLE_DATE = datetime.date(1900, 1, 1)
LAST_PLAUSIBLE_DATE = datetime.date(2099, 12, 31)


def validate_plausible_date(value: datetime.date | None) -> None:
    if value is None:
        return
    if not FIRST_PLAUSIBLE_DATE <= value <= LAST_PLAUSIBLE_DATE:
        raise ValidationError(
            "Enter a date between %(first)s and %(last)s; %(value)s looks mistyped.",
            code="implausible_date",
            params={
                "first": FIRST_PLAUSIBLE_DATE.year,
                "last": LAST_PLAUSIBLE_DATE.year,
                "value": value.isoformat(),
            },
        )
