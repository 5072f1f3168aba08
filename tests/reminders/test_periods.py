import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from reminders.choices import Frequency
from reminders.periods import last_ended
from schools.validators import validate_time_zone

UTC = datetime.UTC


def test_a_week_runs_monday_to_monday_at_local_midnight():
    period = last_ended(Frequency.WEEKLY, datetime.datetime(2026, 12, 2, 9, tzinfo=UTC), "UTC")
    assert period.key == "2026-11-23"
    assert period.start == datetime.datetime(2026, 11, 23, tzinfo=UTC)
    assert period.end == datetime.datetime(2026, 11, 30, tzinfo=UTC)
    assert period.last_day == datetime.date(2026, 11, 29)


def test_the_same_instant_falls_in_different_weeks_east_and_west():
    # Monday 30 Nov 03:00 UTC: already Monday in Berlin, still Sunday in Los Angeles.
    instant = datetime.datetime(2026, 11, 30, 3, tzinfo=UTC)
    assert last_ended(Frequency.WEEKLY, instant, "Europe/Berlin").key == "2026-11-23"
    assert last_ended(Frequency.WEEKLY, instant, "America/Los_Angeles").key == "2026-11-16"


def test_a_week_across_the_dst_change_starts_and_ends_at_local_midnight():
    zone = zoneinfo.ZoneInfo("America/New_York")
    period = last_ended(
        Frequency.WEEKLY, datetime.datetime(2026, 11, 3, 12, tzinfo=UTC), "America/New_York"
    )
    assert period.start.astimezone(zone).hour == 0 and period.end.astimezone(zone).hour == 0
    length = period.end.astimezone(UTC) - period.start.astimezone(UTC)
    assert length == datetime.timedelta(hours=169)  # 1 Nov: clocks go back


def test_a_month_runs_from_the_first():
    period = last_ended(
        Frequency.MONTHLY, datetime.datetime(2026, 1, 1, 5, tzinfo=UTC), "America/Chicago"
    )
    assert period.key == "2025-11"  # 1 Jan 05:00 UTC is still 31 Dec in Chicago
    period = last_ended(
        Frequency.MONTHLY, datetime.datetime(2026, 1, 1, 7, tzinfo=UTC), "America/Chicago"
    )
    assert period.key == "2025-12"


def test_a_city_time_zone_must_be_a_known_name():
    validate_time_zone("America/Chicago")
    with pytest.raises(ValidationError):
        validate_time_zone("Mars/Olympus_Mons")


def test_a_city_saved_without_a_time_zone_takes_the_sites(db, settings):
    from tests.schools.factories import CityFactory

    settings.TIME_ZONE = "America/Denver"
    assert CityFactory(name="Zoneless", state="CO", time_zone="").time_zone == "America/Denver"
