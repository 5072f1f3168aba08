"""Cursor pagination for every API list: stable pages while records are added, and no COUNT."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages in id order (unique, indexed), so a cursor never skips or repeats a record."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        # A cursor the API did not hand out is bad input (400), not a missing list (DRF's 404).
        try:
            return super().decode_cursor(request)
        except NotFound:
            message = [self.invalid_cursor_message]
            raise ValidationError({self.cursor_query_param: message}) from None
