"""Input an attacker makes up answers 400, never 500: a forged list cursor, a JSON body nested
deeper than the parser can follow, a body past Django's in-memory limit."""

import base64
import json

import pytest
from django.urls import reverse

from tests.api.test_reads import LISTS

# Every paginated list: the router's lists and the seats an editor may record a change at.
ALL_LISTS = [*LISTS, "api:leadership_change"]

BAD_POSITIONS = [
    "abc",
    "1.5",
    "1e5",
    "",
    "%00",
    "1'--",
    "-1",
    "0",
    " 7",
    "+7",
    "1_000",
    "\u0667",  # an Arabic-Indic seven: int() reads it, the database need not
    "99999999999999999999999",  # past bigint
    str(2**63),
    "1" * 5000,  # past int()'s digit limit
]


def cursor(querystring: str) -> str:
    return base64.b64encode(querystring.encode()).decode()


@pytest.mark.parametrize("position", BAD_POSITIONS)
@pytest.mark.parametrize("name", ALL_LISTS)
def test_a_forged_cursor_position_is_refused_on_every_list(api, world, name, position):
    response = api["editor"].get(reverse(name), {"cursor": cursor(f"p={position}")})
    assert response.status_code == 400, response.content
    assert response.json() == {"cursor": ["Invalid cursor"]}


@pytest.mark.parametrize("name", ALL_LISTS)
def test_a_forged_cursor_offset_is_refused(api, world, name):
    response = api["editor"].get(reverse(name), {"cursor": cursor("o=-5")})
    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor"]}


def test_a_largest_possible_position_is_a_last_page(api, world):
    response = api["editor"].get(reverse("api:activity-list"), {"cursor": cursor(f"p={2**63 - 1}")})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_reverse_cursor_with_a_real_position_still_pages(api, world):
    response = api["editor"].get(
        reverse("api:activity-list"), {"cursor": cursor(f"r=1&p={world.x.activity.pk + 1}")}
    )
    assert response.status_code == 200
    assert world.x.activity.pk in [row["id"] for row in response.json()["results"]]


DEEP = "[" * 1500 + "]" * 1500


@pytest.mark.parametrize(
    "body", [DEEP, '{"title": ' + DEEP + "}"], ids=["a deep list", "a deep field"]
)
def test_a_json_body_nested_too_deeply_is_a_parse_error(api, world, body):
    response = api["editor"].post(
        reverse("api:activity-list"), body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "nested too deeply" in response.json()["detail"]


def test_a_viewers_deeply_nested_change_is_a_parse_error(api, world):
    url = reverse("api:activity-detail", kwargs={"pk": world.x.activity.pk})
    response = api["viewer"].patch(url, DEEP, content_type="application/json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("depth", range(800, 1000, 20))
def test_a_body_nested_just_short_of_the_limit_is_refused_not_a_500(api, world, depth):
    # Parsed, it must survive being read as form data (str() of a nested list recurses too).
    nested = "[" * depth + "]" * depth
    response = api["editor"].post(
        reverse("api:activity-list"), '{"title": ' + nested + "}", content_type="application/json"
    )
    assert response.status_code == 400, response.content


def test_the_api_still_takes_form_posts(api, world):
    response = api["editor"].post(
        reverse("api:commitment-list"),
        {"compact": world.x.compact.pk, "category": "ENR", "title": "Xville by form"},
    )
    assert response.status_code == 201, response.content


# Past Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), short of the site's 17 MB upload limit.
BIG = "x" * (3 * 1024 * 1024)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps({"title": BIG}), "application/json"),
        ("title=" + BIG, "application/x-www-form-urlencoded"),
    ],
    ids=["json", "form"],
)
def test_a_body_past_djangos_memory_limit_answers_json_413(api, world, body, content_type):
    response = api["editor"].post(reverse("api:activity-list"), body, content_type=content_type)
    assert response.status_code == 413, response.content[:200]
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is too large: at most 2,621,440 bytes."}


def test_too_many_form_fields_answer_json_400(api, world):
    body = "&".join(f"f{n}=1" for n in range(2000))
    response = api["editor"].post(
        reverse("api:activity-list"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"] == "application/json"


def test_the_schema_documents_the_413_of_every_write(api, world):
    schema = api["viewer"].get(reverse("api:schema"), {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert ("413" in operation["responses"]) == (method != "get"), (path, method)
