from tests.matrix import PUBLIC, SIGNED_IN, Route

ROUTES = [
    Route("home", SIGNED_IN),
    Route("healthz", PUBLIC),
]
