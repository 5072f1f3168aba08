"""The compact page reads each section in one query (compacts.selectors.compact_page): who holds
a departed signatory's seat, the opt-ins of each commitment and the milestones in order."""

import datetime

import pytest
from django.utils import timezone

from compacts.choices import MilestoneStatus
from compacts.selectors import compact_page
from schools.choices import EndReason
from tests.compacts.factories import (
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import DistrictFactory, LeadershipTermFactory, PersonFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x)


def _departed_signatory(compact):
    signatory = SignatoryFactory(compact=compact)
    term = signatory.leadership_term
    term.ended_on, term.end_reason = datetime.date(2014, 6, 30), EndReason.RETIRED
    term.save()
    return term


def _open_term(term, name: str, started_on, ended_on=None):
    return LeadershipTermFactory(
        organization=term.organization,
        role=term.role,
        person=PersonFactory(full_name=name),
        started_on=started_on,
        ended_on=ended_on,
    )


def test_the_seat_holder_is_the_latest_in_post_today(superuser, compact):
    term = _departed_signatory(compact)
    # One open-ended term per seat; the others in post end on a known later day.
    _open_term(term, "First Successor", datetime.date(2014, 7, 1), ended_on=TODAY + 100 * DAY)
    _open_term(term, "Co-Holder", datetime.date(2016, 1, 1))
    _open_term(term, "Gone Already", datetime.date(2017, 1, 1), ended_on=TODAY - DAY)
    _open_term(term, "Starts Later", TODAY + 30 * DAY, ended_on=TODAY + 400 * DAY)
    [row] = compact_page(user=superuser, pk=compact.pk).signatories
    assert not row.in_post
    assert (row.holder_now.name, row.holder_now.started_on) == (
        "Co-Holder",
        datetime.date(2016, 1, 1),
    )


def test_a_seat_whose_successor_starts_later_names_the_first_to_start(superuser, compact):
    term = _departed_signatory(compact)
    _open_term(term, "Second Later", TODAY + 60 * DAY)
    _open_term(term, "First Later", TODAY + 30 * DAY, ended_on=TODAY + 50 * DAY)
    [row] = compact_page(user=superuser, pk=compact.pk).signatories
    assert row.holder_now.name == "First Later"


def test_a_vacant_seat_has_no_holder_and_a_signatory_in_post_needs_none(superuser, compact):
    _departed_signatory(compact)
    SignatoryFactory(compact=compact)
    rows = compact_page(user=superuser, pk=compact.pk).signatories
    assert sorted((row.in_post, row.holder_now) for row in rows) == [(False, None), (True, None)]


def test_opt_ins_and_milestones_belong_to_their_commitment_in_order(superuser, compact):
    alpha = ParticipantFactory(
        compact=compact, organization=DistrictFactory(name="Alpha ISD", city=compact.city)
    )
    beta = ParticipantFactory(
        compact=compact, organization=DistrictFactory(name="Beta ISD", city=compact.city)
    )
    ParticipantFactory(
        compact=compact, organization=DistrictFactory(name="Gamma ISD", city=compact.city)
    )
    both = CommitmentFactory(compact=compact, title="A: both opt in")
    both.participants.set([beta, alpha])
    one = CommitmentFactory(compact=compact, title="B: one opts in")
    one.participants.set([beta])
    bare = CommitmentFactory(compact=compact, title="C: binds everyone")
    late = MilestoneFactory(commitment=both, title="Late", due_on=TODAY - DAY)
    done = MilestoneFactory(
        commitment=both,
        title="Done",
        due_on=TODAY - 2 * DAY,
        status=MilestoneStatus.DONE,
        completed_on=TODAY - 3 * DAY,
    )
    future = MilestoneFactory(commitment=one, title="Future", due_on=TODAY + DAY)

    page = compact_page(user=superuser, pk=compact.pk)

    commitments = [c for group in page.commitment_groups for c in group.commitments]
    assert commitments == [both, one, bare]
    assert page.commitment_count == 3
    shown = {c.title: c for c in commitments}
    assert [p.organization.name for p in shown["A: both opt in"].page_opt_ins] == [
        "Alpha ISD",
        "Beta ISD",
    ]
    assert [p.organization.name for p in shown["B: one opts in"].page_opt_ins] == ["Beta ISD"]
    assert shown["C: binds everyone"].page_opt_ins == []
    assert [(m, m.overdue) for m in shown["A: both opt in"].page_milestones] == [
        (done, False),
        (late, True),
    ]
    assert [m.title for m in shown["B: one opts in"].page_milestones] == [future.title]
    assert shown["C: binds everyone"].page_milestones == []
    # every participant once, however many commitments it opted into
    assert [p.organization.name for p in page.districts] == ["Alpha ISD", "Beta ISD", "Gamma ISD"]
