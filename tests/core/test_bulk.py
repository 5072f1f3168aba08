"""core.bulk: multi-table children in bulk, as a save() would store them, in a fixed number of
queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.bulk import bulk_create_children, insert_rows
from schools.choices import OrganizationKind
from schools.models import CharterNetwork, City, District, Organization
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db


def districts(city: City, count: int) -> list[District]:
    return [
        District(
            name=f"District {n}",
            kind=OrganizationKind.DISTRICT,
            city=city,
            nces_leaid=f"48{n:05d}",
            is_charter_lea=n % 2 == 0,
        )
        for n in range(count)
    ]


def test_children_are_stored_with_their_parent_rows_and_come_back_saved():
    city = CityFactory()
    created = bulk_create_children(District, districts(city, 3))
    for district in created:
        assert district.pk is not None and district.id == district.organization_ptr_id
        assert not district._state.adding
        stored = District.objects.get(pk=district.pk)
        assert (stored.name, stored.city_id, stored.nces_leaid, stored.is_charter_lea) == (
            district.name,
            city.pk,
            district.nces_leaid,
            district.is_charter_lea,
        )
        # auto_now timestamps as the parent's insert set them
        assert stored.created_at == district.created_at is not None
    assert Organization.objects.filter(kind=OrganizationKind.DISTRICT).count() == 3


@pytest.mark.parametrize("count", [3, 40])
def test_it_writes_in_two_queries_whatever_the_number_of_records(count):
    city = CityFactory()
    objects = districts(city, count)
    with CaptureQueriesContext(connection) as context:
        bulk_create_children(District, objects)
    assert len(context) == 2, [query["sql"][:80] for query in context.captured_queries]
    assert District.objects.count() == count


def test_it_refuses_a_model_that_inherits_nothing():
    with pytest.raises(ValueError, match="City is not the child of one concrete model"):
        bulk_create_children(City, [City(name="Austin", state="TX", slug="austin")])
    assert not City.objects.exists()


def test_nothing_to_write_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_create_children(CharterNetwork, []) == []
        insert_rows(CharterNetwork, CharterNetwork._meta.local_concrete_fields, [])


def test_insert_rows_splits_what_the_backend_cannot_take_in_one_statement():
    city = CityFactory()
    parents = Organization.objects.bulk_create(
        Organization(name=f"Org {n}", kind=OrganizationKind.DISTRICT, city=city)
        for n in range(1200)
    )
    fields = District._meta.local_concrete_fields
    assert [field.name for field in fields] == ["organization_ptr", "nces_leaid", "is_charter_lea"]
    rows = [(parent.pk, None, True) for parent in parents]
    batch = connection.ops.bulk_batch_size(list(fields), rows)
    with CaptureQueriesContext(connection) as context:
        insert_rows(District, fields, rows)
    assert len(context) == -(-len(rows) // batch)
    assert District.objects.filter(is_charter_lea=True, nces_leaid=None).count() == 1200
