"""Sign-in starts the session's clocks and decides whether the second step is due; a changed user
drops its cached copy (accounts.backends), a changed membership its user's cached roles, and a
changed city the cached list of cities (accounts.scope)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts import backends, middleware, scope, two_factor
from accounts.models import Membership
from core.changes import city_changed


@receiver(user_logged_in, dispatch_uid="accounts.session_started")
def session_started(sender, request, user, **kwargs):
    middleware.note_sign_in(request.session)
    two_factor.note_sign_in(user, request.session)
    # Connected after django.contrib.auth's update_last_login (an earlier app), whose save drops
    # the cached user: the copy stored here holds the new last_login.
    backends.remember_signed_in(user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user_saved")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user_deleted")
def user_changed(sender, instance, **kwargs):
    # As for memberships below: at once, and again at the commit.
    backends.forget_user(instance.pk)
    transaction.on_commit(lambda: backends.forget_user(instance.pk))


@receiver(pre_save, sender=Membership, dispatch_uid="accounts.membership_moving")
def membership_moving(sender, instance, raw=False, **kwargs):
    # A membership given to another user (in the admin) takes the roles from the one it had.
    if instance.pk is not None and not raw:
        stored = Membership.objects.filter(pk=instance.pk).values_list("user_id", flat=True)
        for user_id in stored:
            if user_id != instance.user_id:
                scope.forget_roles(user_id)


@receiver(post_save, sender=Membership, dispatch_uid="accounts.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="accounts.membership_deleted")
def membership_changed(sender, instance, **kwargs):
    # At once for the rest of this transaction, and again at the commit for a reader that
    # cached the old roles in between.
    scope.forget_roles(instance.user_id)
    transaction.on_commit(lambda: scope.forget_roles(instance.user_id))


@receiver(city_changed, dispatch_uid="accounts.city_changed")
def city_changed_received(sender, city_ids, **kwargs):
    # Sent after the commit for any write of a city's records (a rename is one of them); "every
    # city" comes from bulk loads and restores, which write memberships without their signals.
    if city_ids is None:
        scope.forget_every_scope()
    else:
        scope.forget_cities()
