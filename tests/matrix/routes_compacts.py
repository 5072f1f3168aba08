from tests.matrix import SIGNED_IN, Route

# lists (helper H3: /commitments/, /milestones/, /activities/ and their CSV exports)
LIST_ROUTES = [
    route
    for name in ("compacts:commitment_list", "compacts:milestone_list", "compacts:activity_list")
    for route in (Route(name, SIGNED_IN), Route(name, SIGNED_IN, query="export=csv"))
]

# records (helper H4: the compact page, the staff forms, the leadership change)
RECORD_ROUTES: list = []

ROUTES = [*LIST_ROUTES, *RECORD_ROUTES]
