"""Cached figures per city, in Django's configured cache (Redis when REDIS_URL is set).

Every city has a version token, and so does the whole cache; a figure is stored under a key made
of its kind, its city, "today" and both tokens. A write replaces the city's token
(`invalidate_cities`), so the next page load computes afresh: nothing has to know which keys exist.
A reader takes the tokens *before* it queries the database, so figures computed from data that a
concurrent write has since changed land under a token nobody reads any more.

Writes through the ORM invalidate by signals (reports/signals.py). Bulk operations that bypass
signals (bulk_create, bulk_update, QuerySet.update/delete, raw SQL), such as importers and
generators, must call `invalidate_cities(city_ids)` or `invalidate_all()` when they are done.

The report pages also cache their rendered content (everything inside {% block content %}, never
base.html with its user name and CSRF token) under `page_key`: a digest of the figures' keys of
every city the page shows (so of their version tokens and "today"), the reader's scope, the query
string that matters and `code_token()`, a fingerprint of the templates and modules that shape the
HTML. A write changes a city's token, hence every page key that includes the city.

Note: the local-memory cache (no REDIS_URL) lives in one process; with several server processes a
write invalidates only its own process's copy. Run with REDIS_URL wherever more than one process
serves pages.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

CITY = "city"
DASHBOARD = "dashboard"

_PREFIX = "reports"
_ALL = f"{_PREFIX}:version:all"


def _schema() -> str:
    """A fingerprint of the cached dataclasses: a deploy that changes them reads no old entries."""
    from reports import charts, figures, selectors

    names = []
    for module in (figures, charts, selectors):
        for value in sorted(vars(module).values(), key=lambda v: getattr(v, "__name__", "")):
            if dataclasses.is_dataclass(value) and isinstance(value, type):
                fields = ",".join(f.name for f in dataclasses.fields(value))
                names.append(f"{value.__name__}({fields})")
    return hashlib.sha1("|".join(names).encode()).hexdigest()[:8]


_schema_cache: list[str] = []


def _schema_token() -> str:
    if not _schema_cache:
        _schema_cache.append(_schema())
    return _schema_cache[0]


# Bump to drop every cached page when something outside code_token()'s files changes the HTML.
PAGE_VERSION = "1"

_CODE_FILES = (
    "views.py",
    "links.py",
    "figures.py",
    "charts.py",
    "portfolio.py",
    "pages.py",
    "display.py",
    "seats.py",
    "templatetags/reports_extras.py",
)


def _code() -> str:
    """A fingerprint of the report templates and the modules that shape the rendered content."""
    digest = hashlib.sha1(PAGE_VERSION.encode())
    here = Path(__file__).resolve().parent
    templates = sorted((Path(settings.BASE_DIR) / "templates" / "reports").glob("*.html"))
    for path in [*(here / name for name in _CODE_FILES), *templates]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


_code_cache: list[str] = []


def code_token() -> str:
    if not _code_cache:
        _code_cache.append(f"{_schema_token()}{_code()}")
    return _code_cache[0]


def page_key(
    page: str, keys: dict[int, str], today: datetime.date, *, scope: str, variant: str = ""
) -> str:
    """The key of a page's rendered content over the cities of `keys` (from `data_keys`, in the
    order the page shows them): it changes with any of their tokens, the day (also when the page
    shows no city), the reader's scope
    (`scope`, e.g. the cities they read and their role in each) and `variant` (e.g. the sort)."""
    parts = [scope, variant, *keys.values()]
    digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()
    return f"{_PREFIX}:page:{code_token()}:{page}:{today.isoformat()}:{digest}"


def get_page(key: str) -> dict | None:
    return cache.get(key)


def set_page(key: str, content: dict) -> None:
    cache.set(key, content, timeout=settings.DASHBOARD_CACHE_SECONDS)


def _city_version_key(city_id: int) -> str:
    return f"{_PREFIX}:version:city:{city_id}"


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def data_keys(city_ids: list[int], today: datetime.date) -> dict[int, str]:
    """The key stem of each city's figures for today, from the current version tokens.

    A missing token (never set, or evicted) is replaced by a fresh one, so an eviction can never
    bring back figures stored under an older token.
    """
    version_keys = [_ALL] + [_city_version_key(city_id) for city_id in city_ids]
    tokens = cache.get_many(version_keys)
    missing = {key: _new_token() for key in version_keys if key not in tokens}
    if missing:
        cache.set_many(missing, timeout=None)
        tokens.update(missing)
    stem = f"{_PREFIX}:{_schema_token()}:{today.isoformat()}:{tokens[_ALL]}"
    return {
        city_id: f"{stem}:{city_id}:{tokens[_city_version_key(city_id)]}" for city_id in city_ids
    }


def get_many(keys: dict[int, str], kind: str) -> dict[int, object]:
    """Cached figures of `kind` per city id, for the cities that have them."""
    if not keys:
        return {}
    found = cache.get_many([f"{stem}:{kind}" for stem in keys.values()])
    return {
        city_id: found[f"{stem}:{kind}"]
        for city_id, stem in keys.items()
        if f"{stem}:{kind}" in found
    }


def set_many(keys: dict[int, str], kind: str, values: dict[int, object]) -> None:
    if values:
        cache.set_many(
            {f"{keys[city_id]}:{kind}": value for city_id, value in values.items()},
            timeout=settings.DASHBOARD_CACHE_SECONDS,
        )


def invalidate_cities(city_ids: Iterable[int | None]) -> None:
    """Forget the cached figures of these cities (None entries are ignored)."""
    tokens = {
        _city_version_key(city_id): _new_token() for city_id in city_ids if city_id is not None
    }
    if tokens:
        cache.set_many(tokens, timeout=None)


def invalidate_all() -> None:
    """Forget the cached figures of every city: after bulk loads and imports."""
    cache.set(_ALL, _new_token(), timeout=None)
