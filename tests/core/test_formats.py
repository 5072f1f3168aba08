import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from core import formats


@pytest.mark.parametrize(
    ("precision", "shown"),
    [("day", "7 Dec 2010"), ("month", "Dec 2010"), ("year", "2010"), ("", "7 Dec 2010")],
)
def test_dates_are_shown_as_precisely_as_known(precision, shown):
    assert formats.date_text(datetime.date(2010, 12, 7), precision) == shown


def test_on_date_says_in_for_a_month_or_year():
    day = datetime.date(2010, 12, 7)
    assert formats.on_date(day) == "on 7 Dec 2010"
    assert formats.on_date(day, "month") == "in Dec 2010"
    assert formats.on_date(None) == ""


def test_a_missing_date_is_blank_not_an_error():
    assert formats.date_text(None) == ""
    assert formats.date_text("") == ""


def test_datetimes_are_shown_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    moment = datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC)
    assert formats.datetime_text(moment) == "1 Jan 2024, 21:04"
    assert formats.date_text(moment) == "1 Jan 2024"


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [
        (0.478, "48%"),
        (Decimal("0.478"), "48%"),
        (Decimal("0.005"), "0%"),
        (1, "100%"),
        (None, "n/a"),
    ],
)
def test_percentages_are_whole_everywhere(fraction, shown):
    assert formats.percent_text(fraction) == shown


def test_every_known_status_has_a_tone_and_unknown_ones_are_neutral():
    assert formats.status_tone("missed") == "danger"
    assert formats.status_tone("something new") == "neutral"
    assert set(formats.STATUS_TONES.values()) <= {
        "success",
        "progress",
        "neutral",
        "warning",
        "danger",
        "muted",
    }


def test_status_badge_escapes_its_label():
    html = Template("{% load formats %}{% status_badge code label %}").render(
        Context({"code": '"><script>', "label": "<b>x</b>"})
    )
    assert html == '<span class="badge status status-neutral">&lt;b&gt;x&lt;/b&gt;</span>'


def test_template_filters_match_the_functions():
    html = Template(
        "{% load formats %}{{ d|date_text }}|{{ d|date_text:'month' }}|{{ f|percent_text }}"
    ).render(Context({"d": datetime.date(2012, 1, 15), "f": 0.5}))
    assert html == "15 Jan 2012|Jan 2012|50%"


def test_remembered_dates_still_follow_the_active_language():
    from django.utils import translation

    day = datetime.date(2012, 5, 15)
    assert formats.date_text(day) == "15 May 2012"
    with translation.override("de"):
        # German's own format module (the site's, config/formats/, is English's): the order,
        # the month's name and the pattern follow the language, never a date of another.
        assert formats.date_text(day) == "15. Mai 2012"
    assert formats.date_text(day) == "15 May 2012"


def test_a_remembered_badge_keeps_text_and_safe_markup_apart():
    from django.utils.safestring import mark_safe

    text, markup = (
        formats.status_badge("done", "a & b"),
        formats.status_badge("done", mark_safe("a & b")),
    )
    assert text == '<span class="badge status status-success">a &amp; b</span>'
    assert markup == '<span class="badge status status-success">a & b</span>'
    assert formats.status_badge("done", "a & b") is text
