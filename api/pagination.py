"""Cursor pagination for every API list: stable pages while records are added, and no COUNT."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

# Ids are BigAutoField (settings.DEFAULT_AUTO_FIELD): a position outside 1..2**63-1 names no
# record, and past the bigint range PostgreSQL refuses the query outright.
LARGEST_ID = 2**63 - 1


class IdCursorPagination(CursorPagination):
    """Pages in id order (unique, indexed), so a cursor never skips or repeats a record."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def decode_cursor(self, request):
        # A cursor the API did not hand out is bad input (400), not a missing list (DRF's 404).
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = None
            valid = False
        else:
            valid = cursor is None or cursor.position is None or _is_id(cursor.position)
        if not valid:
            message = [self.invalid_cursor_message]
            raise ValidationError({self.cursor_query_param: message}) from None
        return cursor


def _is_id(position: str) -> bool:
    """DRF hands the position to the queryset unread; only the digits of a possible id may pass
    (int() alone would also take ' 7', '+7', '1_0' and non-ASCII digits), and no more of them
    than the largest id has: int() refuses a string of over 4300 digits with a ValueError."""
    return (
        position.isascii()
        and position.isdigit()
        and len(position) <= len(str(LARGEST_ID))
        and 1 <= int(position) <= LARGEST_ID
    )
