from axes.apps import AppConfig as AxesConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.SuperuserAdminSite"


# The admin index heads each app's section with its verbose name; the libraries' own
# ("OTP_TOTP", "AXES") mean nothing to the administrator who must turn a lost phone off.


class AuthenticatorAppsConfig(TOTPConfig):
    verbose_name = "Two-step sign-in: authenticator apps"


class RecoveryCodesConfig(StaticConfig):
    verbose_name = "Two-step sign-in: recovery codes"


class LockoutsConfig(AxesConfig):
    verbose_name = "Sign-in attempts and lockouts"
