"""Queries per request of every benchmarked page stay the same as the data grows tenfold, and
within issue 8's budget: at most 8 on dashboards, 6 on lists and 9 on the compact page.

The bench data set is generated at two scales (0.01 and 0.1 of issue 8's funder scale: 1 and 10
cities, 2,000 and 20,000 activities), each inside a transaction that is rolled back, and each page
is requested through the test Client as the benchmark's users: once with every cached figure
forgotten and once warm.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import generate as benchdata
from reports.cache import invalidate_all
from tests.accounts.two_factor import sign_in_verified

# The tests only read what the module fixture measured, but the mark makes pytest-django create
# the test database even when this file runs alone (it sets up only the databases tests ask for).
pytestmark = pytest.mark.django_db

SCALES = (0.01, 0.1)
PAGE_KEYS = ["cities", "city", "compact", "commitments", "activities", "reports", "admin"]


def _measure(pages) -> dict:
    User = get_user_model()
    clients = {}
    for role, username in (("viewer", benchdata.BENCH_VIEWER), ("admin", benchdata.BENCH_ADMIN)):
        clients[role] = Client()
        sign_in_verified(clients[role], User.objects.get(username=username))
    found = {}
    for page in pages:
        if page.user is None:
            continue
        client = clients[page.user]
        client.get(page.path)  # the demo banner, cached for every page, is not this test's concern
        invalidate_all()
        for state in ("uncached", "warm"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
            found[(page.key, state)] = (
                response.status_code,
                len(queries),
                [q["sql"] for q in queries.captured_queries],
            )
    return found


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """(scale, page key, state) -> (status, query count, SQL)."""
    results = {}
    with django_db_blocker.unblock():
        assert benchdata.database_is_empty(), "not the (empty) test database"
        for scale in SCALES:
            with transaction.atomic():
                benchdata.generate(scale=scale)
                pages = benchdata.bench_pages(benchdata.bench_targets())
                for (key, state), value in _measure(pages).items():
                    results[(scale, key, state)] = value
                transaction.set_rollback(True)
            # The next scale's records reuse ids of the rolled-back ones: nothing cached about
            # these (figures, cities, roles, sessions) may outlive them.
            cache.clear()
    return results


def _budget(key: str) -> int:
    page = next(
        p for p in benchdata.bench_pages({"median_city": "x", "compact_id": 1}) if p.key == key
    )
    return page.max_queries


def _sql(found) -> str:
    return "\n".join(found[2])


@pytest.mark.parametrize("state", ["uncached", "warm"])
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_each_benchmarked_page_answers_200_at_both_scales(measured, key, state):
    for scale in SCALES:
        assert measured[(scale, key, state)][0] == 200, (scale, key, state)


@pytest.mark.parametrize("state", ["uncached", "warm"])
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_queries_per_request_do_not_grow_with_the_data(measured, key, state):
    small, large = (measured[(scale, key, state)] for scale in SCALES)

    assert small[1] == large[1], f"scale 0.01:\n{_sql(small)}\n\nscale 0.1:\n{_sql(large)}"


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_queries_per_request_stay_within_the_budget_of_issue_8(measured, key):
    budget = _budget(key)
    found = measured[(SCALES[-1], key, "uncached")]

    assert found[1] <= budget, f"{found[1]} queries, budget {budget}:\n{_sql(found)}"
