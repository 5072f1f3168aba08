"""The API's lists cost the same number of queries whatever the number of rows: every foreign
key they show is joined, every to-many prefetched."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)

# Exact counts, warm (roles and throttle in the cache, the token's use noted this minute): the
# token, then the list's queries. city, organization, grant: the list. term, milestone,
# activity: the filters' scoped choices, the list. compact: the list and two prefetches
# (signatories, participants); commitment: choices, list, opt-in participants.
QUERIES = {
    "api:city-list": 2,
    "api:organization-list": 2,
    "api:term-list": 3,
    "api:compact-list": 4,
    "api:commitment-list": 4,
    "api:milestone-list": 3,
    "api:activity-list": 3,
    "api:grant-list": 2,
}


def _more_records(city, count: int) -> None:
    for n in range(count):
        compact = CompactFactory(city=city, title=f"{city.name} compact {n}")
        SignatoryFactory(compact=compact)
        ParticipantFactory(compact=compact)
        commitment = CommitmentFactory(compact=compact)
        commitment.participants.add(ParticipantFactory(compact=compact))
        MilestoneFactory(commitment=commitment)
        ActivityFactory(compact=compact, commitment=commitment)
        GrantFactory(compact=compact)


def _count(client, url) -> tuple[int, list[str]]:
    client.get(url)  # warms the cached roles, the throttle and the token's last use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["results"]
    return len(queries), [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize(("name", "expected"), QUERIES.items())
def test_a_list_costs_the_same_queries_with_more_rows(api, world, name, expected):
    url = reverse(name)
    few, sql = _count(api["editor"], url)
    assert few == expected, "\n".join(sql)
    _more_records(world.x.city, 12)
    many, sql = _count(api["editor"], url)
    assert many == expected, "\n".join(sql)


@pytest.mark.parametrize("name", ["api:compact-list", "api:commitment-list"])
def test_a_superusers_list_costs_the_same_queries_with_more_rows(api, world, name):
    url = reverse(name)
    few, _ = _count(api["superuser"], url)
    _more_records(world.y.city, 12)
    many, sql = _count(api["superuser"], url)
    assert many == few, "\n".join(sql)
