import datetime

import factory

from reports.models import CityRollup, CitySnapshot, CompactSnapshot
from tests.compacts.factories import CompactFactory
from tests.schools.factories import CityFactory


class CitySnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitySnapshot

    city = factory.SubFactory(CityFactory)
    month = datetime.date(2026, 1, 1)
    as_of = datetime.date(2026, 1, 31)
    health = "green"


class CompactSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompactSnapshot

    compact = factory.SubFactory(CompactFactory)
    month = datetime.date(2026, 1, 1)
    as_of = datetime.date(2026, 1, 31)
    health = "green"


class CityRollupFactory(factory.django.DjangoModelFactory):
    """A city's rollup row as a write leaves it: a version and nothing computed at it."""

    class Meta:
        model = CityRollup

    city = factory.SubFactory(CityFactory)
    version = 1
