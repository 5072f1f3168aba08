from django.urls import path

from core import views_history

app_name = "core"

_record = "history/<slug:app_label>/<slug:model>/<int:pk>/"

urlpatterns = [
    path(_record, views_history.history, name="history"),
    path(f"{_record}restore/", views_history.history_restore, name="history_restore"),
    path(
        f"{_record}revert/<int:history_id>/",
        views_history.history_revert,
        name="history_revert",
    ),
    path("cities/<slug:slug>/changes/", views_history.city_changes, name="city_changes"),
]
