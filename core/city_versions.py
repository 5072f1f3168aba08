"""A version token per city (and one for every city) in Django's cache, moved on every "city
changed" signal (core.changes). Whatever is cached from a city's records (report figures and
pages, the compact page) puts these tokens in its keys, so a write makes it unreachable and
nothing has to know which keys exist.

A missing token (never set, or evicted) is replaced by a fresh one, so an eviction can never
bring back what was stored under an older token.

One more token moves with every move, whichever the cities: a reader of many cities checks it
first and reads their hundred tokens only when it moved (reports.cache.page).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache

from core.changes import city_changed

_ALL = "versions:all"
ANY_KEY = "versions:any"


def _city_key(city_id: int) -> str:
    return f"versions:city:{city_id}"


def _new_token() -> str:
    return uuid.uuid4().hex[:12]


def tokens(city_ids: Iterable[int]) -> tuple[str, dict[int, str]]:
    """The every-city token and each city's token, in one cache read."""
    city_ids = list(city_ids)
    return tokens_from(cache.get_many(token_keys(city_ids)), city_ids)


def token_keys(city_ids: Iterable[int]) -> list[str]:
    """The cache keys of `tokens(city_ids)`, for a caller that reads them with its own keys in one
    cache read and hands what it found to `tokens_from`."""
    return [_ALL] + [_city_key(city_id) for city_id in city_ids]


def tokens_from(found: dict, city_ids: Iterable[int]) -> tuple[str, dict[int, str]]:
    """`tokens(city_ids)` from `found`, a cache read that included `token_keys(city_ids)`."""
    city_ids = list(city_ids)
    keys = token_keys(city_ids)
    missing = {key: _new_token() for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return found[_ALL], {city_id: found[_city_key(city_id)] for city_id in city_ids}


def move(city_ids: Iterable[int | None] | None) -> None:
    """New tokens for these cities (None: the every-city token)."""
    if city_ids is None:
        moved = {_ALL: _new_token()}
    else:
        moved = {_city_key(city_id): _new_token() for city_id in city_ids if city_id is not None}
    if moved:
        # One write, so that no reader sees a city's new token with the old "any" token.
        cache.set_many(moved | {ANY_KEY: _new_token()}, timeout=None)


def any_from(found: dict) -> str:
    """The token that moves with every move, from `found`, a cache read that included ANY_KEY
    (a fresh one when it is missing)."""
    token = found.get(ANY_KEY)
    if token is None:
        token = _new_token()
        cache.set(ANY_KEY, token, timeout=None)
    return token


def _on_city_changed(sender, city_ids, **kwargs) -> None:
    move(city_ids)


def connect() -> None:
    city_changed.connect(_on_city_changed, dispatch_uid="core-city-versions")
