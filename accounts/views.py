"""Sign-in and sign-out, the account page, the password reset throttle and the two-step
sign-in pages; the other password pages are Django's views, configured in urls.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET
from django.views.generic import FormView, TemplateView
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import forms, scope, throttle, two_factor
from accounts.forms import SignInForm
from accounts.lockout import client_ip
from accounts.middleware import second_step_allowed


@method_decorator(second_step_allowed, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class SignOutView(auth_views.LogoutView):
    """POST only. Open to anonymous visitors too: a sign-out from a tab whose session has already
    expired should land on the sign-in page, not on a sign-in page that returns to /logout/."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.info(request, "You have signed out.")
        return response


class SignInView(auth_views.LoginView):
    """Django's sign-in, telling people up front how many attempts they have."""

    form_class = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return context

    def get_default_redirect_url(self):
        """Where a sign-in without `next` lands: My work for those who keep records; the
        portfolio for those who only read (funders), whose My work would list chores that are
        not theirs to do."""
        if scope.edits_any_city(self.request.user):
            return super().get_default_redirect_url()
        return reverse("reports:portfolio")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, throttled per client address (requests) and per account
    (emails, in the form). Over a limit the answer is the usual one and nothing is sent, so the
    page never tells whether an address has an account."""

    form_class = forms.PasswordResetForm

    def form_valid(self, form):
        if not throttle.reset_allowed_from(client_ip(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def _next_url(request, default: str = "/") -> str:
    """The page to go on to after a step: `next` when it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _seconds(count: int) -> str:
    return f"{count} second{'s' if count != 1 else ''}"


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url != "/" else url


@method_decorator(require_GET, name="dispatch")
class AccountView(TemplateView):
    """The signed-in person's account: password and two-step sign-in."""

    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            has_app=two_factor.has_app(user),
            recovery_codes_left=two_factor.recovery_codes_left(user),
            **kwargs,
        )


@method_decorator(second_step_allowed, name="dispatch")
class TwoFactorVerifyView(FormView):
    """The second sign-in step: a code from the app, or a recovery code."""

    template_name = "accounts/two_factor_verify.html"
    form_class = forms.CodeForm

    def dispatch(self, request, *args, **kwargs):
        next_url = _next_url(request)
        if not two_factor.step_needed(request.user, request.session):
            return redirect(next_url)
        if request.user.is_superuser and not two_factor.has_app(request.user):
            return redirect(_with_next(reverse("two_factor_setup"), next_url))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Nothing in the menu is open before the step: only sign-out, on the page itself.
        return super().get_context_data(
            next=_next_url(self.request), hide_navigation=True, **kwargs
        )

    def form_valid(self, form):
        user = self.request.user
        try:
            device = two_factor.check_code(user, form.cleaned_data["code"])
        except two_factor.Throttled as throttled:
            form.add_error(
                "code",
                f"Too many wrong codes in a row. Wait {_seconds(throttled.seconds)}, then try "
                "the code your app shows at that moment.",
            )
            return self.form_invalid(form)
        if device is None:
            form.add_error(
                "code",
                "That code did not work. Type the code your app shows now (it changes every 30 "
                "seconds), or one of your recovery codes.",
            )
            return self.form_invalid(form)
        two_factor.pass_step(self.request, device)
        if isinstance(device, StaticDevice):
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                self.request,
                f"You used a recovery code; {left} left. Make new ones from your account page "
                "when you have your app again.",
            )
        return redirect(_next_url(self.request))


@method_decorator(second_step_allowed, name="dispatch")
class TwoFactorSetupView(FormView):
    """Turn two-step sign-in on: scan the QR code (or type the secret), confirm with a code.
    Superusers without an app come here straight after their password."""

    template_name = "accounts/two_factor_setup.html"
    form_class = forms.SetupCodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and two_factor.has_app(request.user):
            messages.info(request, "Two-step sign-in is already on for your account.")
            return redirect("account")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        hex_key = two_factor.setup_key(self.request.session)
        app = two_factor.unsaved_app(self.request.user, hex_key)
        qr_code, qr_width = two_factor.qr_image(app)
        return super().get_context_data(
            app_link=app.config_url,
            qr_code=qr_code,
            qr_width=qr_width,
            secret=two_factor.readable_secret(hex_key),
            required=self.request.user.is_superuser,
            hide_navigation=two_factor.step_needed(self.request.user, self.request.session),
            next=_next_url(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        session = self.request.session
        confirmed = two_factor.app_confirm(
            user=self.request.user,
            hex_key=two_factor.setup_key(session),
            code=form.cleaned_data["code"],
        )
        if confirmed is None:
            form.add_error(
                "code",
                "That code does not fit. Type the code the app shows now for Compact Tracker; "
                "if it keeps failing, check that the phone's clock is set automatically.",
            )
            return self.form_invalid(form)
        device, codes = confirmed
        two_factor.pass_step(self.request, device)
        session.pop(two_factor.SETUP_KEY_SESSION_KEY, None)
        session[two_factor.NEW_RECOVERY_CODES_SESSION_KEY] = codes
        messages.success(self.request, "Two-step sign-in is on.")
        return redirect(_with_next(reverse("two_factor_recovery_codes"), _next_url(self.request)))


class TwoFactorRecoveryCodesView(TemplateView):
    """New recovery codes, shown once; a button makes a new set (the old set stops working)."""

    template_name = "accounts/two_factor_recovery_codes.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        codes = self.request.session.pop(two_factor.NEW_RECOVERY_CODES_SESSION_KEY, None)
        return super().get_context_data(
            codes=[two_factor.format_recovery_code(code) for code in codes or []],
            has_app=two_factor.has_app(user),
            recovery_codes_left=two_factor.recovery_codes_left(user),
            next=_next_url(self.request),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not two_factor.has_app(request.user):
            messages.info(request, "Recovery codes come with two-step sign-in: set it up first.")
            return redirect("account")
        codes = two_factor.recovery_codes_renew(user=request.user)
        request.session[two_factor.NEW_RECOVERY_CODES_SESSION_KEY] = codes
        return redirect("two_factor_recovery_codes")


class TwoFactorDisableView(FormView):
    """Turn two-step sign-in off, with a current code, a recovery code or the password.
    Superusers go straight back to set it up again (with a new phone, say)."""

    template_name = "accounts/two_factor_disable.html"
    form_class = forms.DisableForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not two_factor.has_app(request.user):
            messages.info(request, "Two-step sign-in is off for your account.")
            return redirect("account")
        return super().dispatch(request, *args, **kwargs)

    def _proves_it_is_them(self, form) -> bool:
        user, value = self.request.user, form.cleaned_data["code_or_password"]
        try:
            if two_factor.check_code(user, value) is not None:
                return True
        except two_factor.Throttled as throttled:
            form.add_error(
                "code_or_password",
                f"Too many wrong codes in a row. Wait {_seconds(throttled.seconds)}, then try "
                "again.",
            )
            return False
        credentials = {"username": user.get_username(), "password": value}
        if authenticate(self.request, **credentials) is not None:
            return True
        form.add_error("code_or_password", "That is neither a current code nor your password.")
        return False

    def form_valid(self, form):
        if not self._proves_it_is_them(form):
            return self.form_invalid(form)
        two_factor.two_factor_disable(user=self.request.user)
        self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
        if self.request.user.is_superuser:
            messages.info(
                self.request,
                "Two-step sign-in is off. Administrators need it: set it up again now, with "
                "the phone you will use from now on.",
            )
            return redirect("two_factor_setup")
        messages.success(self.request, "Two-step sign-in is off for your account.")
        return redirect("account")
