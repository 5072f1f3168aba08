from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "compacts"

    def ready(self):
        from compacts import page_cache

        page_cache.connect()
