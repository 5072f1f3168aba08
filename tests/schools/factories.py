import datetime

import factory

from schools.choices import LeadershipRole, OrganizationKind
from schools.models import (
    CharterNetwork,
    CharterSchool,
    City,
    District,
    LeadershipTerm,
    Organization,
    Person,
)
from tests.announcing_factory import AnnouncingFactory


class CityFactory(AnnouncingFactory):
    class Meta:
        model = City
        django_get_or_create = ("name", "state")

    name = factory.Sequence(lambda n: f"City {n}")
    state = "TX"


class OrganizationFactory(AnnouncingFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = OrganizationKind.CITY_GOVERNMENT
    city = factory.SubFactory(CityFactory)


class FunderFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"Foundation {n}")
    kind = OrganizationKind.FUNDER
    city = None


class DistrictFactory(AnnouncingFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n} ISD")
    city = factory.SubFactory(CityFactory)
    nces_leaid = factory.Sequence(lambda n: f"{4800000 + n:07d}")


class CharterNetworkFactory(AnnouncingFactory):
    class Meta:
        model = CharterNetwork

    name = factory.Sequence(lambda n: f"Network {n} Public Schools")
    slug = factory.Sequence(lambda n: f"network-{n}")
    headquarters_state = "TX"
    city = None


class CharterSchoolFactory(AnnouncingFactory):
    """A charter school in its district's city, its NCES ID built on the district's LEAID."""

    class Meta:
        model = CharterSchool

    name = factory.Sequence(lambda n: f"Charter School {n}")
    city = factory.SubFactory(CityFactory)
    district = factory.SubFactory(DistrictFactory, city=factory.SelfAttribute("..city"))
    nces_school_id = factory.LazyAttributeSequence(
        lambda school, n: (
            f"{school.district.nces_leaid}{n % 100000:05d}"
            if school.district and school.district.nces_leaid
            else None
        )
    )
    network = None
    grade_low = "KG"
    grade_high = "05"
    is_open = True


class PersonFactory(AnnouncingFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Leader {n}")


class LeadershipTermFactory(AnnouncingFactory):
    class Meta:
        model = LeadershipTerm

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(DistrictFactory)
    role = LeadershipRole.SUPERINTENDENT
    title = "Superintendent"
    started_on = datetime.date(2010, 1, 1)
    ended_on = None
