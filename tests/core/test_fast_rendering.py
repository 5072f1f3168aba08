"""The list pages render their table rows and filter widgets in Python (core.lists: ListTable.
body_html, FastWidgetRenderer, reverse_ids) for speed. These tests hold them to the markup
django-tables2's and Django's own templates give for the same table and form."""

import datetime
import re

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from compacts.choices import MilestoneStatus
from core.lists import (
    FAST_WIDGET_RENDERER,
    FastSelect,
    ListTable,
    day_month_year,
    html_format,
    reverse_ids,
)
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
    LeadershipTermFactory,
)

HOSTILE = "<b>Bold</b> & \"quoted\" 'single'"
ESCAPED = "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;"


def _normalized(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _tbody(html: str) -> str:
    return _normalized(html[html.index("<tbody") : html.index("</tbody>")])


def _reference_tbody(response) -> str:
    """The rows as django-tables2's own template renders the same table."""
    table = response.context["table"]
    html = get_template("django_tables2/bootstrap5.html").render(
        {"table": table, "request": response.wsgi_request}
    )
    return _tbody(html)


@pytest.fixture
def varied_records(city_x):
    """Records of every list with hostile titles, empty optional values and both states."""
    compact = CompactFactory(city=city_x, title=HOSTILE)
    done = CommitmentFactory(compact=compact, title=HOSTILE, description=HOSTILE)
    CommitmentFactory(compact=compact, title="Plain", target_on=datetime.date(2030, 1, 1))
    MilestoneFactory(commitment=done, title=HOSTILE, due_on=datetime.date(2001, 1, 1))
    MilestoneFactory(
        commitment=done,
        title="Done",
        status=MilestoneStatus.DONE,
        completed_on=datetime.date(2020, 2, 2),
        evidence_url='https://example.org/?a=1&b="2"',
    )
    ActivityFactory(compact=compact, title=HOSTILE, commitment=done)
    ActivityFactory(compact=compact, title="Without a commitment")
    network = CharterNetworkFactory(name=HOSTILE, website="https://example.org/<x>")
    CharterNetworkFactory(name="No website", website="", operator_type="")
    CharterSchoolFactory(city=city_x, name=HOSTILE, network=network, enrollment=None)
    CharterSchoolFactory(city=city_x, name="Closed one", is_open=False, grade_low="")
    SignatoryFactory(compact=compact, leadership_term__title=HOSTILE)
    LeadershipTermFactory(
        organization__city=city_x, ended_on=datetime.date(2015, 6, 30), end_reason="retired"
    )
    return compact


LIST_PAGES = [
    "/commitments/",
    "/commitments/?sort=-overdue_milestones",
    "/milestones/",
    "/milestones/?sort=-title",
    "/activities/",
    "/leadership/",
    "/leadership/?sort=-ended_on",
    "/schools/",
    "/networks/",
]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_the_rows_are_the_markup_django_tables2_renders(editor_client, varied_records, path):
    response = editor_client.get(path)
    assert response.status_code == 200
    rows = _tbody(response.content.decode())
    assert rows.count("<tr") >= 2
    assert rows == _reference_tbody(response)


@pytest.mark.parametrize("path", ["/commitments/", "/milestones/", "/activities/", "/schools/"])
def test_a_title_with_html_in_it_is_shown_escaped(editor_client, varied_records, path):
    content = editor_client.get(path).content.decode()
    assert ESCAPED in content
    assert HOSTILE not in content


@pytest.mark.parametrize(
    "path", ["/commitments/?q=nothing-matches", "/commitments/?achieved_after=not-a-date"]
)
def test_an_empty_table_says_why_as_django_tables2_would(editor_client, varied_records, path):
    response = editor_client.get(path)
    rows = _tbody(response.content.decode())
    assert 'colspan="8"' in rows
    assert rows == _reference_tbody(response)


def test_a_table_the_fast_rows_cannot_render_falls_back_to_the_template(
    editor_client, varied_records
):
    response = editor_client.get("/commitments/")
    table = response.context["table"]
    table.row_attrs = {"data-id": lambda record: record.pk}
    assert table.body_html() == ""
    html = get_template(ListTable._meta.template_name).render(
        {"table": table, "request": response.wsgi_request}
    )
    assert f'data-id="{varied_records.commitments.first().pk}"' in html


FILTER_PAGES = [
    "/commitments/?status=in_progress&q=%3Cb%3E%22x%22",
    "/milestones/?due_after=2020-01-01&commitment=abc",
    "/activities/?occurred_after=bad&live=true",
    "/leadership/?state=ended",
    "/schools/?is_open=true",
    "/networks/",
]


@pytest.mark.parametrize("path", FILTER_PAGES)
def test_the_filter_widgets_are_the_markup_djangos_templates_render(
    editor_client, varied_records, path, monkeypatch
):
    form = editor_client.get(path).context["form"]
    assert form.renderer is FAST_WIDGET_RENDERER
    fast = {bound_field.name: str(bound_field) for bound_field in form}
    assert any(isinstance(field.widget, FastSelect) for field in form.fields.values())
    # Django's own rendering: its renderer and Select.render with their templates.
    form.renderer = get_default_renderer()
    monkeypatch.setattr(FastSelect, "render", forms.Select.render)
    for bound_field in form:
        assert str(bound_field) == fast[bound_field.name], bound_field.name


CHOICES = [
    (None, "Any"),
    (HOSTILE, [("a&b", HOSTILE), (2, gettext_lazy("Two")), ("a&b", "again")]),
    ("plain", mark_safe("<i>Plain</i>")),
    (3, 1234),
]


def _form_class(select_class):
    class Form(forms.Form):
        default_renderer = FAST_WIDGET_RENDERER
        pick = forms.ChoiceField(
            choices=CHOICES,
            widget=select_class(attrs={"class": "form-select", "aria-invalid": True}),
        )
        text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": HOSTILE}))
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    return Form


@pytest.mark.parametrize("pick", ["a&b", "2", "", "3", "nothing"])
def test_a_select_renders_groups_selection_and_escaping_like_django(pick):
    data = {"pick": pick, "text": HOSTILE, "day": "2020-01-01"}
    form = _form_class(FastSelect)(data)
    reference = _form_class(forms.Select)(data, renderer=get_default_renderer())
    for name in ("pick", "text", "day"):
        assert str(form[name]) == str(reference[name])
    assert f'<optgroup label="{ESCAPED}">' in str(form["pick"])
    assert str(form["pick"]).count(" selected") == (pick != "nothing")


@pytest.mark.parametrize(
    ("viewname", "ids"),
    [("compacts:compact", (7,)), ("schools:school_list", ()), ("compacts:milestone_done", (12,))],
)
def test_reverse_ids_gives_what_reverse_gives(viewname, ids):
    assert reverse_ids(viewname, *ids) == reverse(viewname, args=list(ids))
    assert reverse_ids(viewname, *ids) == reverse(viewname, args=list(ids))  # from the cache


@pytest.mark.parametrize(
    "args",
    [
        (HOSTILE, 3),
        (mark_safe("<i>safe</i>"), HOSTILE),
        (gettext_lazy("Planned"), None),
        (datetime.date(2020, 1, 2), 4.5),
    ],
)
def test_html_format_gives_what_format_html_gives(args):
    template = '<a href="{}">{}</a>'
    assert html_format(template, *args) == format_html(template, *args)
    assert isinstance(html_format(template, *args), SafeString)


@pytest.mark.parametrize(
    "day",
    [datetime.date(2012, 1, 15), datetime.date(999, 12, 1), datetime.date(2024, 2, 29)],
)
def test_list_dates_read_as_date_format_writes_them(day):
    assert day_month_year(day) == date_format(day, "j M Y")
    when = datetime.datetime(2012, 5, 6, 7, 8, tzinfo=datetime.UTC)
    assert day_month_year(when) == date_format(when, "j M Y")


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_list_dates_name_the_month_in_the_active_language(language):
    day = datetime.date(2012, 3, 15)
    with translation.override(language):
        assert day_month_year(day) == date_format(day, "j M Y")
