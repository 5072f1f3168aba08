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

LISTS = [
    "api:city-list",
    "api:organization-list",
    "api:term-list",
    "api:compact-list",
    "api:commitment-list",
    "api:milestone-list",
    "api:activity-list",
    "api:grant-list",
]
# Token lookup, the list's query (or two: its filters' choices), prefetches; the throttle and
# the roles are in the cache.
MAX_QUERIES = 8


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


def _count(client, url) -> int:
    client.get(url)  # warms the cached roles, the throttle and the token's last use
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_with_more_rows(
    api, world, name, django_assert_max_num_queries
):
    url = reverse(name)
    client = api["editor"]
    few = _count(client, url)
    _more_records(world.x.city, 12)
    many = _count(client, url)
    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)


@pytest.mark.parametrize("name", ["api:compact-list", "api:commitment-list"])
def test_a_superusers_list_costs_the_same_queries_with_more_rows(api, world, name):
    url = reverse(name)
    few = _count(api["superuser"], url)
    _more_records(world.y.city, 12)
    assert _count(api["superuser"], url) == few
