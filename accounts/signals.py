"""Sign-in starts the session's clocks and decides whether the second step is due."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts import middleware, two_factor


@receiver(user_logged_in, dispatch_uid="accounts.session_started")
def session_started(sender, request, user, **kwargs):
    middleware.note_sign_in(request.session)
    two_factor.note_sign_in(user, request.session)
