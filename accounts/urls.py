"""Sign-in, sign-out, the account page, password change, password reset by email and the
two-step sign-in pages.

Open without a session: sign-in, sign-out and the reset pages (Django marks its sign-in and reset
views login_not_required; SignOutView is marked too). The two-step pages need a signed-in
session; the code step and the set-up are reachable before the step is passed.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import forms, views
from accounts.views import SignInView, SignOutView

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", SignOutView.as_view(), name="logout"),
    path("two-step/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-step/set-up/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path(
        "two-step/recovery-codes/",
        views.TwoFactorRecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path("two-step/turn-off/", views.TwoFactorDisableView.as_view(), name="two_factor_disable"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
