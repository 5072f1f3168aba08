"""The bench's query counts are those of the two servers it measures: "uncached" as the server
with DASHBOARD_CACHE_SECONDS=0 renders a page, "warm" as the server with the cache on."""

import pytest

from accounts.choices import Role
from bench.generate import BENCH_ADMIN, BENCH_VIEWER, BenchPage
from bench.measure import count_queries
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def compact_page():
    compact = CompactFactory()
    MilestoneFactory(commitment=CommitmentFactory(compact=compact))
    ActivityFactory(compact=compact)
    MembershipFactory(user=UserFactory(username=BENCH_VIEWER), city=compact.city, role=Role.VIEWER)
    UserFactory(username=BENCH_ADMIN, is_superuser=True, is_staff=True)
    return BenchPage("compact", "compact page", f"/compacts/{compact.pk}/", "viewer", "detail")


def test_the_uncached_compact_page_reads_its_records_and_the_warm_one_does_not(compact_page):
    counts = count_queries([compact_page])["compact"]

    # uncached: the compact and its six kinds of record; warm: the compact with its version
    assert counts["uncached"] - counts["warm"] == 5


def test_a_fragment_left_in_the_cache_is_not_counted_as_uncached(compact_page, client):
    first = count_queries([compact_page])["compact"]
    # What a warm request leaves behind (the rendered fragment under the current versions)...
    viewer = UserFactory._meta.model.objects.get(username=BENCH_VIEWER)
    client.force_login(viewer)
    client.get(compact_page.path)
    # ...does not make the next count's uncached request a cached one.
    assert count_queries([compact_page])["compact"] == first
