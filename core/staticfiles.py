"""The static files storages of settings.STORAGES, each working out a file's URL once per process.

A {% static %} tag asks the storage for the URL every time it renders: a join and a quote of the
path (and, with the manifest, a look-up of the hashed name), about 30 µs per tag, several per page.
The answer for a name never changes while a process runs (the manifest is read when the storage is
made, and a release restarts the processes), so each storage keeps the URLs it gave.
"""

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedUrlsMixin:
    """url(name) once per name; a name that fails (not in the manifest) is asked again."""

    def url(self, name, *args, **kwargs):
        if args or kwargs:
            return super().url(name, *args, **kwargs)
        urls = self.__dict__.setdefault("_remembered_urls", {})
        try:
            return urls[name]
        except KeyError:
            url = urls[name] = super().url(name)
            return url


class RememberedStaticFilesStorage(RememberedUrlsMixin, StaticFilesStorage):
    pass


class RememberedCompressedManifestStaticFilesStorage(
    RememberedUrlsMixin, CompressedManifestStaticFilesStorage
):
    pass
