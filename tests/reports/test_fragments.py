"""The city cards of /cities/ and rows of /reports/ are Jinja2 templates (templates/jinja2/reports/,
core/jinja2.py says why) inside Django's pages: what they share with the Django templates must
render the same in both engines."""

import datetime

import pytest
from django.template import engines

from compacts.choices import CompactStatus
from reports.figures import CompactFigures

SCRIPT = "<script>alert(1)</script>"


def compact(status=CompactStatus.ACTIVE, precision="day", ended_on=None) -> CompactFigures:
    return CompactFigures(
        id=7,
        title=f"Compact {SCRIPT}",
        status=status,
        signed_on=datetime.date(2010, 12, 7),
        signed_on_precision=precision,
        ended_on=ended_on,
        figures=None,
    )


@pytest.mark.parametrize(
    "shown",
    [
        compact(),
        compact(precision="month"),
        compact(precision="year"),
        compact(CompactStatus.TERMINATED, ended_on=datetime.date(2014, 6, 1)),
        compact(CompactStatus.DRAFT),
    ],
)
def test_a_card_words_a_compacts_status_as_the_dashboard_does(shown):
    dashboard = engines["django"].get_template("reports/_compact_status.html")
    card = engines["jinja2"].get_template("reports/_compact_status.jinja")
    # Jinja2 drops a template's last newline; Django keeps it.
    assert card.render({"compact": shown}) + "\n" == dashboard.render({"compact": shown})


@pytest.mark.parametrize("colour", ["red", "amber", "green", None])
def test_the_cards_and_rows_draw_the_health_badge_of_the_django_templates(colour):
    django = engines["django"].from_string(
        "{% load reports_extras %}{{ colour|health_badge }} {{ colour|health_class }}"
    )
    jinja2 = engines["jinja2"].from_string("{{ colour|health_badge }} {{ colour|health_class }}")
    assert jinja2.render({"colour": colour}) == django.render({"colour": colour})
