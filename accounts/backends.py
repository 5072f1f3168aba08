"""The signed-in user of every request, from the cache.

Django loads the user of a session with one query on every request; here it comes from the cache
shared by the user's requests, in the same read as their roles and the cities (accounts.scope)
and the demo banner every page shows (core.context_processors), so a warm signed-in page asks the
database nothing about who is asking, and the cache once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from accounts import scope
from core import context_processors

# Every save or delete of a user deletes its entry (accounts.signals), so a new password, an
# account made inactive or a changed superuser flag counts on the next request; the limit only
# bounds a reader that loaded the user just before a change committed and stored it just after.
USER_CACHE_SECONDS = 300


def _user_key(user_id) -> str:
    return f"accounts:user:{user_id}"


def forget_user(user_id) -> None:
    """Drop the cached user: it was saved or deleted."""
    cache.delete(_user_key(user_id))


def remember_signed_in(user) -> None:
    """Store the user who has just signed in (user_logged_in, accounts.signals), after the sign-in
    saved their last_login, so that their first page reads them from the cache like every later
    one instead of paying the query once per sign-in."""
    _store(user, scope.current_generation())


def _store(user, generation: str) -> None:
    # Only the user's fields: not what a request kept on its object (the backend's name, the
    # roles and cities of keep_for_request), which must never outlive that request.
    fields = {field.attname: getattr(user, field.attname) for field in user._meta.concrete_fields}
    stored = type(user)(**fields)
    stored._state.adding, stored._state.db = False, user._state.db
    cache.set(_user_key(user.pk), (generation, stored), USER_CACHE_SECONDS)


class CachedUserBackend(ModelBackend):
    """ModelBackend whose `get_user` reads the user from the cache (stored with the scope
    generation, so a bulk load or a restore, which writes users without signals, drops it too).
    An inactive user is refused as ModelBackend refuses them; Django still checks the session's
    password hash against the user it gets, so a changed password signs other sessions out."""

    def get_user(self, user_id):
        key = _user_key(user_id)
        found = cache.get_many(
            [key, *scope.request_cache_keys(user_id), *context_processors.read_with_user()]
        )
        generation, cached = found.get(scope.GENERATION_KEY), found.get(key)
        if generation is not None and cached is not None and cached[0] == generation:
            user = cached[1]
        else:
            user = get_user_model()._default_manager.filter(pk=user_id).first()
            if user is None:
                return None
            _store(user, generation or scope.current_generation())
        if not self.user_can_authenticate(user):
            return None
        scope.keep_for_request(user, found)
        context_processors.keep_with_user(user, found)
        return user
