"""The version the compact page's cached fragment is keyed by.

A page reads the version of its own records with the compact (CompactPage.records_version). What
it shows from elsewhere (people's and organizations' names, who holds a seat now) and what bulk
loads and restores write moves a per-city token instead, on the one "city changed" signal
(core.changes). The release id keeps a deploy from serving fragments of the old templates, and
the day keeps "overdue" and "in post" true as days pass.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.changes import city_changed

# Entries are found only through the current version; the timeout frees the others.
FRAGMENT_SECONDS = 24 * 60 * 60

_ALL_CITIES = "compact-page:all"


def _city_key(city_id: int) -> str:
    return f"compact-page:city:{city_id}"


def _tokens(keys: list[str]) -> list[str]:
    """The current token of each key; a key missing (never set, or evicted) gets a new one, so
    a fragment cached under a token that was lost is never served again."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def page_version(page) -> str:
    """The cache version of a compact page (compacts.selectors.CompactPage)."""
    city_token, all_token = _tokens([_city_key(page.compact.city_id), _ALL_CITIES])
    release = getattr(settings, "RELEASE_ID", "dev")
    return f"{release}|{page.today}|{page.records_version}|{city_token}|{all_token}"


def _move_tokens(city_ids) -> None:
    if city_ids is None:
        cache.set(_ALL_CITIES, uuid.uuid4().hex, None)
    else:
        cache.set_many({_city_key(city_id): uuid.uuid4().hex for city_id in city_ids}, None)


def _on_city_changed(sender, city_ids, **kwargs) -> None:
    # At once, for a page read later in the same transaction; and at commit, as a page another
    # request cached meanwhile shows the data as it stood before the commit.
    _move_tokens(city_ids)
    transaction.on_commit(lambda: _move_tokens(city_ids))


def connect() -> None:
    city_changed.connect(_on_city_changed, dispatch_uid="compacts-page-cache")
