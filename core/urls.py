from django.urls import path, register_converter

from core import views_history
from core.ids import IdConverter

app_name = "core"

# Every number of these URLs is looked up in tables whose ids a 64-bit integer holds; <id:...>
# refuses a longer one (404) before any query (SQLite's driver would raise OverflowError).
register_converter(IdConverter, "id")

_record = "history/<slug:app_label>/<slug:model>/<id:pk>/"

urlpatterns = [
    path(_record, views_history.history, name="history"),
    path(f"{_record}restore/", views_history.history_restore, name="history_restore"),
    path(
        f"{_record}revert/<id:history_id>/",
        views_history.history_revert,
        name="history_revert",
    ),
    path("cities/<slug:slug>/changes/", views_history.city_changes, name="city_changes"),
]
