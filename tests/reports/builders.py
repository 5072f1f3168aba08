"""Small record builders for hand-computed metric tests: every date is explicit."""

import datetime

from django.utils import timezone

from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus
from compacts.models import Activity, Commitment, Milestone
from schools.choices import LeadershipRole
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    SignatoryFactory,
)
from tests.schools.factories import DistrictFactory, LeadershipTermFactory

TODAY = datetime.date(2024, 6, 30)
SIGNED = datetime.date(2012, 1, 15)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def city_row(city) -> dict:
    return {"id": city.id, "name": city.name, "state": city.state, "slug": city.slug}


def live_compact(city, **kwargs):
    kwargs.setdefault("signed_on", SIGNED)
    kwargs.setdefault("status", CompactStatus.ACTIVE)
    return CompactFactory(city=city, **kwargs)


def commitment(compact, status=CommitmentStatus.IN_PROGRESS, achieved_on=None, **kwargs):
    if status == CommitmentStatus.ACHIEVED and achieved_on is None:
        achieved_on = datetime.date(2014, 6, 1)
    return CommitmentFactory(compact=compact, status=status, achieved_on=achieved_on, **kwargs)


def milestone(commitment_, due_on, status=MilestoneStatus.PLANNED, completed_on=None):
    return MilestoneFactory(
        commitment=commitment_, due_on=due_on, status=status, completed_on=completed_on
    )


def activity(compact, occurred_on, commitment_=None):
    return ActivityFactory(compact=compact, occurred_on=occurred_on, commitment=commitment_)


def signatory(compact, organization=None, role=LeadershipRole.SUPERINTENDENT, **term):
    """A signatory in a seat of the compact's city, in post on the signing day by default."""
    organization = organization or DistrictFactory(city=compact.city)
    term.setdefault("started_on", compact.signed_on - days(365))
    leadership_term = LeadershipTermFactory(organization=organization, role=role, **term)
    return SignatoryFactory(compact=compact, leadership_term=leadership_term)


def term_at(signatory_, **term):
    """Another term at the same seat as a signatory's."""
    seat = signatory_.leadership_term
    return LeadershipTermFactory(organization=seat.organization, role=seat.role, **term)


def touch_everything(at: datetime.datetime | None = None) -> None:
    """Set updated_at of every commitment, milestone and activity (auto_now would say "now")."""
    at = at or timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12)))
    for model in (Commitment, Milestone, Activity):
        model.objects.update(updated_at=at)
