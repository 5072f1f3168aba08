"""Numbers a request carries that no record can have (past the database's 64-bit integers, or
digits int() does not read) answer like a missing record or an unreadable filter, never 500."""

import pytest
from django.urls import reverse

from core.ids import MAX_ID, parse_id
from tests.compacts.factories import CompactFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
JUST_PAST = str(MAX_ID + 1)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (JUST_PAST, None),
        (HUGE, None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("١", None),  # an Arabic-Indic digit: int() reads it, an id never has it
        (" 1", None),
        ("1.0", None),
        ("", None),
        (None, None),
    ],
)
def test_an_id_is_ascii_digits_within_the_databases_integers(text, number):
    assert parse_id(text) == number


@pytest.mark.parametrize("model", ["organization", "district", "charternetwork", "charterschool"])
@pytest.mark.parametrize("suffix", ["", "restore/", "revert/1/"])
@pytest.mark.parametrize("pk", [HUGE, JUST_PAST])
def test_an_organization_history_url_past_the_databases_integers_is_not_found(
    superuser_client, model, suffix, pk
):
    response = superuser_client.get(f"/history/schools/{model}/{pk}/{suffix}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/history/compacts/compact/{huge}/",
        "/history/compacts/compact/{huge}/restore/",
        "/history/compacts/compact/{pk}/revert/{huge}/",
        "/history/schools/person/{huge}/",
        "/history/compacts/signatory/{huge}/revert/{huge}/",
    ],
)
@pytest.mark.parametrize("huge", [HUGE, JUST_PAST])
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_history_url_with_a_number_past_the_databases_integers_is_not_found(
    city_x, editor_client, url, huge, method
):
    compact = CompactFactory(city=city_x)

    response = getattr(editor_client, method)(url.format(huge=huge, pk=compact.pk))

    assert response.status_code == 404


def test_the_largest_id_is_still_looked_up(superuser_client):
    response = superuser_client.get(f"/history/schools/organization/{MAX_ID}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("changed_before", "9999-12-31"),
        ("changed_after", "9999-12-31"),
        ("changed_after", "0001-01-01"),
        ("changed_before", "0001-01-01"),
    ],
)
def test_city_changes_answer_a_date_at_the_end_of_the_calendar_with_a_message(
    city_x, viewer_client, field, value
):
    response = viewer_client.get(
        reverse("core:city_changes", kwargs={"slug": city_x.slug}) + f"?{field}={value}"
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
