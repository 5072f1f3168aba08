"""The signed-in user's roles and the list of cities are cached across requests, and every
change of a membership or a city shows on the next request."""

import pytest

from accounts.choices import Role
from accounts.models import Membership
from accounts.scope import can_edit, readable_cities
from core.changes import cities_changed
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (the roles of a request live on its user object)."""
    return type(user).objects.get(pk=user.pk)


def test_a_removed_membership_closes_the_city_on_the_next_request(viewer_client, viewer, city_x):
    url = f"/cities/{city_x.slug}/"
    assert viewer_client.get(url).status_code == 200

    Membership.objects.get(user=viewer).delete()

    assert viewer_client.get(url).status_code == 404


def test_a_changed_role_shows_on_the_next_request(viewer, city_x, django_assert_num_queries):
    viewer = fresh(viewer)
    assert not can_edit(viewer, city_x.id)
    readable_cities(viewer)
    viewer = fresh(viewer)
    with django_assert_num_queries(0):
        assert readable_cities(viewer)[0]["role"] == Role.VIEWER  # from the cache

    membership = Membership.objects.get(user=viewer)
    membership.role = Role.EDITOR
    membership.save()

    viewer = fresh(viewer)
    assert can_edit(viewer, city_x.id)


def test_a_new_city_and_a_renamed_one_show_once_announced(viewer, city_x, city_y):
    viewer = fresh(viewer)
    assert [city["name"] for city in readable_cities(viewer)] == ["Xville"]
    MembershipFactory(user=viewer, city=city_y)
    city_x.name = "Exville"
    city_x.save()
    cities_changed([city_x.id])

    viewer = fresh(viewer)
    assert [city["name"] for city in readable_cities(viewer)] == ["Exville", "Yton"]


def test_every_city_changed_drops_every_users_roles(viewer, city_x, city_y):
    viewer = fresh(viewer)
    readable_cities(viewer)
    # A bulk load writes memberships without their signals, then announces every city.
    Membership.objects.bulk_create([Membership(user=viewer, city=city_y, role=Role.EDITOR)])
    cities_changed(None)

    viewer = fresh(viewer)
    assert can_edit(viewer, city_y.id)
