import datetime
from decimal import Decimal

import factory

from compacts.choices import (
    ActivityKind,
    Category,
    CommitmentStatus,
    CompactStatus,
    MilestoneStatus,
)
from compacts.models import Activity, Commitment, Compact, Grant, Milestone, Participant, Signatory
from tests.announcing_factory import AnnouncingFactory
from tests.schools.factories import (
    CityFactory,
    DistrictFactory,
    FunderFactory,
    LeadershipTermFactory,
)


class CompactFactory(AnnouncingFactory):
    class Meta:
        model = Compact

    city = factory.SubFactory(CityFactory)
    title = factory.Sequence(lambda n: f"Collaboration Compact {n}")
    signed_on = datetime.date(2012, 1, 15)
    cohort = "2011-12"
    status = CompactStatus.ACTIVE


class SignatoryFactory(AnnouncingFactory):
    """A signatory whose seat is a district of the compact's city, in post when signing."""

    class Meta:
        model = Signatory

    compact = factory.SubFactory(CompactFactory)
    leadership_term = factory.SubFactory(
        LeadershipTermFactory,
        organization=factory.SubFactory(
            DistrictFactory, city=factory.SelfAttribute("...compact.city")
        ),
        started_on=factory.LazyAttribute(
            lambda term: term.factory_parent.compact.signed_on - datetime.timedelta(days=365)
        ),
    )


class ParticipantFactory(AnnouncingFactory):
    class Meta:
        model = Participant

    compact = factory.SubFactory(CompactFactory)
    organization = factory.SubFactory(DistrictFactory, city=factory.SelfAttribute("..compact.city"))
    joined_on = factory.SelfAttribute("compact.signed_on")


class CommitmentFactory(AnnouncingFactory):
    class Meta:
        model = Commitment

    compact = factory.SubFactory(CompactFactory)
    category = Category.ENR
    title = factory.Sequence(lambda n: f"Commitment {n}")
    status = CommitmentStatus.IN_PROGRESS
    achieved_on = factory.LazyAttribute(
        lambda c: datetime.date(2014, 6, 1) if c.status == CommitmentStatus.ACHIEVED else None
    )


class MilestoneFactory(AnnouncingFactory):
    class Meta:
        model = Milestone

    commitment = factory.SubFactory(CommitmentFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = datetime.date(2030, 1, 1)
    status = MilestoneStatus.PLANNED
    completed_on = factory.LazyAttribute(
        lambda m: (
            min(m.due_on, datetime.date(2020, 1, 1)) if m.status == MilestoneStatus.DONE else None
        )
    )


class ActivityFactory(AnnouncingFactory):
    class Meta:
        model = Activity

    compact = factory.SubFactory(CompactFactory)
    commitment = None
    kind = ActivityKind.MEETING
    occurred_on = datetime.date(2015, 3, 1)
    title = factory.Sequence(lambda n: f"Steering meeting {n}")
    district_attendees = 4
    charter_attendees = 3


class GrantFactory(AnnouncingFactory):
    class Meta:
        model = Grant

    compact = factory.SubFactory(CompactFactory)
    funder = factory.SubFactory(FunderFactory)
    amount = Decimal("100000.00")
    awarded_on = datetime.date(2014, 1, 29)
    months = 12
    purpose = "signing grant"
