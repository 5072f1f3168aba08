"""The dashboard charts name things in full (issue 15): categories by their labels, long ones
as lines Chart.js draws one under the other, months as every page writes them."""

import datetime
from types import SimpleNamespace

from compacts.choices import Category, CommitmentStatus
from reports.charts import LABEL_LINE, build_charts, label_lines

TODAY = datetime.date(2026, 12, 5)


def _charts(commitments=(), milestones=()):
    rows = SimpleNamespace(
        commitments=list(commitments),
        milestones=list(milestones),
        terms=[],
        activities=[],
    )
    return build_charts(slug="xville", live_compacts=[], rows=rows, today=TODAY).payload()


def _every_category():
    return [
        {"category": code, "status": CommitmentStatus.IN_PROGRESS, "n": 1, "achieved_quarter": None}
        for code in Category.values
    ]


def test_the_commitments_chart_names_every_category_in_full_never_by_its_code():
    payload = _charts(commitments=_every_category())["commitments"]
    drawn = [" ".join(label) if isinstance(label, list) else label for label in payload["labels"]]
    assert drawn == [Category(code).label for code in Category.values]
    assert not set(drawn) & set(Category.values)


def test_a_long_category_name_wraps_into_lines_and_a_short_one_stays_whole():
    payload = _charts(commitments=_every_category())["commitments"]
    labels = dict(zip(Category.values, payload["labels"], strict=True))
    assert labels["TRANS"] == "Transportation"
    assert labels["ACCT"] == ["Common accountability", "framework / report card"]
    for label in payload["labels"]:
        lines = label if isinstance(label, list) else [label]
        assert all(len(line) <= LABEL_LINE for line in lines), lines


def test_the_tooltip_title_keeps_the_whole_name_and_its_tier():
    payload = _charts(commitments=_every_category())["commitments"]
    assert payload["titles"][Category.values.index("SPED")] == (
        "Special-education responsibility (Systemic)"
    )


def test_a_word_longer_than_a_line_is_never_cut():
    assert label_lines("Intergovernmentalrelationsworkinggroup and more") == [
        "Intergovernmentalrelationsworkinggroup",
        "and more",
    ]


def test_the_milestones_chart_writes_months_as_the_pages_do():
    rows = [
        {"due_month": datetime.date(2026, 11, 1), "completed_month": None, "n": 2, "done": 0},
        {"due_month": datetime.date(2027, 1, 1), "completed_month": None, "n": 1, "done": 0},
    ]
    payload = _charts(milestones=rows)["milestones"]
    assert payload["labels"] == ["Nov 2026", "Dec 2026", "Jan 2027"]
    assert payload["today"] == "Dec 2026"
