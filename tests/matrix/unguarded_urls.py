"""Throwaway views for showing that the permission matrix bites (tests/test_permission_matrix.py).

Each guarded view has twins that are the same view with one permission check removed. Mounted
only through override_settings(ROOT_URLCONF="tests.matrix.unguarded_urls"); never in the site.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.views.decorators.http import require_GET

from accounts.scope import editable_cities, require_editor, scope_queryset
from compacts.models import Commitment


def _change_commitment(request, commitment) -> HttpResponse:
    if request.method == "POST":
        commitment.title = request.POST.get("title", commitment.title)
        commitment.save()
    return HttpResponse(f"<h1>{commitment.title}</h1>")


def commitment_edit(request, pk):
    """As a real edit view should be: scoped read (404 to outsiders), then editors only."""
    queryset = scope_queryset(Commitment.objects.all(), request.user, "compact__city")
    commitment = get_object_or_404(queryset, pk=pk)
    require_editor(request.user, commitment.compact.city_id)
    return _change_commitment(request, commitment)


def commitment_edit_without_role_check(request, pk):
    """The scope is there, the editor check is forgotten: viewers can change records."""
    queryset = scope_queryset(Commitment.objects.all(), request.user, "compact__city")
    return _change_commitment(request, get_object_or_404(queryset, pk=pk))


def commitment_edit_without_scope(request, pk):
    """Checks that the user edits *some* city, not this record's: outsiders change city X."""
    commitment = get_object_or_404(Commitment, pk=pk)
    if not editable_cities(request.user).exists():
        raise PermissionDenied
    return _change_commitment(request, commitment)


@require_GET
def commitment_list(request):
    commitments = scope_queryset(Commitment.objects.all(), request.user, "compact__city")
    return HttpResponse("".join(f"<li>{c.title}</li>" for c in commitments))


@require_GET
def commitment_list_without_scope(request):
    return HttpResponse("".join(f"<li>{c.title}</li>" for c in Commitment.objects.all()))


urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("edit/<int:pk>/", commitment_edit, name="commitment_edit"),
    path(
        "edit-no-role/<int:pk>/",
        commitment_edit_without_role_check,
        name="commitment_edit_without_role_check",
    ),
    path(
        "edit-no-scope/<int:pk>/",
        commitment_edit_without_scope,
        name="commitment_edit_without_scope",
    ),
    path("list/", commitment_list, name="commitment_list"),
    path("list-no-scope/", commitment_list_without_scope, name="commitment_list_without_scope"),
    path("unnamed/", commitment_list),
]
