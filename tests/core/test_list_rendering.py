"""What every list page shows, now that its tables come from Jinja2 templates (core/jinja2.py)
rendered by django-tables2 and its filter widgets from Django's form renderer: user text escaped
in every column and every filter option, an empty table that says why, dates and status badges
from core.formats, and the filter fields' cached markup following what they show."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from django.template.loader import get_template
from django.utils.html import escape
from jinja2 import UndefinedError

from accounts.choices import Role
from compacts.choices import MilestoneStatus
from compacts.models import Activity
from core.jinja2 import library_filters
from core.lists import EstimatedCountPaginator, ListTable
from tests.accounts.factories import MembershipFactory
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    SignatoryFactory,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    CityFactory,
    DistrictFactory,
    LeadershipTermFactory,
    PersonFactory,
)

ATTACKS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "&amp;")


def hostile(what: str) -> str:
    """A name carrying every attack, tagged with where it is shown."""
    return f"{what} {' '.join(ATTACKS)}"


def assert_all_escaped(content: str, *names: str) -> None:
    for name in names:
        assert escape(name) in content, name
    assert "<script>alert" not in content
    assert "<img src=x" not in content
    assert "&amp;</" not in content  # "&amp;" typed by a user is shown as typed: &amp;amp;


@pytest.fixture
def hostile_records(editor):
    """In a city the editor edits, whose name is hostile: a record of every list, every text
    shown by a column (or a filter option) hostile too."""
    city = CityFactory(name=hostile("city"), slug="hostile-city", state="TX")
    MembershipFactory(user=editor, city=city, role=Role.EDITOR)
    compact = CompactFactory(city=city, title=hostile("compact"))
    commitment = CommitmentFactory(compact=compact, title=hostile("commitment"))
    MilestoneFactory(
        commitment=commitment,
        title=hostile("milestone"),
        due_on=datetime.date(2001, 1, 1),  # overdue: the overdue badges show too
    )
    MilestoneFactory(
        commitment=commitment,
        title="Done",
        status=MilestoneStatus.DONE,
        completed_on=datetime.date(2020, 2, 2),
        evidence_url='https://example.org/?a=1&b="2"',
    )
    ActivityFactory(compact=compact, commitment=commitment, title=hostile("activity"))
    network = CharterNetworkFactory(
        name=hostile("network"), city=city, website="https://example.org/<x>"
    )
    district = DistrictFactory(city=city, name=hostile("district"))
    CharterSchoolFactory(city=city, district=district, network=network, name=hostile("school"))
    term = LeadershipTermFactory(
        person=PersonFactory(full_name=hostile("person")),
        organization=district,
        title=hostile("role title"),
        ended_on=datetime.date(2015, 6, 30),
        end_reason="retired",
    )
    SignatoryFactory(compact=compact, leadership_term=term)
    return compact


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/commitments/", ("commitment", "compact", "city")),
        ("/milestones/", ("milestone", "commitment", "compact", "city")),
        ("/activities/", ("activity", "commitment", "compact", "city")),
        ("/leadership/", ("person", "role title", "district", "city", "compact")),
        ("/schools/", ("school", "network", "district", "city")),
        ("/networks/", ("network", "city")),
    ],
)
def test_user_text_is_escaped_in_every_column_and_filter_option(
    editor_client, hostile_records, path, names
):
    response = editor_client.get(path)
    assert response.status_code == 200
    assert_all_escaped(response.content.decode(), *(hostile(name) for name in names))


@pytest.mark.parametrize(
    ("path", "select"),
    [
        ("/commitments/", "city"),
        ("/commitments/", "compact"),
        ("/schools/", "network"),
        ("/networks/", "city"),
    ],
)
def test_hostile_text_in_a_filter_select_is_an_escaped_option(
    editor_client, hostile_records, path, select
):
    form = editor_client.get(path).context["form"]
    html = str(form[select])
    assert html.startswith(f'<select name="{select}"')
    assert "&lt;script&gt;" in html
    assert "<script>" not in html


def test_a_hostile_search_word_comes_back_escaped_in_its_box(editor_client, hostile_records):
    content = editor_client.get("/commitments/", {"q": ATTACKS[1]}).content.decode()
    assert f'value="{escape(ATTACKS[1])}"' in content
    assert "<img src=x" not in content


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/commitments/?q=nothing-matches", "Nothing matches these filters."),
        ("/activities/?q=nothing-matches", "No activity matches these filters."),
        ("/schools/?q=nothing-matches", "No school matches these filters."),
        (
            "/commitments/?achieved_after=not-a-date",
            "No rows are shown until every filter can be read.",
        ),
    ],
)
def test_an_empty_table_says_why(editor_client, hostile_records, path, says):
    response = editor_client.get(path)
    content = response.content.decode()
    columns = len(response.context["table"].columns)
    assert f'<td colspan="{columns}">{says}</td>' in content


def test_dates_and_statuses_read_as_core_formats_writes_them(editor_client, hostile_records):
    content = editor_client.get("/milestones/?sort=due_on").content.decode()
    assert "1 Jan 2001" in content
    assert "2 Feb 2020" in content
    assert '<span class="badge status status-success">Done</span>' in content
    assert '<span class="badge status status-danger">overdue</span>' in content
    assert "status-done" not in content  # the per-code classes are gone: tones only


def test_leadership_shows_in_post_and_ended_as_status_badges(editor_client, hostile_records):
    LeadershipTermFactory(organization__city=hostile_records.city)
    content = editor_client.get("/leadership/").content.decode()
    assert '<span class="badge status status-success">In post</span>' in content
    assert '<span class="badge status status-muted">Ended</span>' in content


def test_a_link_typed_by_a_user_is_an_escaped_href(editor_client, hostile_records):
    content = editor_client.get("/milestones/").content.decode()
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in content
    content = editor_client.get("/networks/").content.decode()
    assert 'href="https://example.org/&lt;x&gt;"' in content


def test_the_filter_fields_markup_follows_a_renamed_choice(editor_client, hostile_records):
    before = editor_client.get("/commitments/").content.decode()
    hostile_records.title = "Renamed compact"
    hostile_records.save()
    after = editor_client.get("/commitments/").content.decode()
    assert escape(hostile("compact")) in before
    assert "Renamed compact (2012)" in after


def test_the_filter_fields_markup_follows_the_values_and_errors_asked_for(
    editor_client, hostile_records
):
    plain = editor_client.get("/commitments/").content.decode()
    chosen = editor_client.get("/commitments/?city=hostile-city").content.decode()
    refused = editor_client.get("/commitments/?city=nowhere").content.decode()
    assert '<option value="hostile-city" selected>' in chosen
    assert '<option value="hostile-city" selected>' not in plain
    assert 'aria-invalid="true"' in refused and 'aria-invalid="true"' not in plain
    assert "There is no choice nowhere here." in refused


def test_a_column_with_computed_cell_attributes_renders_through_django_tables2s_rows(
    editor_client, hostile_records
):
    response = editor_client.get("/commitments/")
    table = response.context["table"]
    assert table.static_cells
    table.columns["title"].column.attrs = {"td": {"data-id": lambda record: record.pk}}
    assert not table.static_cells
    html = get_template(ListTable._meta.template_name).render(
        {"table": table, "request": response.wsgi_request}
    )
    commitment = hostile_records.commitments.get()
    assert f'data-id="{commitment.pk}"' in html
    assert escape(hostile("commitment")) in html


def test_the_estimated_count_paginator_counts_exactly_outside_large_postgresql_tables(
    hostile_records,
):
    assert EstimatedCountPaginator(Activity.objects.order_by("pk"), 50).count == 1
    filtered = Activity.objects.filter(title="none").order_by("pk")
    assert EstimatedCountPaginator(filtered, 50).count == 0


# --- the Jinja2 list tables (core/jinja2.py) ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/commitments/", "/milestones/", "/activities/", "/leadership/", "/schools/", "/networks/"],
)
def test_every_row_of_a_list_table_has_one_cell_per_column(editor_client, hostile_records, path):
    response = editor_client.get(path)
    content = response.content.decode()
    body = content[content.index("<tbody>") : content.index("</tbody>")]
    rows = body.split("<tr")[1:]
    assert rows
    columns = len(response.context["table"].columns)
    assert [row.count("<td") for row in rows] == [columns] * len(rows)


def test_the_jinja2_engine_escapes_as_django_does_and_refuses_undefined_names():
    engine = engines["jinja2"]
    text = ATTACKS[1] + " 'quoted' " + ATTACKS[0]
    assert engine.from_string("{{ text }}").render({"text": text}) == escape(text)
    assert engine.from_string("{{ safe }}").render({"safe": escape(text)}) == escape(text)
    assert engine.from_string("{{ 7 }}").render({}) == "7"
    with pytest.raises(UndefinedError):
        engine.from_string("{{ missing.title }}").render({})


def test_the_jinja2_engine_refuses_a_django_filter_that_needs_djangos_engine():
    # naturalday expects local time, which only Django's engine converts to
    with pytest.raises(ImproperlyConfigured, match="naturalday"):
        library_filters("django.contrib.humanize.templatetags.humanize")
