"""Signatory retention by seats once successors re-affirm (DESIGN.md "signatory_retention"), the
note health gives on each seat whose signer left, and the cache of the cities that share a seat.
"Today" is fixed at 2024-06-30 as in test_selectors.py; expected values are worked by hand."""

import datetime

import pytest
from django.utils import timezone

from compacts.choices import CompactStatus
from reports import cache as report_cache
from reports.figures import NOT_REAFFIRMED, REAFFIRMED, VACANT, Ratio
from reports.seats import duration
from reports.selectors import city_dashboard_get, compute_city_figures
from schools.choices import DatePrecision, LeadershipRole
from tests.compacts.factories import SignatoryFactory
from tests.reports.builders import TODAY, city_row, live_compact, signatory, term_at
from tests.reports.pages import page_text
from tests.schools.factories import (
    CharterNetworkFactory,
    DistrictFactory,
    LeadershipTermFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def figures_of(city, today=TODAY):
    return compute_city_figures([city_row(city)], today)[city.id]


def departed_signer(compact, name="Ann Signer", ended_on=datetime.date(2013, 6, 30), **term):
    organization = DistrictFactory(city=compact.city, name=f"District of {name}")
    return signatory(
        compact,
        organization=organization,
        person=PersonFactory(full_name=name),
        ended_on=ended_on,
        **term,
    )


def reaffirm(signer, name="Bo Successor", started_on=datetime.date(2013, 7, 1), **fields):
    successor = term_at(signer, person=PersonFactory(full_name=name), started_on=started_on)
    fields.setdefault("reaffirmed_on", datetime.date(2014, 3, 2))
    return SignatoryFactory(compact=signer.compact, leadership_term=successor, **fields)


def test_a_seat_held_by_a_successor_who_reaffirmed_counts_as_held(city_x):
    compact = live_compact(city_x)
    reaffirm(departed_signer(compact))

    figures = figures_of(city_x).figures

    # One seat (the district's superintendent), held through the re-affirmation: 1 / 1.
    assert figures.signatory_retention == Ratio(1, 1)
    assert figures.health.colour == "green"
    assert figures.health.reasons == (
        "No overdue milestone, no stale commitment; 1 of 1 signatory seat held, 1 of them by a "
        "successor who re-affirmed",
    )
    [note] = figures.health.seats
    assert (note.state, note.is_problem) == (REAFFIRMED, False)
    assert note.text == (
        "Superintendent of District of Ann Signer: signer Ann Signer left on 30 Jun 2013; "
        "successor Bo Successor re-affirmed on 2 Mar 2014"
    )


def test_a_successor_who_has_not_reaffirmed_is_named_with_how_long(city_x):
    compact = live_compact(city_x)
    signer = departed_signer(compact)
    term_at(
        signer, person=PersonFactory(full_name="Cy Later"), started_on=datetime.date(2021, 4, 1)
    )

    figures = figures_of(city_x).figures

    assert figures.signatory_retention == Ratio(0, 1)
    # Unchanged wording without re-affirmations.
    assert figures.health.reasons == ("1 of 1 signatory has left since signing",)
    [note] = figures.health.seats
    assert note.state == NOT_REAFFIRMED
    # 2021-04-01 .. 2024-06-30: 3 years and 2 whole months.
    assert note.text == (
        "Superintendent of District of Ann Signer: signer Ann Signer left on 30 Jun 2013; "
        "successor Cy Later (since 1 Apr 2021) has not re-affirmed, for 3 years 2 months"
    )


def test_a_vacant_seat_says_since_when_at_the_precision_known(city_x):
    compact = live_compact(city_x)
    departed_signer(
        compact,
        ended_on=datetime.date(2015, 3, 1),
        date_precision=DatePrecision.MONTH,
        started_on=datetime.date(2008, 1, 1),
    )

    [note] = figures_of(city_x).figures.health.seats

    assert note.state == VACANT
    assert note.text == (
        "Superintendent of District of Ann Signer: signer Ann Signer left in Mar 2015; "
        "seat vacant since Mar 2015, no successor recorded (9 years 3 months)"
    )


def test_a_seat_whose_reaffirming_successor_left_too_is_not_held(city_x):
    compact = live_compact(city_x)
    signer = departed_signer(compact)
    reaffirmation = reaffirm(signer)
    successor = reaffirmation.leadership_term
    successor.ended_on = datetime.date(2021, 3, 22)
    successor.save()

    figures = figures_of(city_x).figures

    assert figures.signatory_retention == Ratio(0, 1)
    assert figures.health.colour == "red"
    assert figures.health.reasons == (
        "1 of 1 signatory has left since signing; "
        "none of those seats is held by a successor who re-affirmed",
    )
    [note] = figures.health.seats
    assert note.state == VACANT
    assert note.text.endswith(
        "Bo Successor, who re-affirmed on 2 Mar 2014, left on 22 Mar 2021; "
        "seat vacant since 22 Mar 2021, no successor recorded (3 years 3 months)"
    )


def test_retention_counts_seats_and_reaffirmations_lift_it_above_the_red_line(city_x):
    compact = live_compact(city_x)
    signatory(compact)  # in post
    reaffirm(departed_signer(compact, "Ann Signer"))
    departed_signer(compact, "Dee Gone")
    departed_signer(compact, "Eve Gone")

    figures = figures_of(city_x).figures

    # 4 seats: in post, re-affirmed, vacant, vacant -> 2 / 4 held: not below one half.
    assert figures.signatory_retention == Ratio(2, 4)
    assert figures.health.colour == "green"
    states = sorted(note.state for note in figures.health.seats)
    assert states == [REAFFIRMED, VACANT, VACANT]
    # Ann, Dee and Eve left: the re-affirmation keeps the seat, not Ann in the list.
    assert len(figures.departed_signatories) == 3


def test_red_retention_says_how_many_seats_successors_hold_by_reaffirming(city_x):
    compact = live_compact(city_x)
    reaffirm(departed_signer(compact, "Ann Signer"))
    for name in ("Dee Gone", "Eve Gone"):
        departed_signer(compact, name)

    health = figures_of(city_x).figures.health

    # 3 seats, all signers gone, 1 re-affirmed: 1 / 3 held, red.
    assert health.colour == "red"
    assert health.reasons == (
        "3 of 3 signatories have left since signing; 1 seat is held by a successor who re-affirmed",
    )


def test_city_retention_adds_the_seats_of_its_live_compacts(city_x):
    first = live_compact(city_x)
    ended = live_compact(
        city_x, status=CompactStatus.TERMINATED, ended_on=datetime.date(2013, 1, 1)
    )
    reaffirm(departed_signer(first))
    departed_signer(first, "Dee Gone")
    departed_signer(ended, "Old Signer", ended_on=datetime.date(2012, 6, 1))

    city = figures_of(city_x)

    assert city.figures.signatory_retention == Ratio(1, 2)
    assert len(city.figures.health.seats) == 2


@pytest.mark.parametrize(
    ("since", "precision", "expected"),
    [
        (datetime.date(2021, 4, 1), DatePrecision.DAY, "3 years 2 months"),
        (datetime.date(2021, 7, 1), DatePrecision.DAY, "2 years 11 months"),
        (datetime.date(2023, 6, 30), DatePrecision.DAY, "1 year"),
        (datetime.date(2024, 6, 15), DatePrecision.DAY, "less than a month"),
        (datetime.date(2015, 3, 1), DatePrecision.MONTH, "9 years 3 months"),
        (datetime.date(2015, 1, 1), DatePrecision.YEAR, "9 years"),
    ],
)
def test_durations_read_as_years_and_months_at_the_dates_precision(since, precision, expected):
    assert duration(since, TODAY, precision) == expected


# --- the dashboard ---


def test_the_dashboard_shows_each_seat_whose_signer_left(viewer_client, city_x):
    compact = live_compact(city_x, signed_on=datetime.date(2012, 1, 15))
    reaffirm(departed_signer(compact))
    departed_signer(compact, "Dee Gone")

    response = viewer_client.get(f"/cities/{city_x.slug}/")
    text = page_text(response)

    assert "Seats whose signer left" in text
    # The leadership table tells the successor's re-affirmation from a signature.
    assert (
        'Bo Successor <span class="badge text-bg-light border">re-affirmed</span>'
        in response.content.decode()
    )
    assert "successor Bo Successor re-affirmed on 2 Mar 2014 (held)" in text
    assert "signer Dee Gone left on 30 Jun 2013; seat vacant since 30 Jun 2013" in text
    assert "1 of 2 signatory seats held by a signer or a successor who re-affirmed" in text


# --- the cache of every city a shared seat signed for ---


def _network_seat_signed_in(*compacts):
    network = CharterNetworkFactory(name="Star Schools")
    signer = LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person=PersonFactory(full_name="Net Signer"),
        started_on=datetime.date(2010, 1, 1),
    )
    for compact in compacts:
        SignatoryFactory(compact=compact, leadership_term=signer)
    return network, signer


def _seat_note(user, city):
    seats = city_dashboard_get(user=user, slug=city.slug).city.figures.health.seats
    return [note.text for note in seats]


def test_a_network_ceos_departure_and_successor_show_on_every_city_it_signed_for(
    superuser, city_x, city_y
):
    x, y = live_compact(city_x), live_compact(city_y)
    network, signer = _network_seat_signed_in(x, y)
    assert _seat_note(superuser, city_x) == _seat_note(superuser, city_y) == []  # cached

    signer.ended_on, signer.end_reason = datetime.date(2023, 6, 30), "moved"
    signer.save()
    LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person=PersonFactory(full_name="Net Successor"),
        started_on=datetime.date(2023, 7, 1),
    )

    for city in (city_x, city_y):
        [note] = _seat_note(superuser, city)
        assert "successor Net Successor (since 1 Jul 2023) has not re-affirmed" in note


def test_a_reaffirmation_invalidates_every_city_whose_compacts_the_seat_signed(
    superuser, city_x, city_y
):
    x, y = live_compact(city_x), live_compact(city_y)
    network, signer = _network_seat_signed_in(x, y)
    signer.ended_on = datetime.date(2023, 6, 30)
    signer.save()
    successor = LeadershipTermFactory(
        organization=network,
        role=LeadershipRole.NETWORK_CEO,
        person=PersonFactory(full_name="Net Successor"),
        started_on=datetime.date(2023, 7, 1),
    )
    today = timezone.localdate()
    before = report_cache.data_keys([city_x.id, city_y.id], today)
    assert "has not re-affirmed" in _seat_note(superuser, city_x)[0]

    SignatoryFactory(compact=x, leadership_term=successor, reaffirmed_on=datetime.date(2024, 1, 9))

    after = report_cache.data_keys([city_x.id, city_y.id], today)
    assert before[city_x.id] != after[city_x.id] and before[city_y.id] != after[city_y.id]
    assert "successor Net Successor re-affirmed on 9 Jan 2024" in _seat_note(superuser, city_x)[0]
    assert "has not re-affirmed" in _seat_note(superuser, city_y)[0]


def test_a_seat_note_keeps_the_capitals_of_the_role(city_x):
    compact = live_compact(city_x)
    departed_signer(compact, role=LeadershipRole.NETWORK_CEO)

    [note] = figures_of(city_x).figures.health.seats

    assert note.text.startswith("Network CEO of ")


def test_a_signer_back_in_the_seat_is_not_called_a_successor(city_x):
    compact = live_compact(city_x)
    signer = departed_signer(compact, name="Ramon Return")
    term_at(signer, person=signer.leadership_term.person, started_on=datetime.date(2014, 10, 16))

    [note] = figures_of(city_x).figures.health.seats

    assert note.state == NOT_REAFFIRMED
    assert "signer Ramon Return, back in the seat (since 16 Oct 2014) has not re-affirmed" in (
        note.text
    )
