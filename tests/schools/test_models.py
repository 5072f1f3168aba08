"""Every rule of the schools models refuses bad input twice: with a clear message from
full_clean(), and in the database when clean() is bypassed."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from schools.choices import EndReason, LeadershipRole
from schools.models import CharterSchool, City, District, LeadershipTerm, Organization
from tests.schools.factories import (
    CharterSchoolFactory,
    CityFactory,
    DistrictFactory,
    LeadershipTermFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

LEAID_PREFIX_MESSAGE = "A charter school's NCES ID must start with its district's LEAID."


def refused(record, field: str = NON_FIELD_ERRORS) -> list[str]:
    """The messages full_clean() gives for `field`; fails when the record validates."""
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    errors = excinfo.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    return errors[field]


def refused_by_database(write, errors=IntegrityError) -> str:
    """Runs `write` and returns the database's message; fails when the database accepts it."""
    with pytest.raises(errors) as excinfo, transaction.atomic():
        write()
    return str(excinfo.value)


# City


def test_it_refuses_a_second_city_of_the_same_name_in_the_same_state():
    CityFactory(name="Austin", state="TX")
    duplicate = City(name="Austin", state="TX", slug="austin-2")
    assert refused(duplicate) == ["This city is already recorded in that state."]
    refused_by_database(duplicate.save)


def test_it_accepts_the_same_city_name_in_another_state():
    CityFactory(name="Portland", state="OR")
    City(name="Portland", state="ME", slug="portland-me").full_clean()


def test_it_refuses_a_state_that_is_not_a_usps_code():
    city = City(name="Atlantis", state="ZZ", slug="atlantis")
    assert "Value 'ZZ' is not a valid choice." in refused(city, "state")
    refused_by_database(city.save)


def test_it_refuses_a_duplicate_city_slug():
    CityFactory(name="Springfield", state="IL")
    same_slug = City(name="Springfield", state="MO", slug="springfield")
    assert refused(same_slug, "slug") == ["City with this Slug already exists."]
    refused_by_database(same_slug.save)


def test_it_qualifies_a_taken_slug_with_the_state():
    CityFactory(name="Springfield", state="IL")
    assert CityFactory(name="Springfield", state="MO").slug == "springfield-mo"


# Organization


def test_it_refuses_an_unknown_kind_of_organization():
    organization = Organization(name="Guild", kind="guild")
    assert refused(organization, "kind") == ["Value 'guild' is not a valid choice."]
    assert "kind_valid" in refused_by_database(organization.save)


# District


@pytest.mark.parametrize("leaid", ["622710", "06227100", "06A2710"])
def test_it_refuses_a_leaid_that_is_not_seven_digits(leaid):
    district = DistrictFactory.build(nces_leaid=leaid, city=CityFactory())
    assert "An NCES district ID (LEAID) is exactly 7 digits, leading zeros included." in refused(
        district, "nces_leaid"
    )
    # Too long a value is a DataError on PostgreSQL, a CHECK failure on SQLite.
    refused_by_database(district.save, errors=(IntegrityError, DataError))


def test_it_keeps_the_leading_zero_of_a_leaid():
    district = DistrictFactory(nces_leaid="0622710")
    district.refresh_from_db()
    assert district.nces_leaid == "0622710"


def test_it_refuses_a_leaid_already_recorded():
    DistrictFactory(nces_leaid="4841100")
    duplicate = DistrictFactory.build(nces_leaid="4841100", city=CityFactory())
    assert refused(duplicate, "nces_leaid") == ["District with this NCES LEAID already exists."]
    refused_by_database(duplicate.save)


def test_it_accepts_several_districts_with_an_unknown_leaid():
    DistrictFactory(nces_leaid="")
    DistrictFactory(nces_leaid=None)
    assert District.objects.filter(nces_leaid__isnull=True).count() == 2


def test_a_district_is_always_of_kind_district():
    district = DistrictFactory()
    assert Organization.objects.get(pk=district.pk).kind == "district"


# Charter school


@pytest.mark.parametrize("school_id", ["48411000001", "4841100000011", "48411000000A"])
def test_it_refuses_a_school_id_that_is_not_twelve_digits(school_id):
    school = CharterSchoolFactory.build(nces_school_id=school_id, district=None, city=CityFactory())
    assert (
        "An NCES school ID is exactly 12 digits: the 7-digit LEAID and a 5-digit school number."
        in refused(school, "nces_school_id")
    )
    refused_by_database(school.save, errors=(IntegrityError, DataError))


def test_it_refuses_a_school_id_that_does_not_start_with_the_district_leaid():
    district = DistrictFactory(nces_leaid="4841100")
    school = CharterSchoolFactory.build(
        nces_school_id="480000012345", district=district, city=district.city
    )
    assert refused(school, "nces_school_id") == [
        "A school ID starts with its district's LEAID (4841100)."
    ]
    assert LEAID_PREFIX_MESSAGE in refused_by_database(school.save)


def test_the_database_refuses_an_update_that_breaks_the_leaid_prefix():
    school = CharterSchoolFactory(district=DistrictFactory(nces_leaid="4841100"))
    message = refused_by_database(
        lambda: CharterSchool.objects.filter(pk=school.pk).update(nces_school_id="480000012345")
    )
    assert LEAID_PREFIX_MESSAGE in message


def test_the_database_refuses_moving_a_school_to_a_district_of_another_leaid():
    school = CharterSchoolFactory(district=DistrictFactory(nces_leaid="4841100"))
    other = DistrictFactory(nces_leaid="4800001")
    message = refused_by_database(
        lambda: CharterSchool.objects.filter(pk=school.pk).update(district=other)
    )
    assert LEAID_PREFIX_MESSAGE in message


def test_the_database_refuses_a_district_leaid_change_that_orphans_its_school_ids():
    district = DistrictFactory(nces_leaid="4841100")
    CharterSchoolFactory(district=district, city=district.city)
    message = refused_by_database(
        lambda: District.objects.filter(pk=district.pk).update(nces_leaid="4800001")
    )
    assert LEAID_PREFIX_MESSAGE in message


def test_the_leaid_prefix_rule_waits_until_both_ids_are_known():
    unknown = DistrictFactory(nces_leaid=None)
    school = CharterSchoolFactory(district=unknown, city=unknown.city, nces_school_id=None)
    CharterSchool.objects.filter(pk=school.pk).update(nces_school_id="480000012345")
    District.objects.filter(pk=unknown.pk).update(nces_leaid="4800000")
    school.refresh_from_db()
    school.full_clean()


def test_it_refuses_a_highest_grade_below_the_lowest():
    school = CharterSchoolFactory.build(
        grade_low="06", grade_high="KG", district=None, city=CityFactory()
    )
    assert refused(school, "grade_high") == ["The highest grade cannot be below the lowest grade."]


def test_it_accepts_ungraded_at_either_end():
    # kind is set by save(); an unsaved school needs it spelled out to pass full_clean().
    CharterSchoolFactory.build(
        grade_low="06", grade_high="UG", district=None, city=CityFactory(), kind="charter_school"
    ).full_clean()


def test_it_refuses_an_implausible_opening_year():
    school = CharterSchoolFactory.build(opened_year=1850, district=None, city=CityFactory())
    assert refused(school) == ["The first charter schools opened in the 1990s."]
    refused_by_database(school.save)


def test_it_refuses_a_school_id_already_recorded():
    school = CharterSchoolFactory()
    duplicate = CharterSchoolFactory.build(
        nces_school_id=school.nces_school_id, district=school.district, city=school.city
    )
    assert refused(duplicate, "nces_school_id") == [
        "Charter school with this NCES school ID already exists."
    ]
    refused_by_database(duplicate.save)


# Person and leadership terms


def test_it_refuses_a_malformed_email():
    person = PersonFactory.build(email="not-an-address")
    assert refused(person, "email") == ["Enter a valid email address."]


def test_it_refuses_a_term_that_ends_before_it_starts():
    term = LeadershipTermFactory.build(
        person=PersonFactory(),
        organization=DistrictFactory(),
        started_on=datetime.date(2012, 1, 1),
        ended_on=datetime.date(2011, 1, 1),
        end_reason=EndReason.RETIRED,
    )
    assert refused(term, "ended_on") == ["A term cannot end before it starts."]
    assert "ends_after_start" in refused_by_database(term.save)


def test_the_database_refuses_a_term_ending_before_it_starts():
    term = LeadershipTermFactory(ended_on=datetime.date(2014, 1, 1))
    message = refused_by_database(
        lambda: LeadershipTerm.objects.filter(pk=term.pk).update(ended_on=datetime.date(2000, 1, 1))
    )
    assert "ends_after_start" in message


def test_it_refuses_a_second_open_term_in_the_same_seat():
    first = LeadershipTermFactory(role=LeadershipRole.SUPERINTENDENT)
    second = LeadershipTermFactory.build(
        person=PersonFactory(),
        organization=first.organization,
        role=LeadershipRole.SUPERINTENDENT,
    )
    assert refused(second) == [
        "This seat already has a leader in post; record a leadership change instead."
    ]
    refused_by_database(second.save)


def test_it_accepts_an_open_term_beside_closed_ones_and_in_another_role():
    first = LeadershipTermFactory(ended_on=datetime.date(2014, 6, 30))
    LeadershipTermFactory(organization=first.organization, started_on=datetime.date(2014, 7, 1))
    LeadershipTermFactory.build(
        person=PersonFactory(), organization=first.organization, role=LeadershipRole.BOARD_CHAIR
    ).full_clean()


def test_it_refuses_an_end_reason_without_an_end_date():
    term = LeadershipTermFactory.build(
        person=PersonFactory(), organization=DistrictFactory(), end_reason=EndReason.RETIRED
    )
    assert refused(term, "end_reason") == ["Give the last day in post, or leave the reason empty."]
    refused_by_database(term.save)


def test_a_term_is_open_until_its_end_date_has_passed():
    today = datetime.date(2020, 5, 1)
    term = LeadershipTermFactory.build(ended_on=today)
    assert not term.is_open_on(today)
    assert term.is_open_on(today - datetime.timedelta(days=1))
    assert LeadershipTermFactory.build(ended_on=None).is_open_on(today)


def test_an_organization_in_use_cannot_be_deleted():
    term = LeadershipTermFactory()
    with pytest.raises(ProtectedError) as excinfo, transaction.atomic():
        term.organization.delete()
    assert term in excinfo.value.protected_objects


TRIGGERS = {
    "sqlite": {
        "schools_charterschool_leaid_prefix_insert",
        "schools_charterschool_leaid_prefix_update",
        "schools_district_leaid_prefix_update",
    },
    "postgresql": {"schools_charterschool_leaid_prefix", "schools_district_leaid_prefix"},
}


def test_the_cross_table_triggers_exist_after_all_migrations():
    # SQLite drops a table's triggers when a migration rebuilds the table; this catches it.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert TRIGGERS[connection.vendor] <= names
