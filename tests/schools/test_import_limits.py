"""NCES imports are bounded: only regular files, a size and a row limit, refused with a message
before anything is written (commands and admin upload alike)."""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.importers import DISTRICTS, TooManyRows, prepare
from schools.models import District
from tests.schools.test_import import (
    CCD2014_DISTRICT_HEADER,
    csv_bytes,
    district_2014,
    refused,
    run,
    write,
)

pytestmark = pytest.mark.django_db

DISTRICT_IMPORT = reverse("admin:schools_district_import")


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def districts(count: int) -> bytes:
    rows = [district_2014(f"48{n:05d}", f"DISTRICT {n}") for n in range(count)]
    return csv_bytes(CCD2014_DISTRICT_HEADER, rows)


@pytest.mark.parametrize("command", ["import_districts", "import_schools"])
def test_the_commands_refuse_a_device_without_reading_it(command):
    out, error = refused(command, "/dev/zero")
    assert "/dev/zero is not a regular file" in error
    assert not District.objects.exists()


def test_the_commands_refuse_a_fifo_and_a_directory_without_waiting(tmp_path):
    fifo = tmp_path / "districts.csv"
    os.mkfifo(fifo)
    assert "is not a regular file" in refused("import_districts", str(fifo))[1]
    assert "is not a regular file" in refused("import_districts", str(tmp_path))[1]


def test_the_school_command_refuses_a_device_as_network_map(tmp_path):
    path = write(tmp_path, "s.csv", districts(1))
    _, error = refused("import_schools", path, "--network-map", "/dev/zero")
    assert "/dev/zero is not a regular file" in error


def test_the_commands_refuse_a_file_over_their_size_limit(tmp_path):
    path = write(tmp_path, "d.csv", districts(5000))
    _, error = refused("import_districts", path, "--max-mb", "0")
    assert error.endswith("at most 0 bytes are read.")
    assert not District.objects.exists()


def test_the_commands_refuse_a_file_over_their_row_limit_and_take_a_larger_one_when_asked(
    tmp_path,
):
    path = write(tmp_path, "d.csv", districts(30))
    _, error = refused("import_districts", path, "--max-rows", "20")
    assert error == (
        "The file has 31 rows; at most 20 per import. Raise the limit with --max-rows."
    )
    assert not District.objects.exists()
    assert "created: 30" in run("import_districts", path, "--max-rows", "31")


def test_a_100000_row_file_is_refused_quickly_in_little_memory():
    data = districts(100_000)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TooManyRows) as excinfo:
            prepare(data, DISTRICTS)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(excinfo.value) == "The file has 100,001 rows; at most 20,000 per import."
    assert elapsed < 10, f"took {elapsed:.1f}s"
    # The file itself is ~7 MB; its rows are counted, not kept.
    assert peak < 60 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert not District.objects.exists()


def test_a_record_the_csv_module_cannot_read_is_refused_plainly(tmp_path):
    data = districts(1) + b'"' + b"x" * 200_000 + b'",1\r\n'
    _, error = refused("import_districts", write(tmp_path, "d.csv", data))
    assert "Line 3 cannot be read as CSV" in error


def test_the_admin_upload_refuses_too_many_rows_and_keeps_the_filters(superuser_client, settings):
    settings.NCES_UPLOAD_MAX_ROWS = 10
    upload = SimpleUploadedFile("districts.csv", districts(30))
    response = superuser_client.post(DISTRICT_IMPORT, {"file": upload, "state": "tx"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"] == ["The file has 31 rows; at most 10 per import."]
    assert 'value="tx"' in response.content.decode()
    assert not District.objects.exists()


def test_the_admin_upload_refuses_a_file_over_its_size(superuser_client, settings):
    settings.NCES_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("districts.csv", districts(30))
    response = superuser_client.post(DISTRICT_IMPORT, {"file": upload})
    assert response.context["form"].errors["file"][0].endswith("at most 1,000 bytes per upload.")


def test_the_admin_upload_refuses_an_unreadable_csv_without_an_error_page(superuser_client):
    data = districts(1) + b'"' + b"x" * 200_000 + b'",1\r\n'
    upload = SimpleUploadedFile("districts.csv", data)
    response = superuser_client.post(DISTRICT_IMPORT, {"file": upload})
    assert response.status_code == 200
    assert "cannot be read as CSV" in response.context["form"].errors["file"][0]


def test_a_row_with_more_cells_than_any_nces_file_is_refused(tmp_path):
    data = districts(1) + b"," * 5000 + b"\r\n"
    _, error = refused("import_districts", write(tmp_path, "d.csv", data))
    assert error == (
        "Row 3 has 5,001 cells; at most 1,000 per row (NCES files have fewer than 100 columns)."
    )
