"""Sample records in two cities, X and Y, so that every URL has an object to point at."""

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
    compact = CompactFactory(city=city)
    signatory = SignatoryFactory(compact=compact)
    term = signatory.leadership_term
    district = term.organization.district_record
    participant = ParticipantFactory(compact=compact, organization=district)
    commitment = CommitmentFactory(compact=compact)
    return CityRecords(
        city=city,
        compact=compact,
        signatory=signatory,
        term=term,
        person=term.person,
        district=district,
        participant=participant,
        commitment=commitment,
        milestone=MilestoneFactory(commitment=commitment),
        activity=ActivityFactory(compact=compact, commitment=commitment),
        grant=GrantFactory(compact=compact),
        school=CharterSchoolFactory(city=city, district=district, network=network),
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
