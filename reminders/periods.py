"""Digest periods in a city's time zone: a week runs from Monday 00:00 to the next Monday 00:00
where the city's staff are, a month from the 1st 00:00; a run sends the last period that has
ended. Pure functions, so the edges can be checked by hand."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from reminders.choices import Frequency


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    start: datetime.datetime
    end: datetime.datetime

    @property
    def last_day(self) -> datetime.date:
        """The last local day of the period (for "week of 30 Nov to 6 Dec")."""
        return (self.end - datetime.timedelta(microseconds=1)).date()


def _midnight(day: datetime.date, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def last_ended(kind: str, now: datetime.datetime, zone_name: str) -> Period:
    """The latest weekly or monthly period that ended by `now`, with edges at local midnight
    in `zone_name` (a DST change makes such a week 167 or 169 hours long)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    today = now.astimezone(zone).date()
    if kind == Frequency.WEEKLY:
        end_day = today - datetime.timedelta(days=today.weekday())
        start_day = end_day - datetime.timedelta(days=7)
        key = start_day.isoformat()
    elif kind == Frequency.MONTHLY:
        end_day = today.replace(day=1)
        start_day = (end_day - datetime.timedelta(days=1)).replace(day=1)
        key = f"{start_day:%Y-%m}"
    else:
        raise ValueError(f"No period for {kind!r}.")
    return Period(kind, key, _midnight(start_day, zone), _midnight(end_day, zone))
