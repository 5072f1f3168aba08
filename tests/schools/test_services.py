"""The leadership change closes a seat's open term and opens the successor's, both or neither;
at a vacant seat it records the new leader alone. Editors choose among the organizations of the
cities they edit and those without a city that take part in their compacts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from schools.choices import EndReason, LeadershipRole
from schools.forms import seat_organizations
from schools.models import LeadershipTerm, Person
from schools.services import leadership_change, person_create
from tests.compacts.factories import CompactFactory, ParticipantFactory, SignatoryFactory
from tests.schools.factories import (
    CharterNetworkFactory,
    DistrictFactory,
    FunderFactory,
    LeadershipTermFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

STARTED = datetime.date(2010, 1, 1)


@pytest.fixture
def district(city_x):
    return DistrictFactory(city=city_x, name="Xville ISD")


@pytest.fixture
def term(district):
    return LeadershipTermFactory(
        organization=district,
        role=LeadershipRole.SUPERINTENDENT,
        person=PersonFactory(full_name="Ada Leaving"),
        started_on=STARTED,
    )


def change(district, editor, **overrides):
    arguments = {
        "organization": district,
        "role": LeadershipRole.SUPERINTENDENT,
        "last_day": datetime.date(2015, 6, 30),
        "end_reason": EndReason.RETIRED,
        "successor_name": "Bea Coming",
        "successor_first_day": datetime.date(2015, 7, 1),
        "successor_title": "Superintendent",
        "actor": editor,
    }
    arguments.update(overrides)
    return leadership_change(**arguments)


def test_it_closes_the_open_term_and_opens_the_successors(term, district, editor):
    result = change(district, editor)
    term.refresh_from_db()
    assert (term.ended_on, term.end_reason) == (datetime.date(2015, 6, 30), EndReason.RETIRED)
    new = result.new_term
    assert (new.person.full_name, new.started_on, new.ended_on, new.title) == (
        "Bea Coming",
        datetime.date(2015, 7, 1),
        None,
        "Superintendent",
    )
    assert LeadershipTerm.objects.filter(organization=district, ended_on=None).get() == new


def test_it_records_the_acting_user_on_both_terms_and_the_new_person(term, district, editor):
    result = change(district, editor)
    assert term.history.order_by("-history_id").first().history_user == editor
    assert result.new_term.history.get().history_user == editor
    assert result.new_term.person.history.get().history_user == editor


def test_it_names_the_compacts_that_lost_a_signatory(term, district, editor, city_x):
    signed = SignatoryFactory(compact=CompactFactory(city=city_x), leadership_term=term).compact
    CompactFactory(city=city_x)  # signed by nobody in this seat
    result = change(district, editor)
    assert result.compacts_losing_signatory == [signed]


def test_it_reuses_the_person_it_is_given(term, district, editor):
    existing = PersonFactory(full_name="Bea Coming")
    result = change(district, editor, successor_name="  bea   COMING ", successor=existing)
    assert result.new_term.person == existing
    assert not result.new_person
    assert Person.objects.filter(full_name__iexact="bea coming").count() == 1


def test_without_a_person_given_it_records_a_new_one_whatever_the_name(term, district, editor):
    # Who a name means is the caller's decision within the user's scope, never a global lookup.
    PersonFactory(full_name="Bea Coming")
    result = change(district, editor, successor_name="  bea   COMING ")
    assert result.new_person and result.new_term.person.full_name == "bea COMING"
    assert Person.objects.filter(full_name__iexact="bea coming").count() == 2


def test_it_refuses_a_last_day_before_the_term_began(term, district, editor):
    with pytest.raises(ValidationError) as error:
        change(district, editor, last_day=STARTED - datetime.timedelta(days=1))
    assert "last_day" in error.value.error_dict
    term.refresh_from_db()
    assert term.ended_on is None


def test_it_refuses_a_successor_starting_before_the_predecessors_term_began(term, district, editor):
    with pytest.raises(ValidationError) as error:
        change(district, editor, successor_first_day=datetime.date(2009, 12, 31))
    assert "successor_first_day" in error.value.error_dict
    term.refresh_from_db()
    assert term.ended_on is None
    assert not Person.objects.filter(full_name="Bea Coming").exists()


def test_it_refuses_a_last_day_at_a_seat_with_nobody_in_post(district, editor):
    LeadershipTermFactory(
        organization=district, started_on=STARTED, ended_on=datetime.date(2012, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        change(district, editor)
    assert "role" in error.value.error_dict
    assert "leave the last day and the reason empty" in error.value.error_dict["role"][0].message
    assert LeadershipTerm.objects.count() == 1


def test_it_refuses_a_reason_alone_at_a_seat_with_nobody_in_post(district, editor):
    with pytest.raises(ValidationError) as error:
        change(district, editor, last_day=None)
    assert "role" in error.value.error_dict
    assert not LeadershipTerm.objects.exists()


def vacant_change(district, editor, **overrides):
    return change(district, editor, last_day=None, end_reason="", **overrides)


def test_at_a_vacant_seat_it_records_the_new_leader_without_closing_anything(district, editor):
    left = LeadershipTermFactory(
        organization=district,
        started_on=STARTED,
        ended_on=datetime.date(2012, 1, 1),
        end_reason=EndReason.RETIRED,
    )
    result = vacant_change(district, editor, successor_first_day=datetime.date(2013, 3, 1))
    assert result.closed_term is None and result.compacts_losing_signatory == []
    new = result.new_term
    assert (new.person.full_name, new.started_on, new.ended_on) == (
        "Bea Coming",
        datetime.date(2013, 3, 1),
        None,
    )
    assert new.history.get().history_user == editor
    left.refresh_from_db()
    assert (left.ended_on, left.end_reason) == (datetime.date(2012, 1, 1), EndReason.RETIRED)
    assert left.history.count() == 1


def test_a_seat_that_never_had_a_leader_gets_its_first(district, editor):
    result = vacant_change(district, editor)
    assert LeadershipTerm.objects.get() == result.new_term
    assert result.new_term.is_open


def test_at_a_vacant_seat_the_new_leader_cannot_start_before_the_last_one_left(district, editor):
    LeadershipTermFactory(
        organization=district,
        person=PersonFactory(full_name="Cy Before"),
        started_on=STARTED,
        ended_on=datetime.date(2012, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        vacant_change(district, editor, successor_first_day=datetime.date(2011, 12, 31))
    [message] = error.value.error_dict["successor_first_day"][0].messages
    assert (
        message
        == "Cy Before held this seat until 1 Jan 2012; the new leader cannot start before that."
    )
    assert LeadershipTerm.objects.count() == 1
    assert not Person.objects.filter(full_name="Bea Coming").exists()


def test_at_a_vacant_seat_the_new_leader_may_start_on_the_day_the_last_one_left(district, editor):
    LeadershipTermFactory(
        organization=district, started_on=STARTED, ended_on=datetime.date(2012, 1, 1)
    )
    result = vacant_change(district, editor, successor_first_day=datetime.date(2012, 1, 1))
    assert result.new_term.started_on == datetime.date(2012, 1, 1)


def test_a_first_leader_recorded_twice_is_refused_without_a_second_open_term(district, editor):
    vacant_change(district, editor)
    with pytest.raises(ValidationError) as error:
        vacant_change(district, editor)
    # The seat is no longer vacant: closing its term needs the leaving leader's last day.
    assert set(error.value.error_dict) == {"last_day", "end_reason", "successor_name"}
    assert LeadershipTerm.objects.filter(organization=district).count() == 1


def test_an_occupied_seat_needs_the_leaving_leaders_last_day_and_reason(term, district, editor):
    with pytest.raises(ValidationError) as error:
        vacant_change(district, editor)
    assert error.value.message_dict == {
        "last_day": ["Ada Leaving is in post: give their last day."],
        "end_reason": ["Say why Ada Leaving left."],
    }
    term.refresh_from_db()
    assert term.ended_on is None
    assert LeadershipTerm.objects.count() == 1


def test_it_refuses_the_leader_already_in_the_seat_as_successor(term, district, editor):
    with pytest.raises(ValidationError) as error:
        change(district, editor, successor_name="ada leaving")
    assert "successor_name" in error.value.error_dict


def test_it_refuses_an_empty_successor_name(term, district, editor):
    with pytest.raises(ValidationError) as error:
        change(district, editor, successor_name="   ")
    assert "successor_name" in error.value.error_dict


def test_a_second_submission_of_the_same_change_is_refused_without_a_second_open_term(
    term, district, editor
):
    change(district, editor)
    with pytest.raises(ValidationError) as error:
        change(district, editor)
    # The seat's open term is now the successor's, which began after the given last day.
    assert "last_day" in error.value.error_dict
    assert LeadershipTerm.objects.filter(organization=district).count() == 2
    assert LeadershipTerm.objects.filter(organization=district, ended_on=None).count() == 1


def test_the_database_backs_the_one_open_term_per_seat_rule(term, district):
    with pytest.raises(IntegrityError), transaction.atomic():
        LeadershipTerm.objects.create(
            person=PersonFactory(),
            organization=district,
            role=LeadershipRole.SUPERINTENDENT,
            started_on=STARTED,
        )


def test_it_is_all_or_nothing_when_the_successors_term_is_invalid(term, district, editor):
    with pytest.raises(ValidationError) as error:
        change(district, editor, successor_title="x" * 201)
    assert "title" in error.value.error_dict
    term.refresh_from_db()
    assert (term.ended_on, term.end_reason) == (None, "")
    assert not Person.objects.filter(full_name="Bea Coming").exists()
    assert term.history.count() == 1


def test_a_last_day_in_the_future_keeps_the_leader_in_post_until_then(term, district, editor):
    last_day = timezone.localdate() + datetime.timedelta(days=30)
    change(district, editor, last_day=last_day, successor_first_day=last_day)
    term.refresh_from_db()
    assert term.is_open


def test_a_seat_whose_leader_announced_a_future_departure_can_still_change(district, editor):
    leaving_on = timezone.localdate() + datetime.timedelta(days=60)
    term = LeadershipTermFactory(
        organization=district,
        started_on=STARTED,
        ended_on=leaving_on,
        end_reason=EndReason.STEPPED_DOWN,
    )
    change(
        district,
        editor,
        last_day=leaving_on - datetime.timedelta(days=10),
        successor_first_day=leaving_on - datetime.timedelta(days=9),
    )
    term.refresh_from_db()
    assert term.ended_on == leaving_on - datetime.timedelta(days=10)


def test_a_successor_cannot_start_before_the_leaving_leader_s_last_day(term, district, editor):
    with pytest.raises(ValidationError) as refused:
        change(district, editor, successor_first_day=datetime.date(2015, 1, 1))
    assert "cannot start before it" in str(refused.value.error_dict["successor_first_day"])
    term.refresh_from_db()
    assert term.ended_on is None


def test_a_successor_may_start_on_the_leaving_leader_s_last_day(term, district, editor):
    new = change(district, editor, successor_first_day=datetime.date(2015, 6, 30)).new_term
    assert new.started_on == datetime.date(2015, 6, 30)


def test_person_create_refuses_an_empty_name(editor):
    with pytest.raises(ValidationError):
        person_create(full_name=" ", actor=editor)


# --- which organizations an editor may choose ---


def test_editors_choose_their_cities_organizations_and_those_without_a_city_in_their_compacts(
    editor, viewer, city_x, city_y
):
    compact = CompactFactory(city=city_x)
    own = DistrictFactory(city=city_x)
    taking_part = CharterNetworkFactory()
    ParticipantFactory(compact=compact, organization=taking_part)
    signed = FunderFactory()
    SignatoryFactory(
        compact=compact,
        leadership_term__organization=signed,
        leadership_term__role=LeadershipRole.OTHER,
    )
    only_elsewhere = CharterNetworkFactory()
    ParticipantFactory(compact=CompactFactory(city=city_y), organization=only_elsewhere)
    FunderFactory()  # takes part in no compact
    DistrictFactory(city=city_y)

    chosen = set(seat_organizations(editor).values_list("pk", flat=True))
    assert chosen == {own.pk, taking_part.pk, signed.pk}
    assert not seat_organizations(viewer).exists()  # a reader of city X edits nothing
