"""The state of one signatory seat of a compact (DESIGN.md "signatory_retention"), in words.

A seat is an (organization, role) where the compact has at least one signatory row; it is held
while one of those rows' terms is open. When the signer left, the seat is re-affirmed (held by a
successor who recommitted), vacant (no open term at the seat) or held by a successor who has not
re-affirmed; the note says since when and for how long. Pure functions over the term rows that
reports/selectors.py reads, so that they can be checked by hand.
"""

from __future__ import annotations

import datetime

from django.utils.text import capfirst

from core import formats
from reports.figures import NOT_REAFFIRMED, REAFFIRMED, VACANT, SeatNote
from schools.choices import DatePrecision, role_in_sentence


def is_open(row: dict, today: datetime.date) -> bool:
    return row["ended_on"] is None or row["ended_on"] > today


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def duration(since: datetime.date, today: datetime.date, precision: str) -> str:
    """How long from `since` to today, as precisely as `since` is known: "3 years 2 months",
    "9 years" (a year-precision date), "5 months", "less than a month"."""
    if precision == DatePrecision.YEAR:
        years = today.year - since.year
        return _plural(years, "year") if years > 0 else "less than a year"
    months = (today.year - since.year) * 12 + today.month - since.month
    if precision == DatePrecision.DAY and today.day < since.day:
        months -= 1
    if months <= 0:
        return "less than a month"
    years, months = divmod(months, 12)
    parts = [_plural(years, "year")] if years else []
    if months:
        parts.append(_plural(months, "month"))
    return " ".join(parts)


def _when(day: datetime.date, precision: str) -> str:
    """ "on 30 Jun 2015", "in Jun 2015", "in 2015"."""
    return formats.on_date(day, precision)


def _precision(row: dict) -> str:
    return row["date_precision"] or DatePrecision.DAY


def _who_left(row: dict) -> str:
    """The last signer or re-affirming successor at the seat, and when they left."""
    left = _when(row["ended_on"], _precision(row))
    if row["reaffirmed_on"] is None:
        return f"signer {row['person_name']} left {left}"
    reaffirmed = _when(row["reaffirmed_on"], row["reaffirmed_precision"])
    return f"{row['person_name']}, who re-affirmed {reaffirmed}, left {left}"


def holder_of(terms: list[dict], today: datetime.date) -> dict | None:
    """The open term at a seat today: the one that started latest by today, else the first to
    start (compacts.services.seat_holder_term, over rows)."""
    open_terms = [row for row in terms if is_open(row, today)]
    started = [row for row in open_terms if row["started_on"] <= today]
    if started:
        return max(started, key=lambda row: (row["started_on"], row["id"]))
    return min(open_terms, key=lambda row: (row["started_on"], row["id"]), default=None)


def seat_note(
    compact_id: int, signed: list[dict], terms: list[dict], today: datetime.date
) -> SeatNote | None:
    """The note on a seat whose signers all left; None while a signer is in post.

    `signed`: the compact's signatory rows at the seat (term rows with reaffirmed_on);
    `terms`: every term at the seat, once each."""
    originals = [row for row in signed if row["reaffirmed_on"] is None]
    if any(is_open(row, today) for row in originals):
        return None
    first = (originals or signed)[0]
    seat = f"{capfirst(role_in_sentence(first['role']))} of {first['organization_name']}"
    left = [row for row in originals if not is_open(row, today)]
    signers_left = (
        "; ".join(
            f"signer {row['person_name']} left {_when(row['ended_on'], _precision(row))}"
            for row in sorted(left, key=lambda row: row["ended_on"])
        )
        or "the signer left"
    )
    reaffirmed = [row for row in signed if row["reaffirmed_on"] and is_open(row, today)]
    if reaffirmed:
        row = max(reaffirmed, key=lambda row: row["reaffirmed_on"])
        when = _when(row["reaffirmed_on"], row["reaffirmed_precision"])
        text = f"{seat}: {signers_left}; successor {row['person_name']} re-affirmed {when}"
        return SeatNote(compact_id, REAFFIRMED, text)
    last = max(signed, key=lambda row: (row["ended_on"], row["id"]))
    who_left = signers_left if last["reaffirmed_on"] is None else _who_left(last)
    holder = holder_of(terms, today)
    if holder is not None:
        precision = _precision(holder)
        # A signer who comes back for a new term (an interim return) is no successor, but
        # their new term signed nothing: the seat is held only once they re-affirm.
        returned = holder["person_id"] in {row["person_id"] for row in originals}
        who = "signer" if returned else "successor"
        back = ", back in the seat" if returned else ""
        text = (
            f"{seat}: {who_left}; {who} {holder['person_name']}{back} (since "
            f"{formats.date_text(holder['started_on'], precision)}) has not re-affirmed, for "
            f"{duration(holder['started_on'], today, precision)}"
        )
        return SeatNote(compact_id, NOT_REAFFIRMED, text)
    gone = max(
        (row for row in terms if row["ended_on"] is not None and row["ended_on"] <= today),
        key=lambda row: (row["ended_on"], row["id"]),
    )
    precision = _precision(gone)
    text = (
        f"{seat}: {who_left}; seat vacant since {formats.date_text(gone['ended_on'], precision)}, "
        f"no successor recorded ({duration(gone['ended_on'], today, precision)})"
    )
    return SeatNote(compact_id, VACANT, text)
