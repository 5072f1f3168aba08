"""Who the change history names as the author of a write: the request's user, a service's actor, or
a command's --actor (the inactive "system" user by default).

django-simple-history takes the user from the current request (HistoryRequestMiddleware). Services
also run outside a request (imports, management commands, tests), and a delete cascades to rows the
service never touches itself; both must still record the acting user. `recorded_as` puts the actor
where simple_history looks for the request's user, for every history row written inside the block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
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


# --- who acts: requests, services, commands ---------------------------------------------------

SYSTEM_USERNAME = "system"


def system_user():
    """The inactive "system" user that authors changes made by commands without --actor."""
    user_model = get_user_model()
    user, created = user_model._default_manager.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "System", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def add_actor_argument(parser) -> None:
    """The --actor option of every command that changes records."""
    parser.add_argument(
        "--actor",
        metavar="USERNAME",
        help=f'Who the history names as the author of the changes (default "{SYSTEM_USERNAME}").',
    )


def command_actor(options: dict):
    """The user named by --actor, or the system user."""
    username = options.get("actor")
    if not username:
        return system_user()
    try:
        return get_user_model()._default_manager.get_by_natural_key(username)
    except get_user_model().DoesNotExist as error:
        raise CommandError(f'No user "{username}" to act as.') from error
