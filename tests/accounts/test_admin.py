"""Superusers manage users and their city memberships in the admin."""

import pytest
from django.contrib.auth import get_user_model

from accounts.choices import Role
from accounts.models import Membership
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def user_change_form(user, memberships=(), initial=0) -> dict:
    """The user admin's change form as a browser would send it, with inline memberships."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2024-01-02",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, fields in enumerate(memberships):
        for name, value in fields.items():
            data[f"memberships-{index}-{name}"] = value
        data[f"memberships-{index}-user"] = str(user.pk)
    return data


def test_the_user_page_lists_the_users_memberships_inline(superuser_client, editor, city_x):
    response = superuser_client.get(f"/admin/auth/user/{editor.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="memberships-TOTAL_FORMS"' in html
    assert "City memberships (editors change a city" in html
    assert f'<option value="{city_x.pk}" selected>' in html


def test_a_superuser_gives_a_user_a_role_in_a_city_from_the_user_page(superuser_client, superuser):
    user = UserFactory(username="newcomer")
    city = CityFactory(name="Camden", state="NJ")
    response = superuser_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        user_change_form(user, [{"city": str(city.pk), "role": Role.EDITOR}]),
    )
    assert response.status_code == 302, response.context["errors"]
    membership = Membership.objects.get(user=user)
    assert (membership.city, membership.role) == (city, Role.EDITOR)
    assert membership.history.get().history_user == superuser


def test_the_inline_refuses_a_second_role_in_the_same_city(superuser_client):
    user = UserFactory(username="twice")
    city = CityFactory(name="Camden", state="NJ")
    response = superuser_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        user_change_form(
            user,
            [
                {"city": str(city.pk), "role": Role.EDITOR},
                {"city": str(city.pk), "role": Role.VIEWER},
            ],
        ),
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for city" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_the_membership_list_searches_and_filters(superuser_client, editor, viewer, city_x):
    MembershipFactory(user=UserFactory(username="far-away"), role=Role.EDITOR)
    response = superuser_client.get("/admin/accounts/membership/", {"q": "Xville"})
    listed = [str(membership) for membership in response.context["cl"].result_list]
    assert sorted(listed) == sorted([str(editor.memberships.get()), str(viewer.memberships.get())])
    response = superuser_client.get(
        "/admin/accounts/membership/", {"role__exact": "viewer", "city__id__exact": city_x.pk}
    )
    assert list(response.context["cl"].result_list) == [viewer.memberships.get()]


@pytest.mark.parametrize("rows", [3, 15])
def test_the_membership_list_costs_four_queries_at_any_size(
    superuser_client, django_assert_num_queries, city_x, rows
):
    MembershipFactory.create_batch(rows, city=city_x)
    # the city filter's choices, the count, the unfiltered count, and the rows joined to their
    # user and city; the session comes from the cache, and so does the user, stored when they
    # signed in (accounts.backends: 4 where it was 5 with the user's query)
    with django_assert_num_queries(4):
        assert superuser_client.get("/admin/accounts/membership/").status_code == 200


def test_the_membership_form_finds_users_by_autocomplete(superuser_client, editor):
    response = superuser_client.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "membership", "field_name": "user", "term": "edi"},
    )
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["editor"]


def test_the_membership_form_finds_cities_by_autocomplete(superuser_client, city_x, city_y):
    response = superuser_client.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "membership", "field_name": "city", "term": "yt"},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(city_y.pk)]
