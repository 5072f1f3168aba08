"""Error pages in the site's layout.

The 500 page renders without a request context: whatever failed may be what a context processor
needs (the database for the demo banner, the session for the user's name).
"""

from django.http import HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.views import defaults


def bad_request(request, exception):
    return defaults.bad_request(request, exception, template_name="errors/400.html")


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name="errors/403.html")


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name="errors/404.html")


def server_error(request):
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render())


def csrf_failure(request, reason=""):
    """A form sent with a stale or missing security token, most often from a tab left open
    across a sign-out. Explained in the layout rather than with Django's technical page."""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "errors/403_csrf.html", context, status=403)
