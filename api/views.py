"""The token page: a person's API tokens, a new one (its secret shown once) and revocation."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from api.forms import TokenCreateForm, TokenRevokeForm
from api.models import ApiToken
from api.services import token_create, token_revoke


@require_http_methods(["GET", "POST"])
def token_list(request):
    """GET: the person's tokens and the form for a new one. POST: create (the answer shows the
    secret, once: it is never stored, so it is rendered, not redirected to) or, with `revoke`,
    revoke one of the person's own tokens (anyone else's does not exist: 404)."""
    form, secret, created = TokenCreateForm(), "", None
    if request.method == "POST" and "revoke" in request.POST:
        revoke = TokenRevokeForm(request.POST)
        token = None
        if revoke.is_valid():
            token = ApiToken.objects.filter(
                user=request.user, pk=revoke.cleaned_data["revoke"]
            ).first()
        if token is None:
            raise Http404("No such token.")
        token_revoke(token=token)
        messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
        return redirect("api:token_list")
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            created, secret = token_create(user=request.user, **form.cleaned_data)
            form = TokenCreateForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": tokens, "created": created, "secret": secret},
    )
