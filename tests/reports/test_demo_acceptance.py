"""Acceptance on the demo data: for Spring Branch, Rochester and Boston, the figures on the city
dashboard equal those in the CSV export and those computed by hand.

"By hand" means two things here. The facts from public reporting (compacts/demo_data/*.csv) are
worked out in the comments below and written as literals. The generated, illustrative milestones,
activities and schools are counted record by record in plain Python with the models' own
predicates (Milestone.is_overdue_on, Participant.is_taking_part_on, LeadershipTerm.is_open_on):
a second, deliberately naive implementation of each definition, independent of the grouped SQL
the selectors use.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from compacts.choices import LIVE_COMPACT_STATUSES, CommitmentStatus, MilestoneStatus
from compacts.demo import load_demo
from compacts.models import Activity, Commitment, Compact, Milestone, Participant, Signatory
from compacts.querysets import stale_cutoff
from schools.models import CharterSchool, City, LeadershipTerm
from tests.reports.pages import csv_rows, page_metrics, page_text

pytestmark = pytest.mark.django_db

# Facts from the CSV files, worked out by hand.
# Spring Branch, TX: "SKY Partnership compact", active, signed 2011-12-06.
#   commitments.csv: 2 achieved, 2 in progress -> completion 2 / 4 = 0.500.
#   leadership.csv: Duncan Klussmann (Spring Branch ISD superintendent, signed, left 2015-06-30)
#   and Jason Bernal (YES Prep CEO, signed, in post) -> retention 1 / 2 = 0.500; one term at the
#   signatories' seats ended after signing (Klussmann's) -> 1 leadership change.
# Boston, MA: "Boston Compact", renewed, signed 2011-09-20.
#   commitments.csv: 3 achieved, 3 in progress -> completion 3 / 6 = 0.500.
#   leadership.csv: Carol R. Johnson (BPS superintendent, signed, left 2013-06-30) and Thomas M.
#   Menino (mayor, signed, left 2014-01-06) -> retention 0 / 2 = 0.000, red: "2 of 2 signatories
#   have left since signing"; terms ended after signing at their seats: Johnson's, Menino's and
#   Martin J. Walsh's (mayor 2014-01-06 .. 2021-03-22) -> 3 leadership changes.
# Rochester, NY: "District-Charter Compact", terminated 2013-06-01: no live compact, so no
#   figures and no health; 1 compact.
FACTS = {
    "Spring Branch": {
        "compacts": "1",
        "commitment_completion": "0.500",
        "signatory_retention": "0.500",
        "leadership_changes_since_signing": "1",
    },
    "Boston": {
        "compacts": "1",
        "commitment_completion": "0.500",
        "signatory_retention": "0.000",
        "leadership_changes_since_signing": "3",
    },
}
METRICS = [
    "commitment_completion",
    "milestone_on_time",
    "overdue_milestones",
    "signatory_retention",
    "leadership_changes_since_signing",
    "charter_participation",
    "name_only",
    "stale_commitments",
]


def _ratio(numerator: int, denominator: int) -> str:
    if denominator == 0:
        return ""
    exact = Decimal(numerator) / Decimal(denominator)
    return f"{exact.quantize(Decimal('0.001'), rounding=ROUND_HALF_UP):.3f}"


def by_hand(city: City, today: datetime.date) -> dict[str, str]:
    """Every metric of DESIGN.md for a city, record by record."""
    compacts = [c for c in Compact.objects.filter(city=city) if c.status in LIVE_COMPACT_STATUSES]
    commitments = list(Commitment.objects.filter(compact__in=compacts))
    milestones = list(Milestone.objects.filter(commitment__in=commitments))
    activities = list(Activity.objects.filter(compact__in=compacts))
    signatories = list(
        Signatory.objects.filter(compact__in=compacts).select_related("leadership_term")
    )
    window = (today - datetime.timedelta(days=365), today)

    def in_window(day):
        return day is not None and window[0] < day <= today

    counted = [
        c
        for c in commitments
        if c.status not in (CommitmentStatus.ABANDONED, CommitmentStatus.SUPERSEDED)
    ]
    achieved = [c for c in counted if c.status == CommitmentStatus.ACHIEVED]
    overdue = [m for m in milestones if m.is_overdue_on(today)]
    done = [m for m in milestones if m.status == MilestoneStatus.DONE]
    missed = [m for m in milestones if m.status == MilestoneStatus.MISSED]
    on_time = [m for m in done if m.completed_on <= m.due_on]

    in_post = [s for s in signatories if s.leadership_term.is_open_on(today)]
    changes = set()
    for s in signatories:
        seat = s.leadership_term
        for term in LeadershipTerm.objects.filter(organization=seat.organization, role=seat.role):
            if term.ended_on and s.compact.signed_on < term.ended_on <= today:
                changes.add(term.pk)

    cutoff = stale_cutoff(today)
    stale = 0
    for c in commitments:
        if c.status != CommitmentStatus.IN_PROGRESS:
            continue
        touches = [c.updated_at]
        touches += [m.updated_at for m in milestones if m.commitment_id == c.pk]
        touches += [a.updated_at for a in activities if a.commitment_id == c.pk]
        if max(touches) < cutoff:
            stale += 1

    participants = [
        p for p in Participant.objects.filter(compact__in=compacts) if p.is_taking_part_on(today)
    ]
    taking_part = {p.organization_id for p in participants}
    schools = [s for s in CharterSchool.objects.filter(city=city) if s.is_open]
    participating = [s for s in schools if {s.pk, s.network_id} & taking_part]

    name_only = (
        sum(in_window(a.occurred_on) for a in activities) >= 6
        and not any(in_window(m.completed_on) for m in milestones)
        and not any(in_window(c.achieved_on) for c in commitments)
    )
    return {
        "commitment_completion": _ratio(len(achieved), len(counted)),
        "milestone_on_time": _ratio(len(on_time), len(done) + len(missed) + len(overdue)),
        "overdue_milestones": str(len(overdue)),
        "signatory_retention": _ratio(len(in_post), len(signatories)),
        "leadership_changes_since_signing": str(len(changes)),
        "charter_participation": _ratio(len(participating), len(schools)),
        "name_only": "true" if name_only else "false",
        "stale_commitments": str(stale),
    }


@pytest.fixture
def demo(superuser_client):
    load_demo()
    return superuser_client


def test_the_demo_dashboards_equal_the_export_and_the_hand_count(demo):
    today = timezone.localdate()
    exported = {row["city"]: row for row in csv_rows(demo.get("/reports/?export=csv"))}

    for name, slug in (("Spring Branch", "spring-branch"), ("Boston", "boston")):
        shown = page_metrics(demo.get(f"/cities/{slug}/"))
        hand = by_hand(City.objects.get(name=name), today)
        for metric in METRICS:
            assert shown[metric] == exported[name][metric] == hand[metric], (name, metric)
        for column, value in FACTS[name].items():
            assert exported[name][column] == value, (name, column)

    # Health: Spring Branch's story is green; Boston is red for its departed signatories.
    assert exported["Spring Branch"]["health"] == "green"
    assert exported["Boston"]["health"] == "red"
    assert "2 of 2 signatories have left since signing" in page_text(demo.get("/cities/boston/"))

    # Rochester: no live compact, so its status and end date instead of figures, everywhere.
    assert exported["Rochester"] == {
        "city": "Rochester",
        "state": "NY",
        "compacts": "1",
        **dict.fromkeys(METRICS + ["health"], ""),
        "health_label": "No live compact",
        "health_reasons": (
            "No live compact. District-Charter Compact: terminated, ended 1 Jun 2013."
        ),
        "as_of": today.isoformat(),
        "trend": "",
        "trend_label": "No live compact",
        "trend_detail": "No live compact today: nothing to compare.",
    }
    assert exported["Boston"]["health_label"] == "At risk"
    assert "2 of 2 signatories have left since signing" in exported["Boston"]["health_reasons"]
    rochester = demo.get("/cities/rochester/")
    assert page_metrics(rochester) == {}
    assert "District-Charter Compact: terminated, ended 1 Jun 2013" in page_text(rochester)
