"""Report caches follow the one explicit "city changed" signal (core.changes).

The domain apps send it once per transaction, after the commit, with the cities their writes
touched (None: every city); the reports app knows nothing of the models behind it.
"""

from __future__ import annotations

from core.changes import city_changed
from reports.cache import invalidate_all, invalidate_cities


def _on_city_changed(sender, city_ids, **kwargs):
    if city_ids is None:
        invalidate_all()
    else:
        invalidate_cities(city_ids)


def connect() -> None:
    city_changed.connect(_on_city_changed, dispatch_uid="reports-city-changed")
