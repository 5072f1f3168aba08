from tests.matrix import SIGNED_IN, Route  # noqa: F401

# lists (helper H3: /commitments/, /milestones/, /activities/ and their CSV exports)
LIST_ROUTES: list = []

# records (helper H4: the compact page, the staff forms, the leadership change)
RECORD_ROUTES: list = []

ROUTES = [*LIST_ROUTES, *RECORD_ROUTES]
