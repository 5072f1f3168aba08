"""What the schema adds to what drf-spectacular finds: the token scheme, the error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from /api/tokens/ (ct_...).",
        }


ERROR = {
    "type": "object",
    "description": "`detail`, or for a refused input each field's messages "
    "(`non_field_errors` for the input as a whole).",
    "additionalProperties": True,
}
ANSWERS = {
    "400": "The input, or a list's filter, is not valid",
    "401": "No token, or a token that is unknown, expired or revoked",
    "403": "Your role in the record's city is read-only",
    "404": "No such record, or one of a city you are not a member of",
    "413": "The request body is too large",
    "429": "Too many requests with this token: wait and retry",
}


def error_answers(result, generator, request, public):
    """Every operation documents the errors the API answers: 401 and 429 anywhere, 404 for a
    record by id, 400 where input or filters are read, 403 for writes, 413 where a body is read."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            codes = {"401", "429"}
            if "{" in path:
                codes.add("404")
            if method != "get" or operation.get("parameters"):
                codes.add("400")
            if method != "get" or path.endswith("/done/") or "leadership-changes" in path:
                codes |= {"403", "404"}
            if method != "get":
                codes.add("413")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {
                        "description": ANSWERS[code],
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
            for code in codes & set(responses):
                if not responses[code].get("content"):
                    responses[code]["content"] = {"application/json": {"schema": ERROR}}
    return result
