"""Cursor pagination for every API list: stable pages while records are added, and no COUNT."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages in id order (unique, indexed), so a cursor never skips or repeats a record."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
