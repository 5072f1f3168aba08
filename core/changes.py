"""One explicit signal: "the records of these cities changed".

Domain apps send it (through `cities_changed`) when they write; anything that keeps figures per
city (the report cache) subscribes to `city_changed` and knows nothing of the models behind it.
Core defines the signal and the domain apps send it, so core stays a leaf.

Receivers get `city_ids`: a frozenset of city ids, or None for "every city" (bulk loads, restores).

Outside a transaction the signal goes out at once. Inside one, the cities of all its writes are
collected and go out ONCE, when the outermost transaction commits (transaction.on_commit), and
never for a transaction that rolls back. So a page read later in the same, still uncommitted
transaction may be answered from figures cached before it: the application never does that (a
write answers with a redirect, and the next request reads after the commit), and a cache filled
by another request while the transaction was open is invalidated by the commit either way.
Tests, which run inside a transaction that never commits, use the `city_changes_at_once`
fixture (tests/conftest.py) to hear each change when the service's own block ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

city_changed = Signal()

EVERY_CITY = None


class _Pending(threading.local):
    """The cities of the current thread's open transaction (a connection belongs to one thread).

    `city_ids` is a set, or EVERY_CITY once any write of the transaction changed every city.
    """

    def __init__(self):
        self.city_ids: set[int] | None = set()
        self.any = False


_pending = _Pending()


def _send(city_ids: frozenset[int] | None) -> None:
    city_changed.send(sender=None, city_ids=city_ids)


def _flush() -> None:
    # Every write of a transaction registers this; the first to run after the commit sends the
    # union and the others find nothing left. Cities of a rolled-back transaction (whose
    # callbacks Django drops) ride along with the next send: a harmless extra invalidation.
    if not _pending.any:
        return
    city_ids = _pending.city_ids
    _pending.city_ids, _pending.any = set(), False
    _send(None if city_ids is EVERY_CITY else frozenset(city_ids))


def deferred_until_commit() -> bool:
    """Whether a change is held for the commit of an open transaction (else sent at once)."""
    return not transaction.get_autocommit()


def cities_changed(city_ids: Iterable[int | None] | None) -> None:
    """Tell the subscribers that these cities' records changed (None: every city's)."""
    if city_ids is not EVERY_CITY:
        city_ids = {city_id for city_id in city_ids if city_id is not None}
        if not city_ids:
            return
    if city_ids is EVERY_CITY or _pending.city_ids is EVERY_CITY:
        _pending.city_ids = EVERY_CITY
    else:
        _pending.city_ids |= city_ids
    _pending.any = True
    if deferred_until_commit():
        transaction.on_commit(_flush)
    else:
        _flush()
