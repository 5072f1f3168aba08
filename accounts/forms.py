"""Django's own authentication forms, dressed for the site's layout.

Only the look changes: every input gets Bootstrap's class so that the templates can render each
field the same way (label, input, help text, errors) through one partial.
"""

from django.contrib.auth import forms as auth_forms


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
    pass


class SetPasswordForm(_BootstrapInputs, auth_forms.SetPasswordForm):
    pass
