"""My work (the signed-in home page), reminder preferences, and the one-click unsubscribe
that works without signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from reminders import selectors, services
from reminders.forms import PreferencesForm
from reminders.selectors import DUE_HORIZONS
from reminders.tokens import TOPICS, read_token


@require_safe
def my_work(request):
    since = services.visit_record(user=request.user, now=timezone.now())
    work = selectors.my_work(user=request.user, today=timezone.localdate(), since=since)
    return render(request, "reminders/my_work.html", {"work": work, "horizons": DUE_HORIZONS})


@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preferences_for(request.user)
    form = PreferencesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your reminder preferences are saved.")
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"form": form})


# A mail client's one-click unsubscribe (RFC 8058) POSTs without a session or CSRF token; the
# signed token in the URL is the proof, and the only thing it can do is stop mail.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = read_token(token)
    if found is None:
        raise Http404("This unsubscribe link is not valid.")
    user_id, topic = found
    done = request.method == "POST"
    if done and not services.unsubscribe(user_id=user_id, topic=topic):
        raise Http404("This unsubscribe link is not valid.")
    return render(
        request,
        "reminders/unsubscribe.html",
        {"topic": TOPICS[topic], "done": done, "hide_navigation": True},
    )
