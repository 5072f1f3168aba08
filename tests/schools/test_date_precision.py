"""A leader's dates are shown as precisely as they are known: a term recorded to the month reads
"Jun 2013" on every page, never a day nobody recorded ("30 Jun 2013")."""

import datetime

import pytest

from schools.choices import DatePrecision
from tests.compacts.factories import CompactFactory, SignatoryFactory
from tests.schools.factories import LeadershipTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def departed(city_x):
    compact = CompactFactory(city=city_x, signed_on=datetime.date(2011, 9, 20))
    signatory = SignatoryFactory(
        compact=compact,
        leadership_term__started_on=datetime.date(2007, 8, 1),
        leadership_term__ended_on=datetime.date(2013, 6, 30),
        leadership_term__date_precision=DatePrecision.MONTH,
        leadership_term__person__full_name="Carol Johnson",
    )
    return compact, signatory.leadership_term


def test_the_leadership_list_shows_a_month_for_a_term_known_to_the_month(viewer_client, departed):
    html = viewer_client.get("/leadership/").content.decode()

    assert "Aug 2007" in html and "Jun 2013" in html
    assert "1 Aug 2007" not in html and "30 Jun 2013" not in html


def test_the_compact_page_says_in_which_month_the_signer_left(viewer_client, departed):
    compact, _term = departed
    html = viewer_client.get(f"/compacts/{compact.pk}/").content.decode()

    assert "Left in Jun 2013" in html
    assert "vacant since Jun 2013" in html
    assert "30 Jun 2013" not in html


def test_a_successor_known_to_the_year_is_in_the_seat_since_that_year(viewer_client, departed):
    compact, term = departed
    LeadershipTermFactory(
        organization=term.organization,
        role=term.role,
        started_on=datetime.date(2015, 1, 1),
        date_precision=DatePrecision.YEAR,
        person__full_name="Tommy Chang",
    )

    html = viewer_client.get(f"/compacts/{compact.pk}/").content.decode()

    assert "since 2015." in html
    assert "1 Jan 2015" not in html


def test_the_leadership_form_says_since_when_a_seat_is_vacant_as_precisely_as_known(
    editor_client, departed
):
    _compact, term = departed
    html = editor_client.get(
        f"/leadership/change/?organization={term.organization_id}&role={term.role}"
    ).content.decode()

    assert "the seat is vacant since Jun 2013" in html
