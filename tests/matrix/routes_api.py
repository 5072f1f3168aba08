"""The REST API (issue 17): the token page and docs for people, /api/v1/ and the schema for
scripts. Reads follow the pages' rules (a record of city X does not exist for the outsider);
creating a record through a list, or changing one, is for city X's editors."""

from core.concurrency import version_token
from tests.matrix import CITY_CHANGE, CITY_READ, EDITOR_ANYWHERE, SIGNED_IN, Route


def _pk(record: str):
    return lambda w: {"pk": getattr(w, record).pk}


PAGES = [
    Route("api:token_list", SIGNED_IN, post=True, post_data=lambda w: {"name": "matrix"}),
    Route("api:docs", SIGNED_IN),
    Route("api:schema", SIGNED_IN),
]

READS = [
    Route("api:city-list", SIGNED_IN),
    Route("api:city-detail", CITY_READ, kwargs=lambda w: {"slug": w.city.slug}),
    Route("api:city-figures", CITY_READ, kwargs=lambda w: {"slug": w.city.slug}),
    Route("api:organization-list", SIGNED_IN),
    Route("api:organization-detail", CITY_READ, kwargs=_pk("district")),
    Route("api:term-list", SIGNED_IN),
    Route("api:term-detail", CITY_READ, kwargs=_pk("term")),
    Route("api:compact-list", SIGNED_IN),
    Route("api:compact-detail", CITY_READ, kwargs=_pk("compact")),
    Route("api:grant-list", SIGNED_IN),
    Route("api:grant-detail", CITY_READ, kwargs=_pk("grant")),
    *(
        Route(f"api:{record}-detail", CITY_READ, kwargs=_pk(record))
        for record in ("commitment", "milestone", "activity")
    ),
]

WRITES = [
    Route(
        "api:commitment-list",
        SIGNED_IN,
        post=True,
        post_access=CITY_CHANGE,
        post_data=lambda w: {"compact": w.compact.pk, "category": "ENR", "title": "Matrix"},
    ),
    Route(
        "api:milestone-list",
        SIGNED_IN,
        post=True,
        post_access=CITY_CHANGE,
        post_data=lambda w: {"commitment": w.commitment.pk, "title": "M", "due_on": "2026-09-01"},
    ),
    Route(
        "api:activity-list",
        SIGNED_IN,
        post=True,
        post_access=CITY_CHANGE,
        post_data=lambda w: {
            "compact": w.compact.pk,
            "kind": "meeting",
            "occurred_on": "2026-01-05",
            "title": "Matrix",
        },
    ),
    Route(
        "api:milestone-done",
        CITY_CHANGE,
        kwargs=_pk("milestone"),
        post=True,
        post_data=lambda w: {"completed_on": "2026-01-05", "version": version_token(w.milestone)},
    ),
    # The outsider names a seat of city X, which their form does not offer: a field error (400),
    # past the access check, as on the page.
    Route(
        "api:leadership_change",
        EDITOR_ANYWHERE,
        post=True,
        post_data=lambda w: {
            "organization": w.term.organization_id,
            "role": w.term.role,
            "last_day": "2026-01-31",
            "end_reason": "stepped_down",
            "successor_name": "Matrix Successor",
            "successor_first_day": "2026-02-01",
        },
    ),
]

ROUTES = PAGES + READS + WRITES
