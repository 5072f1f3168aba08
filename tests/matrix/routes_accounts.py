from tests.matrix import PUBLIC, SIGNED_IN, Route

ROUTES = [
    Route("login", PUBLIC, post=True),
    Route("logout", PUBLIC, post=True),
    Route("password_change", SIGNED_IN, post=True),
    Route("password_change_done", SIGNED_IN),
]
