"""The permission matrix: every URL pattern of the project, walked as every persona.

Each app lists its routes in tests/matrix/routes_<app>.py as `ROUTES = [Route(...), ...]`.
A route names its URL pattern, how to fill its arguments from the sample `World`, and its
access class; the expected answer for each persona comes from the table in DESIGN.md
("Who may do what"), encoded once in EXPECTED below. A meta-test fails when a URL pattern has no
route, so no view can be added without being covered. The checking itself lives in
tests/matrix/harness.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Access classes.
PUBLIC = "public"  # no sign-in needed (sign-in pages, /healthz)
SIGNED_IN = "signed_in"  # any signed-in user; content scoped by city (lists, /cities/, /reports/)
CITY_READ = "city_read"  # a page of one record of city X
CITY_CHANGE = "city_change"  # a form or action changing records of city X
REFERENCE_READ = "reference_read"  # reference data any signed-in user may read
REFERENCE_CHANGE = "reference_change"  # reference data only superusers may change
SUPERUSER = "superuser"  # superusers only (outside the admin)
EDITOR_ANYWHERE = "editor_anywhere"  # a form for editors of any city (new compact, leader change)
SIGN_OUT = "sign_out"  # /accounts/logout/: POST only, for everyone, and it ends on the sign-in page

PERSONAS = ("anonymous", "viewer", "outsider", "editor", "superuser")

# persona -> expected outcome for a GET; "ok" means 2xx or a redirect that is not to sign-in.
EXPECTED = {
    PUBLIC: dict.fromkeys(PERSONAS, "ok"),
    SIGNED_IN: {"anonymous": "login", **dict.fromkeys(PERSONAS[1:], "ok")},
    CITY_READ: {
        "anonymous": "login",
        "viewer": "ok",
        "outsider": 404,
        "editor": "ok",
        "superuser": "ok",
    },
    CITY_CHANGE: {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 404,
        "editor": "ok",
        "superuser": "ok",
    },
    REFERENCE_READ: {"anonymous": "login", **dict.fromkeys(PERSONAS[1:], "ok")},
    REFERENCE_CHANGE: {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 403,
        "editor": 403,
        "superuser": "ok",
    },
    SUPERUSER: {
        "anonymous": "login",
        "viewer": 403,
        "outsider": 403,
        "editor": 403,
        "superuser": "ok",
    },
    # The city is chosen in the form among the cities the user edits: any editor gets the form
    # (the outsider edits city Y), a member who only reads gets 403.
    EDITOR_ANYWHERE: {
        "anonymous": "login",
        "viewer": 403,
        "outsider": "ok",
        "editor": "ok",
        "superuser": "ok",
    },
    # Open to anonymous visitors (a sign-out from an expired session must not bounce through
    # sign-in back to a GET of /logout/), and never by GET.
    SIGN_OUT: dict.fromkeys(PERSONAS, 405),
}

# Where a POST is expected to answer differently from a GET (routes with post=True).
EXPECTED_POST = {
    SIGN_OUT: dict.fromkeys(PERSONAS, "login"),
}

# Access classes whose pages list records of several cities, each row scoped to the user's
# cities: a signed-in member must not find a word of a city they are not a member of.
SCOPED_LISTS = {SIGNED_IN}


@dataclass(frozen=True)
class Route:
    """One URL pattern in the matrix.

    name: the pattern's full name ("compacts:commitment_edit").
    access: one of the access classes above.
    kwargs: builds the URL arguments from the World (objects of city X).
    post: whether the view accepts POST (a form or an action). Views that only read must answer
        POST with 405 to signed-in members; writing views follow the same table for POST as for GET.
    post_data: form data for the POST as the editor and superuser (an empty form is fine: the
        check is about access, a 200 with errors is "ok").
    query: a query string to add ("export=csv"), or a callable building it from the World.
    post_access: the access class of POST where it differs from GET's (an API list anyone
        reads and only a city's editors add to); None: the same as GET's.
    """

    name: str
    access: str
    kwargs: Callable[[object], dict] = field(default=lambda world: {})
    post: bool = False
    post_data: Callable[[object], dict] = field(default=lambda world: {})
    query: str | Callable[[object], str] = ""
    post_access: str | None = None
