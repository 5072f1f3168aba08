"""Sample records in two cities, X and Y, so that every URL has an object to point at.

Every record's name carries its city's name ("Xville commitment"), so that a list page showing a
record of a city the user is not a member of gives itself away (see harness.SCOPED_LISTS).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.choices import Role
from schools.choices import LeadershipRole, OrganizationKind
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    CityFactory,
    OrganizationFactory,
)


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
    # A seat of an organization without a city (a network's CEO) that signed this city's compact
    # only: the other city's editor must find nothing there.
    network_term: object
    # A seat without a city that signed both cities' compacts (set by build_world on city X's
    # records): only a superuser, or an editor of both, changes it.
    shared_term: object = None


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
        network_term=SignatoryFactory(
            compact=compact,
            leadership_term__organization=CharterNetworkFactory(name=f"{name} Prep Network"),
            leadership_term__role=LeadershipRole.NETWORK_CEO,
            leadership_term__person__full_name=f"{name} Network Chief",
        ).leadership_term,
    )


@dataclass
class World:
    x: CityRecords
    y: CityRecords
    network: object


def build_world(city_x, city_y) -> World:
    network = CharterNetworkFactory()
    x, y = build_city_records(city_x, network), build_city_records(city_y, network)
    association = OrganizationFactory(
        name="Shared Charter Association", kind=OrganizationKind.CHARTER_ASSOCIATION, city=None
    )
    x.shared_term = SignatoryFactory(
        compact=x.compact,
        leadership_term__organization=association,
        leadership_term__role=LeadershipRole.ASSOCIATION_HEAD,
        leadership_term__person__full_name="Shared Association Head",
    ).leadership_term
    SignatoryFactory(compact=y.compact, leadership_term=x.shared_term)
    return World(x=x, y=y, network=network)


def build_cities():
    """City X and city Y, as the personas of tests/conftest.py know them."""
    return CityFactory(name="Xville", state="TX"), CityFactory(name="Yton", state="CA")


def build_personas(city_x, city_y) -> dict[str, object]:
    """The signed-in personas of tests/conftest.py, for tests that cannot use its fixtures
    (fixtures wider than one test). Passwords are unusable: these users are signed in directly."""

    def member(username, city, role):
        user = UserFactory(username=username, password=None)
        MembershipFactory(user=user, city=city, role=role)
        return user

    return {
        "viewer": member("viewer", city_x, Role.VIEWER),
        "outsider": member("outsider", city_y, Role.EDITOR),
        "editor": member("editor", city_x, Role.EDITOR),
        "superuser": UserFactory(username="admin", password=None, is_superuser=True, is_staff=True),
    }
