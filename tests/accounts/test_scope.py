"""The access choke point: which cities a user reads, and where they may write."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import scope
from accounts.choices import Role
from compacts.models import Commitment, Compact
from tests.accounts.factories import MembershipFactory
from tests.compacts.factories import CommitmentFactory, CompactFactory
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compacts(city_x, city_y):
    return {"x": CompactFactory(city=city_x), "y": CompactFactory(city=city_y)}


@pytest.mark.parametrize(
    ("persona", "role_in_x", "role_in_y"),
    [
        ("viewer", Role.VIEWER, None),
        ("editor", Role.EDITOR, None),
        ("outsider", None, Role.EDITOR),
        ("superuser", Role.EDITOR, Role.EDITOR),
    ],
)
def test_each_persona_has_its_role_city_by_city(
    request, city_x, city_y, persona, role_in_x, role_in_y
):
    user = request.getfixturevalue(persona)
    assert scope.role_in(user, city_x.pk) == role_in_x
    assert scope.role_in(user, city_y.pk) == role_in_y


def test_anonymous_visitors_have_no_role_and_see_nothing(city_x, compacts):
    anonymous = AnonymousUser()
    assert scope.role_in(anonymous, city_x.pk) is None
    assert list(scope.scope_queryset(Compact.objects.all(), anonymous)) == []
    assert list(scope.visible_cities(anonymous)) == []


def test_a_deactivated_member_has_no_role_and_sees_nothing(editor, city_x, compacts):
    editor.is_active = False
    assert scope.role_in(editor, city_x.pk) is None
    assert list(scope.scope_queryset(Compact.objects.all(), editor)) == []


@pytest.mark.parametrize(
    ("persona", "visible"),
    [("viewer", ["x"]), ("editor", ["x"]), ("outsider", ["y"]), ("superuser", ["x", "y"])],
)
def test_querysets_are_scoped_to_the_users_cities(request, compacts, persona, visible):
    user = request.getfixturevalue(persona)
    scoped = scope.scope_queryset(Compact.objects.all(), user)
    assert set(scoped) == {compacts[key] for key in visible}


def test_scoping_follows_a_path_to_the_city(viewer, compacts):
    mine = CommitmentFactory(compact=compacts["x"])
    CommitmentFactory(compact=compacts["y"])
    scoped = scope.scope_queryset(Commitment.objects.all(), viewer, "compact__city")
    assert list(scoped) == [mine]


def test_a_scoped_list_costs_one_query_however_many_memberships(
    viewer, compacts, django_assert_num_queries
):
    for _ in range(5):
        MembershipFactory(user=viewer, city=CityFactory())
    with django_assert_num_queries(1):
        assert len(scope.scope_queryset(Compact.objects.all(), viewer)) == 1


def test_roles_are_read_once_per_request(editor, city_x, city_y, django_assert_num_queries):
    with django_assert_num_queries(1):
        scope.role_in(editor, city_x.pk)
        scope.role_in(editor, city_y.pk)
        scope.can_edit(editor, city_x.pk)


def test_visible_and_editable_cities(viewer, editor, superuser, city_x, city_y):
    assert list(scope.visible_cities(viewer)) == [city_x]
    assert list(scope.editable_cities(viewer)) == []
    assert list(scope.editable_cities(editor)) == [city_x]
    assert list(scope.visible_cities(superuser)) == [city_x, city_y]
    assert list(scope.editable_cities(superuser)) == [city_x, city_y]


def test_require_editor_answers_404_to_outsiders_and_403_to_viewers(
    viewer, editor, outsider, superuser, city_x
):
    with pytest.raises(Http404):
        scope.require_editor(outsider, city_x.pk)
    with pytest.raises(PermissionDenied):
        scope.require_editor(viewer, city_x.pk)
    scope.require_editor(editor, city_x.pk)
    scope.require_editor(superuser, city_x.pk)


def test_require_reader_answers_404_to_outsiders_only(viewer, outsider, city_x):
    with pytest.raises(Http404):
        scope.require_reader(outsider, city_x.pk)
    scope.require_reader(viewer, city_x.pk)


def test_reference_data_is_changed_by_superusers_only(editor, superuser):
    with pytest.raises(PermissionDenied):
        scope.require_superuser(editor)
    scope.require_superuser(superuser)
