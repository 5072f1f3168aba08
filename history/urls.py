from django.urls import path, register_converter

from core.ids import IdConverter
from history import views

# The namespace stayed "core" when these pages left core: templates, other apps and tests reverse
# "core:history", "core:city_changes" ... (stable names, like the paths themselves).
app_name = "core"

# Every number of these URLs is looked up in tables whose ids a 64-bit integer holds; <id:...>
# refuses a longer one (404) before any query (SQLite's driver would raise OverflowError).
register_converter(IdConverter, "id")

_record = "history/<slug:app_label>/<slug:model>/<id:pk>/"

urlpatterns = [
    path(_record, views.history, name="history"),
    path(f"{_record}restore/", views.history_restore, name="history_restore"),
    path(
        f"{_record}revert/<id:history_id>/",
        views.history_revert,
        name="history_revert",
    ),
    path("cities/<slug:slug>/changes/", views.city_changes, name="city_changes"),
]
