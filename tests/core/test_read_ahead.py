"""A signed-in GET reads the cache keys its session and path read last time in one read at its
start (core/read_ahead.py); what it is given is what it would have read itself."""

import socket
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from accounts.choices import Role
from core import read_ahead
from core.read_ahead import ReadAheadLocMemCache, ReadAheadRedisCache
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_remembered_keys():
    read_ahead.remembered.clear()
    yield
    read_ahead.remembered.clear()


@pytest.fixture
def store_reads(monkeypatch):
    """Every read that reaches the store (the local-memory cache under the read-ahead), as
    ("ahead", keys) for a read ahead and ("during", key) for one in the request."""
    reads = []
    reading_ahead = []

    def get(self, key, default=None, version=None):
        reads.append(("ahead", key) if reading_ahead else ("during", key))
        return real_get(self, key, default, version)

    def start(self, keys):
        reading_ahead.append(True)
        try:
            real_start(self, keys)
        finally:
            reading_ahead.pop()

    real_get, real_start = LocMemCache.get, ReadAheadLocMemCache.start_read_ahead
    monkeypatch.setattr(LocMemCache, "get", get)
    monkeypatch.setattr(ReadAheadLocMemCache, "start_read_ahead", start)
    return reads


def test_the_default_cache_reads_ahead():
    assert isinstance(caches["default"], ReadAheadLocMemCache)


def test_a_signed_in_page_asks_the_store_nothing_outside_its_read_ahead_the_second_time(
    viewer_client, city_x, store_reads
):
    viewer_client.get(f"/cities/{city_x.slug}/")
    assert any(when == "during" for when, _key in store_reads)

    store_reads.clear()
    response = viewer_client.get(f"/cities/{city_x.slug}/")

    assert response.status_code == 200
    assert store_reads and {when for when, _key in store_reads} == {"ahead"}
    session_key = viewer_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert any(session_key in key for _when, key in store_reads)  # the session, read ahead too


def test_what_changed_since_the_last_request_is_what_the_next_one_sees(
    viewer_client, viewer, city_x, city_y
):
    viewer_client.get(f"/cities/{city_y.slug}/")  # 404: not a member, keys remembered
    MembershipFactory(user=viewer, city=city_y, role=Role.VIEWER)

    assert viewer_client.get(f"/cities/{city_y.slug}/").status_code == 200

    viewer.is_active = False
    viewer.save()
    response = viewer_client.get(f"/cities/{city_y.slug}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_keys_are_remembered_per_session_and_path(viewer_client, editor_client, city_x):
    viewer_client.get(f"/cities/{city_x.slug}/")
    viewer_session = viewer_client.cookies[settings.SESSION_COOKIE_NAME].value
    editor_session = editor_client.cookies[settings.SESSION_COOKIE_NAME].value

    assert read_ahead.remembered.get((viewer_session, f"/cities/{city_x.slug}/"))
    assert not read_ahead.remembered.get((viewer_session, "/reports/"))
    assert not read_ahead.remembered.get((editor_session, f"/cities/{city_x.slug}/"))


def test_posts_and_requests_without_a_session_do_not_read_ahead(
    client, editor_client, city_x, store_reads
):
    client.get("/accounts/login/")
    editor_client.post("/accounts/logout/")
    editor_client.post("/accounts/logout/")

    assert all(when == "during" for when, _key in store_reads)
    assert not read_ahead.remembered._keys


# --- the cache itself, with each backend ------------------------------------------------------


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.fixture(params=["locmem", "redis"])
def backends(request):
    """Two backend objects over one store: the request's, and another process's."""
    if request.param == "locmem":
        pair = [ReadAheadLocMemCache("read-ahead-test", {}) for _ in range(2)]
    else:
        if not _redis_reachable():
            pytest.skip("no Redis on 127.0.0.1:6379")
        prefix = {"KEY_PREFIX": f"read-ahead-test-{uuid.uuid4().hex}"}
        pair = [ReadAheadRedisCache("redis://127.0.0.1:6379/0", prefix) for _ in range(2)]
    yield pair
    pair[0].finish_read_ahead()
    pair[0].delete_many(["a", "b", "c", "d"])


def test_values_are_given_from_the_read_ahead_once_and_missing_keys_as_missing(backends):
    mine, elsewhere = backends
    mine.set_many({"a": {"n": 1}, "c": 3})
    mine.start_read_ahead(["a", "b", "c"])
    # Written by another process after the read ahead: this request keeps what it read at its
    # start, as it would have had it read a moment sooner.
    elsewhere.set_many({"a": "changed elsewhere", "b": "changed elsewhere"})

    first = mine.get("a")
    assert first == {"n": 1}
    assert mine.get("a") == "changed elsewhere"  # a second get reads the store
    assert mine.get("b", "default") == "default"
    assert mine.get_many(["c", "d"]) == {"c": 3}
    assert mine.finish_read_ahead() == ["a", "b", "c", "d"]
    assert mine.get("b") == "changed elsewhere"  # the read-ahead is over


@pytest.mark.parametrize(
    ("write", "then"),
    [
        (lambda mine, _elsewhere: mine.set("a", "new"), "new"),
        (lambda mine, _elsewhere: mine.set_many({"a": "new"}), "new"),
        (lambda mine, _elsewhere: mine.delete("a"), None),
        (lambda mine, _elsewhere: mine.delete_many(["a"]), None),
        (lambda mine, elsewhere: elsewhere.delete("a") and mine.add("a", "new"), "new"),
    ],
)
def test_a_write_in_the_request_is_read_back(backends, write, then):
    mine, elsewhere = backends
    mine.set("a", "old")
    mine.start_read_ahead(["a"])
    write(mine, elsewhere)
    assert mine.get("a") == then


def test_outside_a_read_ahead_the_cache_is_the_plain_one():
    cache.set("a", 1)
    assert cache.get("a") == 1 and cache.get_many(["a", "b"]) == {"a": 1}
    assert cache.finish_read_ahead() == []
