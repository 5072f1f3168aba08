"""DRF authentication by personal API token: `Authorization: Bearer ct_...`."""

from rest_framework import authentication, exceptions

from api.services import token_for_secret

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    """The user of a usable token (not expired, not revoked, user active); a request without an
    Authorization header is left to the next class (the session of the browsable API)."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Give the token after “Bearer ”, without spaces.")
        try:
            secret = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("This token is not valid.") from None
        token = token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not valid, expired or revoked.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return f'{KEYWORD} realm="api"'
