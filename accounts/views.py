"""Sign-in and sign-out; the password pages are Django's views, configured in urls.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator

from accounts.forms import SignInForm


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
