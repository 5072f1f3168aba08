"""A number no integer column can hold finds nothing, wherever it is looked up (core.lookups):
through a link, in an `__in` list, or excluded."""

import pytest

from compacts.models import Commitment
from schools.models import CharterSchool, District
from tests.compacts.factories import CommitmentFactory
from tests.schools.factories import CharterSchoolFactory, DistrictFactory

pytestmark = pytest.mark.django_db

HUGE = 10**20
TOO_LOW = -(2**63) - 1


@pytest.mark.parametrize("number", [HUGE, 2**63, TOO_LOW])
def test_a_link_to_a_number_past_the_columns_range_finds_nothing(number):
    CharterSchoolFactory(district=DistrictFactory())

    assert not CharterSchool.objects.filter(district=number).exists()
    assert not CharterSchool.objects.filter(district_id=number).exists()
    assert not District.objects.filter(pk=number).exists()
    assert not District.objects.filter(pk__in=[number]).exists()
    assert CharterSchool.objects.exclude(district=number).count() == 1


def test_an_in_list_keeps_the_numbers_the_column_holds():
    commitment = CommitmentFactory()
    school = CharterSchoolFactory(district=DistrictFactory())

    assert list(Commitment.objects.filter(pk__in=[commitment.pk, HUGE])) == [commitment]
    assert list(CharterSchool.objects.filter(district__in=[school.district_id, HUGE])) == [school]
    assert Commitment.objects.exclude(pk__in=[HUGE]).count() == 1
    assert not Commitment.objects.filter(pk__in=[HUGE, TOO_LOW]).exists()
