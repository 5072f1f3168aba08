"""No request body larger than the largest upload is read: declared sizes are refused unread,
undeclared (chunked) uploads are cut off, and a forged version token is only unreadable."""

import datetime
import io
from wsgiref.handlers import SimpleHandler
from wsgiref.util import is_hop_by_hop, setup_testing_defaults

import pytest
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory

from core.concurrency import is_current, parse_version
from core.request_limits import BoundedRequestMiddleware, BoundedUploadHandler, too_large

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.MAX_REQUEST_BYTES = 1000
    return 1000


@pytest.mark.parametrize("path", ["/accounts/login/", "/compacts/1/spreadsheet/import/"])
def test_a_body_declared_too_large_is_refused_before_anything_reads_it(client, small_limit, path):
    read = []

    class Body(io.BytesIO):
        def read(self, *args):
            read.append(args)
            return super().read(*args)

    response = client.generic(
        "POST",
        path,
        data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(small_limit + 1),
        **{"wsgi.input": Body(b"x" * 10)},
    )

    assert response.status_code == 413
    assert "at most 1,000 bytes" in response.content.decode()
    assert read == []


def test_the_413_carries_no_hop_by_hop_header(rf, small_limit):
    # WSGI leaves the connection to the server: a Connection header fails its validation.
    response = too_large(rf.post("/accounts/login/"))
    assert [name for name, _ in response.items() if is_hop_by_hop(name)] == []


def test_a_wsgi_server_sends_the_413(live_app, small_limit):
    # wsgiref, as runserver: start_response asserts on a hop-by-hop header, and the handler
    # answers 500 instead.
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/accounts/login/",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(small_limit + 1),
    }
    setup_testing_defaults(environ)
    out, errors = io.BytesIO(), io.StringIO()
    SimpleHandler(io.BytesIO(b"x" * 10), out, errors, environ).run(live_app)
    assert out.getvalue().startswith(b"HTTP/1.0 413"), (out.getvalue()[:200], errors.getvalue())


def test_a_body_within_the_limit_goes_on(rf, small_limit):
    request = rf.post("/accounts/login/", data={"username": "a"})
    middleware = BoundedRequestMiddleware(lambda request: "passed on")
    assert middleware(request) == "passed on"


def test_an_undeclared_upload_is_cut_off_past_the_limit(small_limit):
    handler = BoundedUploadHandler(RequestFactory().post("/"))
    handler.new_file("workbook", "big.xlsx", "application/octet-stream", None)
    handler.receive_data_chunk(b"x" * 600, 0)

    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 600, 600)

    assert stopped.value.connection_reset
    assert handler.file.closed


@pytest.mark.parametrize(
    "token",
    [
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "2026-01-01T00:00:00",
        "not a date",
        None,
    ],
)
def test_a_forged_or_unreadable_version_token_is_unreadable_not_an_error(token):
    assert parse_version(token) is None


def test_a_real_version_token_still_reads():
    instant = datetime.datetime(2026, 12, 5, 18, 0, tzinfo=datetime.UTC)
    assert parse_version(instant.isoformat()) == instant

    class Record:
        updated_at = instant

    assert is_current(Record(), instant.isoformat())
    assert not is_current(Record(), "9999-12-31T23:59:59-23:59")
