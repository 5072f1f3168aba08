import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

leaid_validator = RegexValidator(
    r"^\d{7}$", "An NCES district ID (LEAID) is exactly 7 digits, leading zeros included."
)
nces_school_id_validator = RegexValidator(
    r"^\d{12}$",
    "An NCES school ID is exactly 12 digits: the 7-digit LEAID and a 5-digit school number.",
)


def default_time_zone() -> str:
    """The site's zone (settings.TIME_ZONE): a city's reminders follow it until told otherwise."""
    return settings.TIME_ZONE


@functools.cache
def _known_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk at every call.
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA zone name that zoneinfo knows."""
    if value not in _known_zones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/Chicago.")
