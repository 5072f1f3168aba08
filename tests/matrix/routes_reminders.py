from reminders.tokens import DIGESTS, unsubscribe_token
from tests.accounts.factories import UserFactory
from tests.matrix import PUBLIC, SIGNED_IN, Route


def _token(world) -> dict:
    # Anyone holding a mailed link may use it: no session, no CSRF token.
    reader = UserFactory(username="matrix-mail-reader")
    return {"token": unsubscribe_token(reader.pk, DIGESTS)}


ROUTES = [
    Route("reminders:preferences", SIGNED_IN, post=True),
    Route("reminders:unsubscribe", PUBLIC, kwargs=_token, post=True),
]
