"""The leadership change closes a seat's open term and opens the successor's, both or neither."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from schools.choices import EndReason, LeadershipRole
from schools.models import LeadershipTerm, Person
from schools.services import leadership_change, person_find_or_create
from tests.compacts.factories import CompactFactory, SignatoryFactory
from tests.schools.factories import DistrictFactory, LeadershipTermFactory, PersonFactory

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


def test_it_reuses_a_person_of_the_same_name(term, district, editor):
    existing = PersonFactory(full_name="Bea Coming")
    result = change(district, editor, successor_name="  bea   COMING ")
    assert result.new_term.person == existing
    assert Person.objects.filter(full_name__iexact="bea coming").count() == 1


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


def test_it_refuses_a_seat_with_nobody_in_post(district, editor):
    LeadershipTermFactory(
        organization=district, started_on=STARTED, ended_on=datetime.date(2012, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        change(district, editor)
    assert "role" in error.value.error_dict
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
    change(district, editor, last_day=leaving_on - datetime.timedelta(days=10))
    term.refresh_from_db()
    assert term.ended_on == leaving_on - datetime.timedelta(days=10)


def test_person_find_or_create_refuses_an_empty_name(editor):
    with pytest.raises(ValidationError):
        person_find_or_create(full_name=" ", actor=editor)
