"""Admin writes announce the cities they change (core.changes), as the services do.

A domain app's admin mixes in `CityChangesAdmin` and names its `cities_of` (record -> city ids):
the admin can move a record (a compact to another city, a term to another seat), so a change
announces the cities of the record as stored before the save as well as after it.
"""

from __future__ import annotations

from django.db import models

from core.changes import cities_changed


class CityChangesAdmin:
    """save_model, delete_model, delete_queryset and inline formsets send core.changes."""

    # staticmethod(<app>.changes.cities_of) in the subclass
    cities_of = None

    def _cities(self, records) -> set[int]:
        return set().union(*(self.cities_of(record) for record in records))

    def _stored_cities(self, model: type[models.Model], pks) -> set[int]:
        pks = [pk for pk in pks if pk is not None]
        if not pks:
            return set()
        return self._cities(model._base_manager.filter(pk__in=pks))

    def save_model(self, request, obj, form, change):
        before = self._stored_cities(type(obj), [obj.pk]) if change else set()
        super().save_model(request, obj, form, change)
        cities_changed(before | self.cities_of(obj))

    def delete_model(self, request, obj):
        cities = self.cities_of(obj)
        super().delete_model(request, obj)
        cities_changed(cities)

    def delete_queryset(self, request, queryset):
        cities = self._cities(queryset)
        super().delete_queryset(request, queryset)
        cities_changed(cities)

    def save_formset(self, request, form, formset, change):
        # A deleted row counts as changed; its stored version is read before it goes.
        edited = [f.instance.pk for f in formset.initial_forms if f.has_changed()]
        before = self._stored_cities(formset.model, edited)
        super().save_formset(request, form, formset, change)
        saved = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        cities_changed(before | self._cities(saved))
