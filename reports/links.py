"""Links from every figure to the list of exactly the records it counts.

The query parameters are the list contract shared with the list pages (compacts/filters.py):
city=<slug>, compact=<id>, live=true, status, overdue, on_time, stale, and inclusive date bounds
(`*_after` is >=, `*_before` is <=).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote_plus

from compacts.choices import CommitmentStatus, MilestoneStatus


def list_url(path: str, **params) -> str:
    """`path` with the given filters; None values are left out, booleans written "true"/"false"."""
    query = "&".join(
        f"{key}={_encode(value)}" for key, value in params.items() if value is not None
    )
    return f"{path}?{query}" if query else path


def _encode(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return quote_plus(str(value))


def window_start(today: datetime.date) -> datetime.date:
    """First day of "the last 12 months", (today - 365 days, today], as an inclusive bound."""
    return today - datetime.timedelta(days=364)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def quarter_bounds(quarter: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = quarter.replace(day=1)
    last_month = first.replace(month=first.month + 2)
    return first, month_bounds(last_month)[1]


@dataclass(frozen=True)
class RecordLinks:
    """Lists of the records behind one compact's figures, or a city's live compacts' figures."""

    scope: tuple[tuple[str, object], ...]
    today: datetime.date

    @classmethod
    def for_city(cls, slug: str, today: datetime.date) -> RecordLinks:
        return cls((("city", slug), ("live", True)), today)

    @classmethod
    def for_compact(cls, compact_id: int, today: datetime.date) -> RecordLinks:
        return cls((("compact", compact_id),), today)

    @cached_property
    def _scope_query(self) -> str:
        # Encoded once: a dashboard links a few hundred counts, all within the same scope.
        return list_url("", **dict(self.scope)).removeprefix("?")

    def _url(self, path: str, filters: dict) -> str:
        extra = list_url("", **filters).removeprefix("?")
        return f"{path}?{self._scope_query}&{extra}" if extra else f"{path}?{self._scope_query}"

    def commitments(self, **filters) -> str:
        return self._url("/commitments/", filters)

    def milestones(self, **filters) -> str:
        return self._url("/milestones/", filters)

    def activities(self, **filters) -> str:
        return self._url("/activities/", filters)

    # The figures of DESIGN.md, one property each, so that templates never build a query string.
    @property
    def all_commitments(self) -> str:
        return self.commitments()

    @property
    def achieved(self) -> str:
        return self.commitments(status=CommitmentStatus.ACHIEVED)

    @property
    def stale(self) -> str:
        return self.commitments(stale=True)

    @property
    def all_milestones(self) -> str:
        return self.milestones()

    @property
    def overdue(self) -> str:
        return self.milestones(overdue=True)

    @property
    def on_time(self) -> str:
        return self.milestones(on_time=True)

    @property
    def done(self) -> str:
        return self.milestones(status=MilestoneStatus.DONE)

    @property
    def missed(self) -> str:
        return self.milestones(status=MilestoneStatus.MISSED)

    @property
    def activities_last_12_months(self) -> str:
        return self.activities(occurred_after=window_start(self.today), occurred_before=self.today)

    @property
    def milestones_completed_last_12_months(self) -> str:
        return self.milestones(
            completed_after=window_start(self.today), completed_before=self.today
        )

    @property
    def commitments_achieved_last_12_months(self) -> str:
        return self.commitments(achieved_after=window_start(self.today), achieved_before=self.today)

    def commitments_with_status(self, status: str) -> str:
        return self.commitments(status=status)


def signatories_url(compact_id: int, *, in_post: bool | None = None) -> str:
    """The terms that signed a compact; in_post narrows to the open (or the ended) ones."""
    state = None if in_post is None else ("open" if in_post else "ended")
    return list_url("/leadership/", signatory_of=compact_id, state=state)


def leadership_changes_url(compact_id: int, signed_on: datetime.date) -> str:
    """Terms at the compact's signatory seats that ended after the signing day, up to today."""
    return list_url(
        "/leadership/",
        signatory_seat_of=compact_id,
        state="ended",
        ended_after=signed_on + datetime.timedelta(days=1),
    )


def schools_url(
    slug: str, *, independent: bool | None = None, participating: bool | None = None
) -> str:
    """Open charter schools of the city; participating=True narrows to those taking part."""
    return list_url(
        "/schools/",
        city=slug,
        is_open=True,
        independent=independent,
        participating=True if participating else None,
    )
