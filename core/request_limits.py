"""No request body larger than the largest upload the site accepts is ever read.

Django spools an uploaded file to disk whatever its size, and CsrfViewMiddleware reads the body
before sign-in or any view can refuse it, so without this an anonymous POST of 300 MB lands on
the server's disk before the spreadsheet form says "at most 10 MB". A body that declares itself
larger is answered 413 unread; one that does not declare its size (chunked) is cut off by the
upload handler below once it passes the limit.
"""

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.template.response import SimpleTemplateResponse

from core.uploads import megabytes


def max_request_bytes() -> int:
    return settings.MAX_REQUEST_BYTES


def too_large(request):
    # No "Connection: close": WSGI forbids hop-by-hop headers (wsgiref, as runserver, answers 500
    # for one), and the connection is the server's: gunicorn drops such a header, and its sync
    # workers close every connection after one answer anyway.
    response = SimpleTemplateResponse(
        "errors/413.html", {"most": megabytes(max_request_bytes())}, status=413
    )
    return response.render()


class BoundedRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_request_bytes():
            return too_large(request)
        return self.get_response(request)


class BoundedUploadHandler(TemporaryFileUploadHandler):
    """Stops a file upload (its temporary file deleted) once the body passes the limit."""

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if start + len(raw_data) > max_request_bytes():
            self.file.close()
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)
