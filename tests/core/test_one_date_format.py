"""One date format everywhere (issue 15): the admin, Django templates, the Jinja2 list tables and
the dashboards write the same day the same way, from one format module
(config/formats/en/formats.py) that core.formats reads too."""

import datetime

import pytest
from django.template import Context, Template, engines
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format

from compacts.models import Milestone
from core import formats
from tests.compacts.factories import CommitmentFactory, CompactFactory, MilestoneFactory

TODAY = timezone.localdate()
# Written out here, not by the code under test: "5 Dec 2026".
SHOWN = f"{TODAY.day} {TODAY:%b} {TODAY.year}"


def test_the_format_module_sets_the_site_formats():
    assert get_format("DATE_FORMAT") == "j M Y"
    assert get_format("SHORT_DATE_FORMAT") == "j M Y"
    assert get_format("DATETIME_FORMAT") == "j M Y, H:i"
    assert get_format("YEAR_MONTH_FORMAT") == "M Y"
    # Typed dates stay ISO, which the date pickers send.
    assert get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"


def test_django_jinja2_and_core_formats_write_a_date_alike():
    day = datetime.date(2026, 12, 5)
    django_filter = Template("{{ day|date }}").render(Context({"day": day}))
    house_filter = Template("{% load formats %}{{ day|date_text }}").render(Context({"day": day}))
    jinja = engines["jinja2"].from_string("{{ day|date_text }}").render({"day": day})
    assert {django_filter, house_filter, jinja, date_format(day), formats.date_text(day)} == {
        "5 Dec 2026"
    }


def test_a_datetime_and_a_time_read_alike_everywhere(settings):
    settings.TIME_ZONE = "America/Chicago"
    moment = datetime.datetime(2026, 12, 5, 20, 5, tzinfo=datetime.UTC)
    django_filter = Template("{{ moment|date:'DATETIME_FORMAT' }}").render(
        Context({"moment": moment})
    )
    assert formats.datetime_text(moment) == django_filter == "5 Dec 2026, 14:05"
    assert formats.time_text(moment) == "14:05"


@pytest.fixture
def due_today(city_x):
    commitment = CommitmentFactory(compact=CompactFactory(city=city_x))
    return MilestoneFactory(commitment=commitment, title="Due today", due_on=TODAY)


def test_the_admin_a_list_and_a_dashboard_show_the_same_day_the_same_way(
    superuser_client, due_today
):
    admin = superuser_client.get(reverse("admin:compacts_milestone_changelist"))
    listed = superuser_client.get("/milestones/")
    dashboard = superuser_client.get(f"/cities/{due_today.commitment.compact.city.slug}/")
    assert f'<td class="field-due_on nowrap">{SHOWN}</td>' in admin.content.decode()
    assert f'<td class="text-nowrap">{SHOWN}</td>' in listed.content.decode()
    assert f"Figures as of {SHOWN}," in dashboard.content.decode()
    # Django's own English format ("Dec. 5, 2026") shows nowhere.
    american = TODAY.strftime("%b. %-d, %Y")
    for response in (admin, listed, dashboard):
        assert american not in response.content.decode()


def test_the_admin_change_page_keeps_the_iso_date_a_date_picker_reads(superuser_client, due_today):
    page = superuser_client.get(
        reverse("admin:compacts_milestone_change", args=[due_today.pk])
    ).content.decode()
    assert f'value="{TODAY.isoformat()}"' in page
    assert Milestone.objects.get(pk=due_today.pk).due_on == TODAY
