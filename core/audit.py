"""Who the change history names as the author of a write.

django-simple-history takes the user from the current request (HistoryRequestMiddleware). Services
also run outside a request (imports, management commands, tests), and a delete cascades to rows the
service never touches itself; both must still record the acting user. `recorded_as` puts the actor
where simple_history looks for the request's user, for every history row written inside the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

_ABSENT = object()


@contextmanager
def recorded_as(actor) -> Iterator[None]:
    """History rows written inside the block carry `actor` as history_user (None: nobody)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", _ABSENT)
    # simple_history reads only `request.user`; a stand-in keeps the real request untouched.
    context.request = SimpleNamespace(user=actor)
    try:
        yield
    finally:
        if previous is _ABSENT:
            del context.request
        else:
            context.request = previous
