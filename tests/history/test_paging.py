"""Bad page numbers never give a 500 (issue 12 point 5): every paged view answers a page past
the end, a negative, a non-number or a number too large for the database the way the lists
always did: the last page, or the first when the number cannot be read."""

import pytest

from history.records import history_url
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    SignatoryFactory,
)
from tests.schools.factories import CharterNetworkFactory, CharterSchoolFactory

pytestmark = pytest.mark.django_db

BAD_PAGES = ["9223372036854775807", "99999999999999999999999", "-1", "0", "abc", "1e9", "2.5", ""]


@pytest.fixture
def records(city_x):
    compact = CompactFactory(city=city_x, title="Paged Compact")
    commitment = CommitmentFactory(compact=compact, title="Paged commitment")
    MilestoneFactory(commitment=commitment, title="Paged milestone")
    ActivityFactory(compact=compact, title="Paged meeting")
    SignatoryFactory(compact=compact, leadership_term__person__full_name="Paged Leader")
    network = CharterNetworkFactory(name="Paged Network")
    CharterSchoolFactory(city=city_x, name="Paged Academy", network=network)
    return {"commitment": commitment, "city": city_x}


PAGED = {
    "/commitments/": "Paged commitment",
    "/milestones/": "Paged milestone",
    "/activities/": "Paged meeting",
    "/leadership/": "Paged Leader",
    "/schools/": "Paged Academy",
    "/networks/": "Paged Network",
    "history": "Created",
    "/cities/xville/changes/": "Paged commitment",
}


@pytest.mark.parametrize("page", BAD_PAGES)
@pytest.mark.parametrize("path", list(PAGED))
def test_every_paged_view_answers_a_bad_page_number_with_a_page(editor_client, records, path, page):
    url = history_url(records["commitment"]) if path == "history" else path
    response = editor_client.get(url, {"page": page})
    assert response.status_code == 200
    assert PAGED[path] in response.content.decode()


def test_a_history_page_past_the_end_shows_the_oldest_versions(editor_client, records):
    response = editor_client.get(history_url(records["commitment"]), {"page": "7"})
    assert response.status_code == 200
    assert response.context["page"] == 1
