"""Django's own authentication forms, dressed for the site's layout, and the two-step sign-in's.

Every input gets Bootstrap's class so that the templates can render each field the same way
(label, input, help text, errors) through one partial.
"""

from django import forms
from django.contrib.auth import forms as auth_forms

from accounts import throttle


class _BootstrapInputs:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class SignInForm(_BootstrapInputs, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(_BootstrapInputs, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(_BootstrapInputs, auth_forms.PasswordResetForm):
    def get_users(self, email):
        """Django's matching accounts, less those that had their hourly share of emails."""
        return (user for user in super().get_users(email) if throttle.reset_email_allowed_for(user))


class SetPasswordForm(_BootstrapInputs, auth_forms.SetPasswordForm):
    pass


class CodeForm(_BootstrapInputs, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class SetupCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your app shows after adding the account."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class DisableForm(_BootstrapInputs, forms.Form):
    code_or_password = forms.CharField(
        label="A code or your password",
        max_length=128,
        strip=False,
        help_text="A code from your app, a recovery code, or your password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
