"""The API's JSON parser: a body nested deeper than Python's recursion limit is bad input."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    """json.load raises RecursionError, not ValueError, on a body like '[' * 1500: DRF's parser
    lets it through as a 500. No input of this API nests more than a list in an object."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
