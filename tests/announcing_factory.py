"""Factories stand in for a loader: like the importers and the demo loader, they tell the report
caches which cities they wrote (core.changes), so a test may build records after a page was
cached. Writes under test go through the application's own write paths (services, admin, undo)."""

import factory

from compacts.changes import cities_of as compact_cities
from core.changes import cities_changed
from schools.changes import cities_of as school_cities


class AnnouncingFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        cities_of = compact_cities if record._meta.app_label == "compacts" else school_cities
        cities_changed(cities_of(record))
        return record
