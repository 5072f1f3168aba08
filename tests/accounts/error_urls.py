"""The site's URLs plus views that fail on purpose, for tests/accounts/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("Malformed input.")


def permission_denied(request):
    raise PermissionDenied("Your role in this city is read-only.")


def server_error(request):
    raise RuntimeError("Something broke.")


urlpatterns = [
    *site_urlpatterns,
    path("fail/400/", bad_request),
    path("fail/403/", permission_denied),
    path("fail/500/", server_error),
]
