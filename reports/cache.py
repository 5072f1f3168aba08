"""The report cache: the one module that stores what reports/selectors.py computes, and the
rendered content of the report pages. Selectors compute and never touch the cache; views ask here.

Every city has a version token, and so does the whole cache (core.city_versions, moved by every
"city changed" signal); a figure is stored under a key made of the release, its kind, its city,
"today" and both tokens, so the next page load after a write computes afresh.
A reader takes the tokens *before* it queries the database, so figures computed from data that a
concurrent write has since changed land under a token nobody reads any more.

Writes announce the cities they changed (core.changes.cities_changed); `invalidate_cities` and
`invalidate_all` move the tokens directly, for tests and for a cache cleared by hand.

Behind the cache, the figures of a city that the cache does not hold are read from the city's
rollup row (reports/rollups.py, kept in the database beside the records and moved by the same
signal), and computed only when that is out of date too: a cold cache costs one query, not the
aggregation.

Each city's card (/cities/) and portfolio row (/reports/) is kept under the city's data key too
(`fragments`): all of a page's read in one get_many, the missing ones stored in one set_many.
DASHBOARD_CACHE_SECONDS=0 turns figures and fragments off in the cache (`caching`): figures read
from the rollups (or computed) and rendered on every request, nothing read from or stored in the
cache.

The report pages also cache their content (everything inside {% block content %}, never base.html
with its user name and CSRF token) under `page_key`: the release, the day, the cities, the
reader's scope (cities and role in each) and the sort; the entry carries a digest of the cities'
tokens and is read with them in one cache read. A write changes a city's token, hence makes every
page entry that includes the city stale; a deploy changes settings.RELEASE_ID, hence every key.

Note: the local-memory cache (no REDIS_URL) lives in one process; with several server processes a
write invalidates only its own process's copy. Run with REDIS_URL wherever more than one process
serves pages.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core import city_versions
from reports import rollups, selectors

CITY = "city"
DASHBOARD = "dashboard"

_PREFIX = "reports"


def data_keys(city_ids: list[int], today: datetime.date) -> dict[int, str]:
    """The key stem of each city's figures for today, from the current version tokens."""
    return _data_keys(*city_versions.tokens(city_ids), today)


def _data_keys(every_city: str, tokens: dict[int, str], today: datetime.date) -> dict[int, str]:
    city_ids = list(tokens)
    stem = f"{_PREFIX}:{settings.RELEASE_ID}:{today.isoformat()}:{every_city}"
    return {city_id: f"{stem}:{city_id}:{tokens[city_id]}" for city_id in city_ids}


def caching() -> bool:
    """DASHBOARD_CACHE_SECONDS=0 turns the report cache off: nothing is read or stored, since a
    zero timeout would still cost a round trip and a pickle for every key."""
    return settings.DASHBOARD_CACHE_SECONDS > 0


def get_many(keys: dict[int, str], kind: str) -> dict[int, object]:
    """Cached figures (or fragments) of `kind` per city id, for the cities that have them."""
    if not keys or not caching():
        return {}
    found = cache.get_many([f"{stem}:{kind}" for stem in keys.values()])
    return {
        city_id: found[f"{stem}:{kind}"]
        for city_id, stem in keys.items()
        if f"{stem}:{kind}" in found
    }


def set_many(keys: dict[int, str], kind: str, values: dict[int, object]) -> None:
    if values and caching():
        cache.set_many(
            {f"{keys[city_id]}:{kind}": value for city_id, value in values.items()},
            timeout=settings.DASHBOARD_CACHE_SECONDS,
        )


def invalidate_cities(city_ids: Iterable[int | None]) -> None:
    """Forget the cached and rolled-up figures of these cities (None entries are ignored)."""
    city_ids = [city_id for city_id in city_ids if city_id is not None]
    city_versions.move(city_ids)
    rollups.move_versions(frozenset(city_ids))


def invalidate_all() -> None:
    """Forget the cached and rolled-up figures of every city."""
    city_versions.move(None)
    rollups.move_versions(None)


# --- figures: get or compute ------------------------------------------------------------------


def city_figures_list(
    *,
    user,
    cities: list[dict] | None = None,
    keys: dict[int, str] | None = None,
    today: datetime.date | None = None,
) -> list[selectors.CityFigures]:
    """`selectors.city_figures_list`, cached per city: only the cities whose figures are not
    cached are computed, together. A caller that already holds `cities_in_scope(user)` and their
    `data_keys` (of `today`) passes them in."""
    today = today or timezone.localdate()
    if cities is None:
        cities = selectors.cities_in_scope(user)
    if keys is None:
        keys = data_keys([city["id"] for city in cities], today)
    found = get_many(keys, CITY)
    missing = [city for city in cities if city["id"] not in found]
    if missing:
        computed = rollups.city_figures(missing, today)
        set_many(keys, CITY, computed)
        found.update(computed)
    return [found[city["id"]] for city in cities]


def city_dashboard_get(
    *,
    user,
    slug: str,
    city: dict | None = None,
    keys: dict[int, str] | None = None,
    today: datetime.date | None = None,
) -> selectors.CityDashboard:
    """`selectors.city_dashboard_get`, cached; 404 outside the user's scope. A caller that already
    holds `city_in_scope(user, slug)` and its `data_keys` (of `today`) passes them in."""
    today = today or timezone.localdate()
    if city is None:
        city = selectors.city_in_scope(user, slug)
    if keys is None:
        keys = data_keys([city["id"]], today)
    dashboard = get_many(keys, DASHBOARD).get(city["id"])
    if dashboard is None:
        dashboard = rollups.city_dashboard(city, today)
        set_many(keys, DASHBOARD, {city["id"]: dashboard})
        set_many(keys, CITY, {city["id"]: dashboard.city})
    return dashboard


# --- fragments --------------------------------------------------------------------------------


def fragments(
    keys: dict[int, str], kind: str, render: Callable[[int], str]
) -> dict[int, SafeString]:
    """The rendered fragment of `kind` (a city card, a portfolio row) of each city of `keys`, under
    the city's data key: the cached ones read in one get_many, the others rendered now by
    `render(city_id)` and stored in one set_many. A write in one city renders only its fragment
    again; per-fragment {% cache %} tags cost a read and a write per city instead."""
    found = get_many(keys, kind)
    rendered = {city_id: render(city_id) for city_id in keys if city_id not in found}
    set_many(keys, kind, rendered)
    found |= rendered
    return {city_id: mark_safe(found[city_id]) for city_id in keys}  # noqa: S308 (our render)


# --- page content -----------------------------------------------------------------------------


# Names the shape of a page entry (checked_at, stamp, content, expires_at): a release that keeps
# its RELEASE_ID (one set by hand) must not read an entry of another shape.
_PAGE_ENTRY = "page-v3"


def page_key(
    page: str, city_ids: Iterable[int], today: datetime.date, *, scope: str, variant: str = ""
) -> str:
    """The key of a page's rendered content over `city_ids` (in the order the page shows them):
    it changes with the release, the day (also when the page shows no city), the reader's scope
    (`scope`, e.g. the cities they read and their role in each) and `variant` (e.g. the sort).
    The cities' version tokens are not in the key but in the entry (`page`)."""
    parts = [scope, variant, *map(str, city_ids)]
    digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()
    return f"{_PREFIX}:{_PAGE_ENTRY}:{settings.RELEASE_ID}:{page}:{today.isoformat()}:{digest}"


# A page over more cities than this checks the token that moves with any write first, and reads
# its cities' own tokens only when that one moved: reading a hundred tokens costs about a
# millisecond on every warm /cities/ and /reports/.
FEW_CITIES = 3


def page(
    key: str,
    city_ids: list[int],
    today: datetime.date,
    build: Callable[[dict[int, str]], dict],
) -> dict:
    """The page's content cached under `key` (from `page_key`), or `build(data_keys)` rendered now
    and stored. The entry carries a digest of the cities' version tokens it was rendered at and
    counts only while they are current, so a write to any of its cities renders the page anew.

    The entry is read in the same cache read as the tokens; over many cities, with the token
    that moves with any write instead (the entry keeps the one it was checked at): while that
    one stands no city changed, and when it moved, the cities' tokens are read and an entry that
    is still current (the write was elsewhere) is kept, checked at the new one. The content is
    kept in ASCII (`_in_ascii`).

    The process keeps a copy of the entries it served lately (`_Kept`): a warm page then reads
    only the tokens, not its 60-140 KB of content again. The copy counts under the same tokens,
    and expires with the shared entry; when its tokens moved, the shared entry is read before
    the page is rendered anew (another process may have rendered it already)."""
    few = len(city_ids) <= FEW_CITIES
    kept = kept_pages.get(key)
    found = cache.get_many(
        [*([] if kept else [key]), *(city_versions.token_keys(city_ids) if few else [_ANY])]
    )
    entry = kept or found.get(key)
    if few:
        checked_at = ""
    else:
        # Read before the cities' tokens, so that a write in between moves it past what is kept.
        checked_at = city_versions.any_from(found)
        if entry is not None and entry[0] == checked_at:
            return _served(key, entry)
        found |= cache.get_many(city_versions.token_keys(city_ids))
    keys = _data_keys(*city_versions.tokens_from(found, city_ids), today)
    stamp = hashlib.sha1("\n".join(keys.values()).encode()).hexdigest()
    if kept and kept[1] != stamp:
        entry = cache.get(key)
    if entry is not None and entry[1] == stamp:
        if few or entry[0] == checked_at:
            return _served(key, entry)
        content = entry[2]
    else:
        content = _in_ascii(build(keys))
    expires_at = time.time() + settings.DASHBOARD_CACHE_SECONDS
    entry = (checked_at, stamp, content, expires_at)
    cache.set(key, entry, timeout=settings.DASHBOARD_CACHE_SECONDS)
    return _served(key, entry)


_ANY = city_versions.ANY_KEY


class _Kept:
    """The page entries this process served lately, by key, the oldest dropped past `most`; an
    entry is dropped at its expiry (that of the shared entry it copies). Shared by the process's
    threads."""

    def __init__(self, most: int):
        self.most = most
        self._entries: dict[str, tuple] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        entry = self._entries.get(key)
        if entry is not None and entry[3] <= time.time():
            with self._lock:
                self._entries.pop(key, None)
            return None
        return entry

    def put(self, key: str, entry: tuple) -> None:
        if self._entries.get(key) is entry:
            return
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = entry
            while len(self._entries) > self.most:
                del self._entries[next(iter(self._entries))]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# 32 pages of up to ~140 KB: a few MB per process.
kept_pages = _Kept(most=32)


def _in_ascii(content: dict) -> dict:
    """The content with every character beyond ASCII written as a character reference (&#8226;),
    which HTML reads as the character itself. A page that is all ASCII is read from the cache and
    encoded for the response by a copy; one other character anywhere makes Python do both
    character by character (about 0.3 ms on every warm /reports/). The content holds no script or
    style where a reference would be read as text: its JSON data blocks are ASCII already."""
    text = content["content"].encode("ascii", "xmlcharrefreplace").decode("ascii")
    return content | {"content": text}


def _served(key: str, entry: tuple) -> dict:
    if caching():
        kept_pages.put(key, entry)
    content = entry[2]
    return content | {"content": mark_safe(content["content"])}  # noqa: S308 (our own render)
