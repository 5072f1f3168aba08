"""Leadership turnover as program staff meet it: a successor named like someone of another city
is a new person; several people of that name in the editor's cities are told apart; a leader
leaves before a successor is found; the form shows who holds the seat before submitting; a
term's wrong dates or a typo are corrected from the app, with history."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from compacts.views.records import _seat_state
from core.concurrency import version_token
from history.records import history_url
from schools.choices import EndReason, LeadershipRole
from schools.models import LeadershipTerm, Person
from schools.services import leadership_term_correct
from tests.compacts.factories import CompactFactory, ParticipantFactory, SignatoryFactory
from tests.schools.factories import (
    CharterNetworkFactory,
    DistrictFactory,
    LeadershipTermFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

CHANGE_URL = "/leadership/change/"
SEAT_URL = "/leadership/seat/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, title="Denver Compact", signed_on=datetime.date(2012, 1, 15))


@pytest.fixture
def seat(compact):
    """Denver's superintendent, who signed Denver's compact."""
    return SignatoryFactory(
        compact=compact, leadership_term__person__full_name="Ada Leaving"
    ).leadership_term


@pytest.fixture
def la_person(city_y):
    """Someone of Los Angeles only, named like Denver's successor."""
    return LeadershipTermFactory(
        organization=DistrictFactory(city=city_y, name="LA Unified"),
        person=PersonFactory(full_name="Sam Rivera"),
    ).person


def data(term, **overrides) -> dict:
    values = {
        "organization": term.organization_id,
        "role": term.role,
        "last_day": "2015-06-30",
        "end_reason": EndReason.RETIRED,
        "successor_name": "Sam Rivera",
        "successor_first_day": "2015-07-01",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def field_errors(response, field: str) -> str:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


# --- people are not found by name across cities (issue 12.2) ---


def test_naming_another_city_s_person_records_a_new_person(editor_client, seat, la_person):
    response = editor_client.post(CHANGE_URL, data(seat), follow=True)
    [message] = messages_of(response)
    assert "A new person record was created for Sam Rivera." in message
    successor = LeadershipTerm.objects.get(organization=seat.organization, ended_on=None).person
    assert successor != la_person
    assert Person.objects.filter(full_name="Sam Rivera").count() == 2
    assert la_person.leadership_terms.count() == 1
    # The LA person's history stays out of reach; the new person's is the editor's.
    assert editor_client.get(history_url(la_person)).status_code == 404
    assert editor_client.get(history_url(successor)).status_code == 200
    assert "LA Unified" not in text(editor_client.get(history_url(successor)))


def test_a_person_of_the_editor_s_cities_is_reused(editor_client, seat, city_x):
    known = LeadershipTermFactory(
        organization=DistrictFactory(city=city_x), person=PersonFactory(full_name="Sam Rivera")
    ).person
    response = editor_client.post(
        CHANGE_URL, data(seat, successor_name=" sam  RIVERA"), follow=True
    )
    [message] = messages_of(response)
    assert "new person record" not in message
    assert LeadershipTerm.objects.get(organization=seat.organization, ended_on=None).person == known


@pytest.fixture
def two_sams(city_x, compact):
    school = DistrictFactory(city=city_x, name="Xville Charter Board")
    first = LeadershipTermFactory(
        organization=school,
        role=LeadershipRole.BOARD_CHAIR,
        person=PersonFactory(full_name="Sam Rivera"),
        started_on=datetime.date(2008, 1, 1),
        ended_on=datetime.date(2011, 5, 1),
        end_reason=EndReason.TERM_ENDED,
    ).person
    network = CharterNetworkFactory(name="Peak Network")
    ParticipantFactory(compact=compact, organization=network)
    second = SignatoryFactory(
        compact=compact,
        leadership_term__organization=network,
        leadership_term__role=LeadershipRole.NETWORK_CEO,
        leadership_term__person=PersonFactory(full_name="Sam Rivera"),
    ).leadership_term.person
    return first, second


def test_several_people_of_that_name_in_scope_the_form_asks_which_one(
    editor_client, seat, two_sams, la_person
):
    first, second = two_sams
    response = editor_client.post(CHANGE_URL, data(seat, successor_title="Interim"))
    message = field_errors(response, "successor_person")
    assert "choose which one" in message
    body = text(response)
    assert "Board chair, Xville Charter Board (from 1 Jan 2008, left 1 May 2011)" in body
    assert "Network CEO, Peak Network" in body
    assert "LA Unified" not in body  # the other city's Sam is not offered
    assert 'value="Interim"' in body  # what the user typed is kept
    assert LeadershipTerm.objects.get(pk=seat.pk).ended_on is None

    response = editor_client.post(
        CHANGE_URL, data(seat, successor_person=str(first.pk)), follow=True
    )
    assert "new person record" not in messages_of(response)[0]
    assert LeadershipTerm.objects.get(organization=seat.organization, ended_on=None).person == first


def test_among_several_the_editor_may_choose_a_new_person(editor_client, seat, two_sams):
    response = editor_client.post(CHANGE_URL, data(seat, successor_person="new"), follow=True)
    assert "A new person record was created" in messages_of(response)[0]
    assert Person.objects.filter(full_name="Sam Rivera").count() == 3


def test_a_crafted_choice_of_another_city_s_person_is_refused(
    editor_client, seat, two_sams, la_person
):
    response = editor_client.post(CHANGE_URL, data(seat, successor_person=str(la_person.pk)))
    assert "Select a valid choice" in field_errors(response, "successor_person")
    assert la_person.leadership_terms.count() == 1


# --- a departure without a successor yet (issue 13, turnover 1) ---


def test_a_departure_without_a_successor_leaves_the_seat_vacant(editor_client, seat, compact):
    response = editor_client.post(
        CHANGE_URL,
        data(seat, successor_name="", successor_first_day="", end_reason=EndReason.STEPPED_DOWN),
        follow=True,
    )
    [message] = messages_of(response)
    assert message.startswith(
        f"Departure recorded: Ada Leaving left as superintendent of {seat.organization} on "
        "30 Jun 2015. The seat is vacant"
    )
    assert "Denver Compact" in message
    seat.refresh_from_db()
    assert (seat.ended_on, seat.end_reason) == (datetime.date(2015, 6, 30), "stepped_down")
    assert LeadershipTerm.objects.count() == 1
    page = text(editor_client.get(reverse("compacts:compact", kwargs={"pk": compact.pk})))
    assert "Left on 30 Jun 2015 (stepped down)" in page
    assert "The seat is vacant since 30 Jun 2015." in page


def test_the_successor_is_recorded_later_at_the_vacant_seat(editor_client, seat, compact):
    editor_client.post(CHANGE_URL, data(seat, successor_name="", successor_first_day=""))
    response = editor_client.post(
        CHANGE_URL,
        data(seat, last_day="", end_reason="", successor_first_day="2016-01-04"),
        follow=True,
    )
    assert messages_of(response)[-1].startswith("The seat was vacant")
    page = text(editor_client.get(reverse("compacts:compact", kwargs={"pk": compact.pk})))
    assert re.search(r"Now in the seat:\s*<strong>Sam Rivera</strong>, since 4 Jan 2016", page)
    assert "vacant since" not in page.lower()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"successor_name": "", "successor_first_day": "", "last_day": ""}, "last_day", "last day"),
        ({"successor_name": "", "successor_first_day": "", "end_reason": ""}, "end_reason", "why"),
        ({"successor_first_day": ""}, "successor_first_day", "first day"),
        ({"successor_name": ""}, "successor_name", "name"),
    ],
)
def test_a_departure_or_change_missing_a_part_keeps_the_input_and_writes_nothing(
    editor_client, seat, overrides, field, message
):
    response = editor_client.post(CHANGE_URL, data(seat, successor_title="Kept", **overrides))
    assert message in field_errors(response, field).lower()
    assert 'value="Kept"' in text(response)
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_a_departure_at_a_vacant_seat_is_refused(editor_client, seat):
    seat.ended_on, seat.end_reason = datetime.date(2014, 6, 30), EndReason.RETIRED
    seat.save()
    response = editor_client.post(
        CHANGE_URL, data(seat, successor_name="", successor_first_day="", last_day="2016-01-01")
    )
    assert "no departure to record" in field_errors(response, "role")


@pytest.mark.parametrize("with_successor", [True, False])
def test_a_last_day_more_than_a_year_ahead_is_refused_next_to_the_field(
    editor_client, seat, with_successor
):
    far = timezone.localdate() + datetime.timedelta(days=366)
    overrides = {"last_day": far.isoformat(), "successor_first_day": far.isoformat()}
    if not with_successor:
        overrides.update(successor_name="", successor_first_day="")
    response = editor_client.post(CHANGE_URL, data(seat, **overrides))
    assert "more than a year ahead" in field_errors(response, "last_day")
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_a_successor_starting_before_the_leaving_leader_s_last_day_is_refused(editor_client, seat):
    response = editor_client.post(
        CHANGE_URL, data(seat, last_day="2015-06-30", successor_first_day="2015-01-01")
    )
    assert "last day is 30 Jun 2015" in field_errors(response, "successor_first_day")
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_a_mistyped_year_is_refused_next_to_the_field(editor_client, seat):
    response = editor_client.post(CHANGE_URL, data(seat, successor_first_day="9999-12-31"))
    assert "between 1900 and 2099" in field_errors(response, "successor_first_day")


def test_the_last_day_and_reason_say_they_are_needed_while_someone_is_in_post(editor_client):
    page = text(editor_client.get(CHANGE_URL))
    assert page.count("(needed while someone is in post)") == 2


# --- a vacant seat asks only for the new leader (phone review) ---


@pytest.fixture
def vacant_seat(seat):
    """Denver's superintendent seat, empty since its signer retired."""
    seat.ended_on, seat.end_reason = datetime.date(2014, 6, 30), EndReason.RETIRED
    seat.save()
    return seat


def visible_labels(response) -> list[str]:
    return [field.label for field in response.context["form"].visible_fields()]


def test_the_form_at_a_vacant_seat_asks_only_for_the_new_leader(editor_client, vacant_seat):
    response = editor_client.get(f"{CHANGE_URL}?{seat_query(vacant_seat)}")
    body = text(response)
    assert response.context["form"].new_leader_only
    labels = visible_labels(response)
    assert "Leaving leader's last day in post" not in labels and "Why they left" not in labels
    assert 'type="hidden" name="last_day"' in body
    assert "New leader's full name" in labels and "New leader's first day" in labels
    assert "(optional)" not in body.split("New leader's full name", 1)[1].split("</label>")[0]
    assert "(needed while someone is in post)" not in body
    assert "leave the last day and the reason empty" not in body
    assert "name the new leader and their first day" in body
    assert "data-new-leader-only" in body


def test_a_blank_new_leader_at_a_vacant_seat_is_asked_for_by_name(editor_client, vacant_seat):
    response = editor_client.post(
        CHANGE_URL,
        data(vacant_seat, last_day="", end_reason="", successor_name="", successor_first_day=""),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"successor_name", "successor_first_day"}, errors
    assert field_errors(response, "successor_name") == "Name the new leader."
    assert "first day" in field_errors(response, "successor_first_day")
    body = text(response)
    # The message stands next to the name field, and the leaving leader's fields stay hidden.
    next_to_name = r"New leader's full name</label>\s*<input[^>]*>\s*<div[^>]*>Name the new"
    assert re.search(next_to_name, body)
    assert "Leaving leader's last day" not in body
    vacant_seat.refresh_from_db()
    assert LeadershipTerm.objects.count() == 1


def test_a_new_leader_without_a_first_day_at_a_vacant_seat_is_refused(editor_client, vacant_seat):
    response = editor_client.post(
        CHANGE_URL, data(vacant_seat, last_day="", end_reason="", successor_first_day="")
    )
    assert set(response.context["form"].errors) == {"successor_first_day"}
    assert LeadershipTerm.objects.count() == 1


def test_a_last_day_given_at_a_vacant_seat_is_still_refused_by_the_service(
    editor_client, vacant_seat
):
    # Not the browser's form (it has no last day there): the service says there is no term.
    response = editor_client.post(CHANGE_URL, data(vacant_seat))
    assert "no term to close" in field_errors(response, "role")
    assert not response.context["form"].new_leader_only
    assert LeadershipTerm.objects.count() == 1


def test_choosing_a_vacant_seat_drops_a_last_day_typed_before(editor_client, vacant_seat):
    response = editor_client.post(
        CHANGE_URL, {**data(vacant_seat, successor_title="Kept title"), "show_holder": "1"}
    )
    form = response.context["form"]
    assert form.new_leader_only and not form.errors
    assert "last_day" not in form.initial and "end_reason" not in form.initial
    assert 'value="Kept title"' in text(response)


def test_a_held_seat_keeps_the_leaving_leader_s_fields(editor_client, seat):
    response = editor_client.get(f"{CHANGE_URL}?{seat_query(seat)}")
    assert not response.context["form"].new_leader_only
    labels = visible_labels(response)
    assert "Leaving leader's last day in post" in labels and "Successor's full name" in labels
    assert "data-new-leader-only" not in text(response)


def test_a_seat_the_user_cannot_choose_is_not_treated_as_vacant(editor_client, city_y):
    elsewhere = DistrictFactory(city=city_y)
    response = editor_client.get(f"{CHANGE_URL}?organization={elsewhere.pk}&role=mayor")
    assert not response.context["form"].new_leader_only


def test_an_announced_departure_within_a_year_is_recorded(editor_client, seat):
    near = timezone.localdate() + datetime.timedelta(days=365)
    editor_client.post(
        CHANGE_URL, data(seat, last_day=near.isoformat(), successor_name="", successor_first_day="")
    )
    seat.refresh_from_db()
    assert seat.ended_on == near


# --- who holds the seat, before submitting (issue 13, turnover 2) ---


def seat_query(term) -> str:
    return f"organization={term.organization_id}&role={term.role}"


def test_the_seat_fragment_names_the_holder(editor_client, seat):
    response = editor_client.get(f"{SEAT_URL}?{seat_query(seat)}")
    assert response.status_code == 200
    assert "In post now: <strong>Ada Leaving</strong>" in text(response)
    assert "<html" not in text(response)


def test_the_seat_fragment_says_since_when_a_seat_is_vacant(editor_client, seat):
    seat.ended_on, seat.end_reason = datetime.date(2014, 6, 30), EndReason.RETIRED
    seat.save()
    body = text(editor_client.get(f"{SEAT_URL}?{seat_query(seat)}"))
    assert "the seat is vacant since 30 Jun 2014" in body


def test_the_seat_fragment_is_empty_until_both_are_chosen(editor_client, seat):
    response = editor_client.get(f"{SEAT_URL}?organization={seat.organization_id}&role=")
    assert response.status_code == 200 and text(response).strip() == ""


def test_the_seat_fragment_of_another_city_is_not_found(outsider_client, viewer_client, seat):
    assert outsider_client.get(f"{SEAT_URL}?{seat_query(seat)}").status_code == 404
    assert viewer_client.get(f"{SEAT_URL}?{seat_query(seat)}").status_code == 403


def test_the_seat_fragment_of_a_seat_signed_only_elsewhere_is_not_found(
    editor_client, compact, city_y
):
    network = CharterNetworkFactory()
    ParticipantFactory(compact=compact, organization=network)
    la_ceo = SignatoryFactory(
        compact=CompactFactory(city=city_y),
        leadership_term__organization=network,
        leadership_term__role=LeadershipRole.NETWORK_CEO,
        leadership_term__person__full_name="LA Chief",
    ).leadership_term
    response = editor_client.get(f"{SEAT_URL}?{seat_query(la_ceo)}")
    assert response.status_code == 404


def test_the_form_loads_the_holder_with_javascript_and_offers_a_button_without(editor_client, seat):
    body = text(editor_client.get(CHANGE_URL))
    assert 'data-seat-url="/leadership/seat/"' in body
    assert re.search(r'<script src="/static/js/leadership[^"]*\.js"', body)
    assert 'name="show_holder"' in body
    # Enter in a field records the change: the first submit button is not "Show current holder".
    first_button = re.search(r"<button[^>]*>", body.split('class="record-form"', 1)[1]).group(0)
    assert 'type="submit"' in first_button and "show_holder" not in first_button


def test_show_current_holder_without_javascript_keeps_the_input_and_saves_nothing(
    editor_client, seat
):
    response = editor_client.post(
        CHANGE_URL, {**data(seat, successor_title="Kept title"), "show_holder": "1"}
    )
    assert response.status_code == 200
    body = text(response)
    assert "In post now: <strong>Ada Leaving</strong>" in body
    assert 'value="Kept title"' in body and 'value="2015-06-30"' in body
    assert not response.context["form"].errors
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_the_seat_state_counts_a_future_last_day_as_in_post(editor, seat):
    seat.ended_on = datetime.date.today() + datetime.timedelta(days=30)
    seat.end_reason = EndReason.MOVED
    seat.save()
    state = _seat_state(editor, seat.organization, seat.role)
    assert state["holder"] == seat and not state["seat_locked"]


# --- correcting a term (issue 13, turnover 3) ---


def edit_url(term) -> str:
    return reverse("compacts:term_edit", kwargs={"pk": term.pk})


def term_data(term, **overrides) -> dict:
    values = {
        "person_name": term.person.full_name,
        "title": term.title,
        "started_on": term.started_on.isoformat(),
        "ended_on": term.ended_on.isoformat() if term.ended_on else "",
        "end_reason": term.end_reason,
        "source_url": term.source_url,
        "version": version_token(term),
    }
    values.update(overrides)
    return values


def test_an_editor_corrects_dates_title_and_a_typo_in_the_name(editor, editor_client, seat):
    form = editor_client.get(edit_url(seat))
    assert form.status_code == 200 and 'value="Ada Leaving"' in text(form)
    response = editor_client.post(
        edit_url(seat),
        term_data(
            seat,
            person_name="Ada Leavitt",
            title="Superintendent of Schools",
            started_on="2010-08-01",
            ended_on="2016-06-30",
            end_reason=EndReason.RETIRED,
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/leadership/?organization={seat.organization_id}"
    seat.refresh_from_db()
    assert (seat.person.full_name, seat.title, seat.started_on, seat.ended_on) == (
        "Ada Leavitt",
        "Superintendent of Schools",
        datetime.date(2010, 8, 1),
        datetime.date(2016, 6, 30),
    )
    assert seat.history.first().history_user == editor
    assert seat.person.history.first().history_user == editor


def test_the_leadership_list_and_the_compact_page_link_to_the_correction(
    editor_client, viewer_client, seat, compact
):
    assert edit_url(seat) in text(editor_client.get("/leadership/"))
    assert edit_url(seat) not in text(viewer_client.get("/leadership/"))
    assert edit_url(seat) in text(editor_client.get(reverse("compacts:compact", args=[compact.pk])))


def test_a_network_seat_s_new_successor_is_offered_for_correction(editor_client, compact):
    # The successor has signed nothing; the seat it holds signed the editor's compact.
    network = CharterNetworkFactory()
    signer = SignatoryFactory(
        compact=compact,
        leadership_term__organization=network,
        leadership_term__role=LeadershipRole.NETWORK_CEO,
        leadership_term__ended_on=datetime.date(2020, 6, 30),
    ).leadership_term
    newcomer = LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        started_on=datetime.date(2020, 7, 1),
    )
    other_seat = LeadershipTermFactory(
        organization=CharterNetworkFactory(), role=LeadershipRole.NETWORK_CEO
    )

    page = text(editor_client.get("/leadership/"))

    assert edit_url(signer) in page
    assert edit_url(newcomer) in page
    assert edit_url(other_seat) not in page


@pytest.fixture
def successor(seat):
    seat.ended_on, seat.end_reason = datetime.date(2015, 6, 30), EndReason.RETIRED
    seat.save()
    return LeadershipTermFactory(
        organization=seat.organization,
        person=PersonFactory(full_name="Bo Next"),
        started_on=datetime.date(2015, 7, 1),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ended_on": "2009-01-01"}, "ended_on", "cannot end before it starts"),
        ({"ended_on": "", "end_reason": ""}, "ended_on", "Bo Next is in post in this seat"),
        ({"ended_on": "2015-09-01"}, "ended_on", "overlaps Bo Next's term"),
        ({"end_reason": EndReason.MOVED, "ended_on": ""}, "end_reason", "last day"),
        ({"started_on": "2013-01-01"}, "started_on", "signed Denver Compact on 15 Jan 2012"),
        ({"person_name": " "}, "person_name", "required"),
        ({"ended_on": "9999-12-31"}, "ended_on", "between 1900 and 2099"),
        ({"started_on": "0001-01-01"}, "started_on", "between 1900 and 2099"),
    ],
)
def test_a_bad_correction_keeps_the_input_and_writes_nothing(
    editor_client, seat, successor, overrides, field, message
):
    response = editor_client.post(edit_url(seat), term_data(seat, title="Kept", **overrides))
    assert message in field_errors(response, field)
    assert 'value="Kept"' in text(response)
    assert LeadershipTerm.objects.get(pk=seat.pk).ended_on == datetime.date(2015, 6, 30)


def test_a_correction_ending_a_term_more_than_a_year_ahead_is_refused(editor_client, seat):
    far = timezone.localdate() + datetime.timedelta(days=400)
    response = editor_client.post(edit_url(seat), term_data(seat, ended_on=far.isoformat()))
    assert "more than a year ahead" in field_errors(response, "ended_on")
    seat.refresh_from_db()
    assert seat.ended_on is None


def test_a_successor_cannot_be_corrected_to_start_before_the_predecessor_left(
    editor_client, successor
):
    response = editor_client.post(
        edit_url(successor), term_data(successor, started_on="2015-01-01")
    )
    assert "overlaps Ada Leaving's term" in field_errors(response, "started_on")


@pytest.fixture
def reaffirmed(editor, seat, successor):
    """Bo Next re-affirmed the Denver Compact on 1 Mar 2016."""
    from compacts.services import signatory_reaffirm

    signatory = seat.signatures.get()
    signatory_reaffirm(signatory=signatory, reaffirmed_on=datetime.date(2016, 3, 1), actor=editor)
    successor.refresh_from_db()
    return successor


def test_a_re_affirming_successor_s_term_is_corrected_without_the_signing_date(
    editor_client, reaffirmed
):
    editor_client.post(edit_url(reaffirmed), term_data(reaffirmed, started_on="2015-08-01"))
    reaffirmed.refresh_from_db()
    assert reaffirmed.started_on == datetime.date(2015, 8, 1)


def test_a_correction_that_no_longer_covers_the_re_affirmation_is_refused(
    editor_client, reaffirmed
):
    response = editor_client.post(
        edit_url(reaffirmed), term_data(reaffirmed, started_on="2016-06-01")
    )
    assert "re-affirmed Denver Compact on 1 Mar 2016" in field_errors(response, "started_on")


def test_a_stale_correction_writes_nothing_and_says_so(editor_client, viewer, seat):
    loaded = version_token(seat)
    leadership_term_correct(term=seat, data={"title": "Changed meanwhile"}, actor=viewer)
    response = editor_client.post(edit_url(seat), term_data(seat, title="Mine", version=loaded))
    assert response.status_code == 409
    assert "Someone else saved this leadership term" in text(response)
    seat.refresh_from_db()
    assert seat.title == "Changed meanwhile"


def test_a_name_shared_with_another_city_cannot_be_corrected_by_this_editor(
    editor_client, seat, city_y
):
    LeadershipTermFactory(
        person=seat.person,
        organization=DistrictFactory(city=city_y),
        started_on=datetime.date(2001, 1, 1),
        ended_on=datetime.date(2005, 1, 1),
    )
    form = text(editor_client.get(edit_url(seat)))
    assert "an administrator corrects their name" in form
    response = editor_client.post(edit_url(seat), term_data(seat, person_name="Renamed", title="T"))
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.person.full_name, seat.title) == ("Ada Leaving", "T")


def test_outsiders_and_viewers_cannot_correct_a_term(outsider_client, viewer_client, seat):
    assert outsider_client.get(edit_url(seat)).status_code == 404
    assert viewer_client.get(edit_url(seat)).status_code == 403
    assert outsider_client.post(edit_url(seat), term_data(seat, title="X")).status_code == 404
    seat.refresh_from_db()
    assert seat.title != "X"


def test_the_correction_of_a_network_seat_links_its_history_which_the_editor_can_open(
    editor_client, compact, seat
):
    # A seat of no city that signed the editor's compact belongs to that city's change log
    # (issue 13, turnover 6), so its history opens for the city's members.
    network_term = SignatoryFactory(
        compact=compact,
        leadership_term__organization=CharterNetworkFactory(),
        leadership_term__role=LeadershipRole.NETWORK_CEO,
    ).leadership_term
    body = text(editor_client.get(edit_url(network_term)))
    assert history_url(network_term) in body
    assert editor_client.get(history_url(network_term)).status_code == 200
    assert history_url(seat) in text(editor_client.get(edit_url(seat)))


def test_an_announced_departure_is_told_in_the_future_tense(editor_client, seat, compact):
    ahead = timezone.localdate() + datetime.timedelta(days=90)
    response = editor_client.post(
        CHANGE_URL,
        data(seat, last_day=ahead.isoformat(), successor_name="", successor_first_day=""),
        follow=True,
    )
    [message] = messages_of(response)
    assert "Ada Leaving leaves as superintendent" in message
    assert "The seat will be vacant from then" in message
    assert "Compacts that will lose a signatory still in post: Denver Compact." in message
