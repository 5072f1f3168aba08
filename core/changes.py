"""One explicit signal: "the records of these cities changed".

Domain apps send it (through `cities_changed`) when they write; anything that keeps figures per
city (the report cache) subscribes to `city_changed` and knows nothing of the models behind it.
Core defines the signal and the domain apps send it, so core stays a leaf.

Receivers get `city_ids`: a frozenset of city ids, or None for "every city" (bulk loads, restores).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

city_changed = Signal()


def cities_changed(city_ids: Iterable[int | None] | None) -> None:
    """Tell the subscribers that these cities' records changed (None: every city's)."""
    if city_ids is None:
        city_changed.send(sender=None, city_ids=None)
        return
    ids = frozenset(city_id for city_id in city_ids if city_id is not None)
    if ids:
        city_changed.send(sender=None, city_ids=ids)
