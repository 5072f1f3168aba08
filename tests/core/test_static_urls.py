"""The static files storages work out each file's URL once per process, the same URL as Django's."""

from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage

from core.staticfiles import RememberedStaticFilesStorage


def test_the_site_uses_the_remembering_storage():
    staticfiles_storage.url("css/app.css")  # made on first use
    assert isinstance(staticfiles_storage._wrapped, RememberedStaticFilesStorage)


def test_a_url_is_the_one_django_gives_and_is_worked_out_once(monkeypatch):
    storage = RememberedStaticFilesStorage()
    asked = []
    real = StaticFilesStorage.url

    def url(self, name):
        asked.append(name)
        return real(self, name)

    monkeypatch.setattr(StaticFilesStorage, "url", url)
    for _ in range(3):
        assert storage.url("css/app.css") == real(StaticFilesStorage(), "css/app.css")
        assert storage.url("js/app.js") == "/static/js/app.js"
    assert asked == ["css/app.css", "js/app.js"]
