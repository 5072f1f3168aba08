"""Throttling of the API per token (per user for the browsable API's session)."""

from rest_framework.throttling import UserRateThrottle

from api.models import ApiToken


class TokenRateThrottle(UserRateThrottle):
    """DEFAULT_THROTTLE_RATES["token"] requests per token; a session counts as its user's."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"t{request.auth.pk}"}
        return super().get_cache_key(request, view)
