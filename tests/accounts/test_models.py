"""Membership rules refuse bad input with a clear message and in the database."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from accounts.choices import Role
from accounts.models import Membership
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db


def refused(record, field: str = NON_FIELD_ERRORS) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    errors = excinfo.value.message_dict
    assert field in errors, f"expected an error on {field!r}, got {errors}"
    return errors[field]


def refused_by_database(write) -> str:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    return str(excinfo.value)


def test_it_refuses_a_second_role_for_the_same_user_in_the_same_city():
    membership = MembershipFactory(role=Role.VIEWER)
    second = Membership(user=membership.user, city=membership.city, role=Role.EDITOR)
    assert refused(second) == ["This user already has a role in this city."]
    refused_by_database(second.save)


def test_it_accepts_the_same_user_in_another_city():
    membership = MembershipFactory()
    Membership(user=membership.user, city=CityFactory(name="Other"), role=Role.EDITOR).full_clean()


def test_it_refuses_an_unknown_role():
    membership = Membership(user=UserFactory(), city=CityFactory(), role="owner")
    assert refused(membership, "role") == ["Value 'owner' is not a valid choice."]
    assert "role_valid" in refused_by_database(membership.save)


def test_deleting_a_user_removes_their_memberships():
    membership = MembershipFactory()
    membership.user.delete()
    assert not Membership.objects.filter(pk=membership.pk).exists()
