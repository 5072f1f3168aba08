from tests.matrix import PUBLIC, SIGN_OUT, SIGNED_IN, Route

ROUTES = [
    Route("account", SIGNED_IN),
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

# The two-step pages: each person's own settings, so any signed-in user, and nobody else (a
# session whose step is due reaches the code step and set-up only, see
# tests/accounts/test_two_factor.py). The matrix's superuser has an app and passed the step: set-up
# and the code step send them on, the other pages answer.
ROUTES += [
    Route("two_factor_verify", SIGNED_IN, post=True),
    Route("two_factor_setup", SIGNED_IN, post=True),
    Route("two_factor_recovery_codes", SIGNED_IN, post=True),
    Route("two_factor_disable", SIGNED_IN, post=True),
]
