from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site"

    def ready(self):
        from core import city_versions, lookups

        lookups.register()
        city_versions.connect()
