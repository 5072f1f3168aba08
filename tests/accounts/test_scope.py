"""The access choke point: which cities a user reads, and where they may write."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import scope
from accounts.choices import Role
from compacts.models import Commitment, Compact, Participant
from schools.choices import LeadershipRole
from tests.accounts.factories import MembershipFactory
from tests.compacts.factories import (
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    CityFactory,
    DistrictFactory,
    FunderFactory,
    LeadershipTermFactory,
)

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


# --- organizations without a city (issue 12 point 1) ---


def test_organizations_without_a_city_are_choosable_when_new_or_already_in_the_editors_compacts(
    editor, superuser, city_x, city_y
):
    x_compact, y_compact = CompactFactory(city=city_x), CompactFactory(city=city_y)
    own = DistrictFactory(city=city_x)
    new = CharterNetworkFactory()
    mine, both, theirs = (CharterNetworkFactory() for _ in range(3))
    ParticipantFactory(compact=x_compact, organization=mine)
    ParticipantFactory(compact=y_compact, organization=both)
    Participant.objects.create(compact=x_compact, organization=both, joined_on=x_compact.signed_on)
    ParticipantFactory(compact=y_compact, organization=theirs)
    their_funder = GrantFactory(compact=y_compact, funder=FunderFactory()).funder
    DistrictFactory(city=city_y)

    def pks(*organizations):
        return {organization.pk for organization in organizations}

    chosen = set(scope.choosable_organizations(editor, city_x).values_list("pk", flat=True))
    assert pks(own, new, mine, both) <= chosen
    assert not chosen & pks(theirs, their_funder)
    everything = scope.choosable_organizations(superuser, city_x).values_list("pk", flat=True)
    assert pks(theirs, their_funder) <= set(everything)


def test_only_people_with_a_term_in_the_editors_scope_are_reusable(editor, city_x, city_y):
    local = LeadershipTermFactory(organization=DistrictFactory(city=city_x)).person
    signer = SignatoryFactory(
        compact=CompactFactory(city=city_x),
        leadership_term__organization=CharterNetworkFactory(),
        leadership_term__role=LeadershipRole.NETWORK_CEO,
    ).leadership_term.person
    elsewhere = LeadershipTermFactory(organization=DistrictFactory(city=city_y)).person
    unsigned_network = LeadershipTermFactory(organization=CharterNetworkFactory()).person

    reusable = set(scope.reusable_people(editor))
    assert reusable == {local, signer}
    assert not reusable & {elsewhere, unsigned_network}
    assert scope.can_rename_person(editor, local)
    LeadershipTermFactory(person=local, organization=DistrictFactory(city=city_y))
    assert not scope.can_rename_person(editor, local)
