"""Sample records in two cities, X and Y, so that every URL has an object to point at.

Every record's name carries its city's name ("Xville commitment"), so that a list page showing a
record of a city the user is not a member of gives itself away (see harness.SCOPED_LISTS).
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import CharterNetworkFactory, CharterSchoolFactory


@dataclass
class CityRecords:
    city: object
    compact: object
    signatory: object
    term: object
    person: object
    district: object
    participant: object
    commitment: object
    milestone: object
    activity: object
    grant: object
    school: object


def build_city_records(city, network) -> CityRecords:
    name = city.name
    compact = CompactFactory(city=city, title=f"{name} Compact")
    signatory = SignatoryFactory(
        compact=compact,
        leadership_term__person__full_name=f"{name} Leader",
        leadership_term__organization__name=f"{name} ISD",
    )
    term = signatory.leadership_term
    district = term.organization.district_record
    participant = ParticipantFactory(compact=compact, organization=district)
    commitment = CommitmentFactory(compact=compact, title=f"{name} commitment")
    return CityRecords(
        city=city,
        compact=compact,
        signatory=signatory,
        term=term,
        person=term.person,
        district=district,
        participant=participant,
        commitment=commitment,
        milestone=MilestoneFactory(commitment=commitment, title=f"{name} milestone"),
        activity=ActivityFactory(compact=compact, commitment=commitment, title=f"{name} meeting"),
        grant=GrantFactory(compact=compact, purpose=f"{name} signing grant"),
        school=CharterSchoolFactory(
            name=f"{name} Academy", city=city, district=district, network=network
        ),
    )


@dataclass
class World:
    x: CityRecords
    y: CityRecords
    network: object


def build_world(city_x, city_y) -> World:
    network = CharterNetworkFactory()
    return World(
        x=build_city_records(city_x, network),
        y=build_city_records(city_y, network),
        network=network,
    )
