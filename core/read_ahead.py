"""A signed-in page's cache reads in one round trip: the session, the user, their roles, the page.

A warm page reads from the cache in steps that each need the one before: the session (its key is
the cookie), then the user and their roles (their keys need the user id inside the session), then
the page's content (its key needs the roles). Three round trips to Redis, each paying the client's
fixed cost, on every request that serves a page from the cache.

A request does not have to find out its keys again each time: the same session asking for the
same path asks for the same keys as last time (until the day, a role or a deploy changes one).
So `ReadAheadMiddleware` remembers, per session cookie and path, which keys the last such request
asked the default cache for, and reads them all in one `get_many` when the request starts. The
cache (`ReadAheadRedisCache`, `ReadAheadLocMemCache`) then answers a `get` or `get_many` of one of
those keys from what was read, and goes to the store for anything else.

Why this changes nothing but the number of round trips:
- A request is only ever given the value of a key its own code asks for, read for it at its start.
  What is remembered per session is key names, in this process's memory, never values; a key
  remembered under one session and not asked by the next request is read and thrown away.
- Each value read ahead is given once (a second `get` of the key goes to the store), so no two
  callers share one unpickled object, as with the store itself.
- A write of a key (`set`, `add`, `delete`, ... by anyone in this request) drops what was read of
  it, so the request reads back what it wrote.
- Reading a value at the start of the request rather than a few milliseconds later is what any
  request that read it a little sooner would see: nothing in the cache promises more between
  processes.
- Only GET and HEAD with a session cookie read ahead; nothing read ahead outlives the request.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

# How many (session, path) pairs each process remembers, and how many keys per pair: the few keys
# every page reads first (session, user, roles, page). A page computed afresh asks for a hundred
# cities' figures too; the first keys it asked are still the ones its next request asks first.
REMEMBERED_PAGES = 4096
REMEMBERED_KEYS = 16

_MISSING = object()  # read ahead and not in the cache
_UNREAD = object()


class ReadAheadMixin:
    """A cache backend that can answer a request's reads from one read at its start (above).

    `_read` holds, during a read-ahead, what was read and not yet given (key -> value, or _MISSING);
    `_asked` the keys this request asked for, in order. Both are None outside a request that reads
    ahead. Django keeps one backend object per thread, so they belong to one request at a time."""

    _read: dict | None = None
    _asked: dict | None = None

    def start_read_ahead(self, keys) -> None:
        self._read = self._asked = None
        read = {}
        if keys:
            found = super().get_many(keys)
            read = {key: found.get(key, _MISSING) for key in keys}
        self._read, self._asked = read, {}

    def finish_read_ahead(self) -> list[str]:
        """The keys this request asked for (without a version), and the end of its read-ahead."""
        asked = list(self._asked or ())
        self._read = self._asked = None
        return asked

    def get(self, key, default=None, version=None):
        if self._asked is not None and version is None:
            self._asked[key] = None
            value = self._read.pop(key, _UNREAD)
            if value is not _UNREAD:
                return default if value is _MISSING else value
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        if self._asked is None or version is not None:
            return super().get_many(keys, version)
        found, rest = {}, []
        for key in keys:
            self._asked[key] = None
            value = self._read.pop(key, _UNREAD)
            if value is _UNREAD:
                rest.append(key)
            elif value is not _MISSING:
                found[key] = value
        if rest:
            found |= super().get_many(rest)
        return found

    def _drop(self, keys) -> None:
        if self._read:
            for key in keys:
                self._read.pop(key, None)

    def set(self, key, *args, **kwargs):
        self._drop([key])
        return super().set(key, *args, **kwargs)

    def add(self, key, *args, **kwargs):
        self._drop([key])
        return super().add(key, *args, **kwargs)

    def touch(self, key, *args, **kwargs):
        self._drop([key])
        return super().touch(key, *args, **kwargs)

    def delete(self, key, *args, **kwargs):
        self._drop([key])
        return super().delete(key, *args, **kwargs)

    def incr(self, key, *args, **kwargs):
        self._drop([key])
        return super().incr(key, *args, **kwargs)

    def decr(self, key, *args, **kwargs):
        self._drop([key])
        return super().decr(key, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        self._drop(list(data))
        return super().set_many(data, *args, **kwargs)

    def delete_many(self, keys, *args, **kwargs):
        keys = list(keys)
        self._drop(keys)
        return super().delete_many(keys, *args, **kwargs)

    def clear(self):
        if self._read:
            self._read.clear()
        return super().clear()


class ReadAheadRedisCache(ReadAheadMixin, RedisCache):
    """Django's Redis cache, reading ahead (module docstring)."""


class ReadAheadLocMemCache(ReadAheadMixin, LocMemCache):
    """Django's local-memory cache, reading ahead as the Redis one does: one code path for the
    tests, a local run and production."""


class _Remembered:
    """Per (session cookie, path): the keys its last request asked for, oldest pair dropped
    first past REMEMBERED_PAGES. Shared by the process's threads (each step is one dict call)."""

    def __init__(self):
        self._keys: dict[tuple[str, str], tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def get(self, pair) -> tuple[str, ...]:
        return self._keys.get(pair, ())

    def put(self, pair, keys: list[str]) -> None:
        keys = tuple(keys[:REMEMBERED_KEYS])
        if self._keys.get(pair) == keys:
            return
        with self._lock:
            self._keys.pop(pair, None)
            if keys:
                self._keys[pair] = keys
            while len(self._keys) > REMEMBERED_PAGES:
                del self._keys[next(iter(self._keys))]

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


remembered = _Remembered()


class ReadAheadMiddleware:
    """Reads ahead (module docstring) for GET and HEAD requests with a session cookie, when the
    default cache can. Before SessionMiddleware, which reads the session on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cache = caches[DEFAULT_CACHE_ALIAS]
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if (
            not session_key
            or len(session_key) > 64  # not one of Django's; nothing worth remembering
            or request.method not in ("GET", "HEAD")
            or not isinstance(cache, ReadAheadMixin)
        ):
            return self.get_response(request)
        pair = (session_key, request.get_full_path())
        cache.start_read_ahead(remembered.get(pair))
        try:
            response = self.get_response(request)
        finally:
            asked = cache.finish_read_ahead()
        remembered.put(pair, asked)
        return response
