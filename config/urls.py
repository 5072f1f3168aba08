from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from core.views import healthz
from reminders.views import my_work

urlpatterns = [
    path("", my_work, name="home"),
    path("healthz", login_not_required(healthz), name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("", include("reports.urls")),
    path("", include("compacts.urls")),
    path("", include("schools.urls")),
    path("", include("history.urls")),
    path("", include("reminders.urls")),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
