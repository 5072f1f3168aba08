from tests.matrix import PUBLIC, SIGN_OUT, SIGNED_IN, Route

ROUTES = [
    Route("login", PUBLIC, post=True),
    Route("logout", SIGN_OUT, post=True),
    Route("password_change", SIGNED_IN, post=True),
    Route("password_change_done", SIGNED_IN),
    Route("password_reset", PUBLIC, post=True),
    Route("password_reset_done", PUBLIC),
    # A link that does not work: the page says so, to everyone alike.
    Route(
        "password_reset_confirm",
        PUBLIC,
        kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        post=True,
    ),
    Route("password_reset_complete", PUBLIC),
]
