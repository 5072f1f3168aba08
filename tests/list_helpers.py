"""Reading what a list page shows and what its CSV export holds, for the list tests."""

import csv
import io
from contextlib import contextmanager
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext


def url(path: str, **params) -> str:
    """`path` with a query string of `params` (none: the bare path)."""
    return f"{path}?{urlencode(params)}" if params else path


def shown(response) -> list:
    """The records on the page, in order."""
    assert response.status_code == 200, response.status_code
    return [row.record for row in response.context["table"].page.object_list]


def shown_titles(response, attribute: str = "title") -> list[str]:
    return [getattr(record, attribute) for record in shown(response)]


def csv_dicts(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(_body(response))))


def csv_header(response) -> list[str]:
    return next(csv.reader(io.StringIO(_body(response))))


def _body(response) -> str:
    """The CSV's text after its byte-order mark, which every list CSV starts with (Excel reads
    the file as UTF-8 only with it)."""
    if not hasattr(response, "body"):
        response.body = b"".join(response.streaming_content)
    assert response.body.startswith(b"\xef\xbb\xbf"), response.body[:20]
    return response.body.decode("utf-8-sig")


def fetch(client, url: str):
    """GET the url and read a streamed body to the end (the export's queries run while it
    streams)."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        response.body = b"".join(response.streaming_content)
    return response


@contextmanager
def exactly_queries(expected: int):
    """Like pytest-django's django_assert_num_queries (exact), but the failure message always
    carries the SQL, whatever pytest's verbosity."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    sql = "\n\n".join(query["sql"] for query in captured.captured_queries)
    assert len(captured) == expected, f"{len(captured)} queries, expected {expected}:\n\n{sql}"
