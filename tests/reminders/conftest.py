"""A city's work for the reminder tests: in city X an overdue milestone, one due soon, a stale
commitment and a seat whose signer left; in city Y (the outsider's) the same, under names that
must never reach a member of X only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from compacts.choices import MilestoneStatus
from compacts.models import Commitment
from tests.compacts.factories import (
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    SignatoryFactory,
)


@dataclass
class Work:
    compact: object
    overdue: object
    due_soon: object
    stale: object
    signatory: object


def build_work(city, prefix: str, today: datetime.date) -> Work:
    compact = CompactFactory(city=city, title=f"{prefix} compact")
    active = CommitmentFactory(compact=compact, title=f"{prefix} enrollment")
    overdue = MilestoneFactory(
        commitment=active, title=f"{prefix} overdue report", due_on=today - datetime.timedelta(3)
    )
    due_soon = MilestoneFactory(
        commitment=active, title=f"{prefix} due plan", due_on=today + datetime.timedelta(10)
    )
    MilestoneFactory(
        commitment=active,
        title=f"{prefix} finished",
        due_on=today - datetime.timedelta(30),
        status=MilestoneStatus.DONE,
    )
    stale = CommitmentFactory(compact=compact, title=f"{prefix} stale facilities")
    Commitment.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=200)
    )
    signatory = SignatoryFactory(compact=compact)
    term = signatory.leadership_term
    term.person.full_name = f"{prefix} Signer"
    term.person.save()
    term.ended_on = today - datetime.timedelta(days=20)
    term.end_reason = "retired"
    term.save()
    return Work(compact, overdue, due_soon, stale, signatory)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def work_x(city_x, today):
    return build_work(city_x, "Xwork", today)


@pytest.fixture
def work_y(city_y, today):
    return build_work(city_y, "Secretwork", today)
