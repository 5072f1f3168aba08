from tests.matrix import CITY_CHANGE, CITY_READ, PUBLIC, SIGNED_IN, Route

ROUTES = [
    Route("home", SIGNED_IN),
    Route("healthz", PUBLIC),
    # History pages and undo (H6): a commitment of city X stands for every kind of record.
    Route("core:history", CITY_READ, kwargs=lambda w: _record(w.commitment)),
    Route("core:history_restore", CITY_CHANGE, kwargs=lambda w: _record(w.commitment), post=True),
    Route(
        "core:history_revert",
        CITY_CHANGE,
        kwargs=lambda w: {
            **_record(w.milestone),
            "history_id": w.milestone.history.earliest().history_id,
        },
        post=True,
    ),
    Route("core:city_changes", CITY_READ, kwargs=lambda w: {"slug": w.city.slug}),
]


def _record(obj) -> dict:
    return {"app_label": obj._meta.app_label, "model": obj._meta.model_name, "pk": obj.pk}
