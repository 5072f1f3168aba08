from tests.matrix import REFERENCE_READ, SIGNED_IN, Route

# Leadership rows are scoped to the user's cities; schools and networks are reference data.
ROUTES = [
    route
    for name, access in (
        ("schools:leadership_list", SIGNED_IN),
        ("schools:school_list", REFERENCE_READ),
        ("schools:network_list", REFERENCE_READ),
    )
    for route in (Route(name, access), Route(name, access, query="export=csv"))
]
