"""The version the compact page's cached fragment is keyed by.

A page reads the version of its own records with the compact (CompactPage.records_version). What
it shows from elsewhere (people's and organizations' names, who holds a seat now) and what bulk
loads and restores write moves the city's version token instead (core.city_versions). The release
id keeps a deploy from serving fragments of the old templates, and the day keeps "overdue" and
"in post" true as days pass.
"""

from __future__ import annotations

from django.conf import settings

from core import city_versions


def fragment_seconds() -> int:
    """How long a rendered page is kept: as long as the dashboards' figures, so that a server
    with DASHBOARD_CACHE_SECONDS=0 renders the page afresh each time (nothing is read from or
    written to the cache), as the bench's "off" server must. Entries are found only through the
    current version; the timeout frees the others."""
    return settings.DASHBOARD_CACHE_SECONDS


def page_version(page) -> str:
    """The cache version of a compact page (compacts.selectors.CompactPage). It starts with the
    compact's id: the rest (the last write and number of its records, the city's tokens) can be
    alike for two compacts of a city written in the same instant, which would share a fragment."""
    every_city, tokens = city_versions.tokens([page.compact.city_id])
    release = getattr(settings, "RELEASE_ID", "dev")
    city_token = tokens[page.compact.city_id]
    parts = (page.compact.pk, release, page.today, page.records_version, city_token, every_city)
    return "|".join(map(str, parts))
