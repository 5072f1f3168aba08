"""Uploads are bounded: a workbook past the limits is refused before it is parsed, quickly, in
little memory, and nothing is written."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from compacts.models import Commitment, Compact
from compacts.spreadsheets import COMMITMENTS, WorkbookError, export_workbook, plan_workbook
from tests.compacts.factories import CommitmentFactory, CompactFactory

pytestmark = pytest.mark.django_db

SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def compact(city_x):
    compact = CompactFactory(city=city_x, title="Xville Compact")
    CommitmentFactory(compact=compact, title="Common enrollment", category="ENR")
    return compact


def exported(compact) -> bytes:
    return export_workbook(Compact.objects.filter(pk=compact.pk))


def sheet_part(data: bytes, title: str) -> str:
    """The archive name of a sheet's XML, from the workbook's own index."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="(\w+)"', workbook).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def with_part(data: bytes, name: str, chunks) -> bytes:
    """The workbook with part `name` replaced by the bytes of `chunks`, streamed into the zip."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == name:
                with target.open(name, "w", force_zip64=True) as part:
                    for chunk in chunks:
                        part.write(chunk)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def rows_xml(count: int, *, dimension: bool = True, cells_per_row: int = 2):
    yield SHEET_START
    if dimension:
        yield f'<dimension ref="A1:K{count + 1}"/>'.encode()
    yield b"<sheetData>"
    batch = []
    for number in range(1, count + 2):
        cells = "".join(
            f'<c r="{_column(index)}{number}" t="inlineStr"><is><t>T{number}</t></is></c>'
            for index in range(cells_per_row)
        )
        batch.append(f'<row r="{number}">{cells}</row>')
        if len(batch) == 1000:
            yield "".join(batch).encode()
            batch = []
    yield "".join(batch).encode()
    yield b"</sheetData></worksheet>"


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def bomb_xml(megabytes: int):
    """A sheet of `megabytes` MB of one repeated row: it deflates to a few hundred kB."""
    yield SHEET_START + b"<sheetData>"
    block = b'<row><c t="inlineStr"><is><t>' + b"A" * (1024 * 1024 - 40) + b"</t></is></c></row>"
    for _ in range(megabytes):
        yield block
    yield b"</sheetData></worksheet>"


def refused_quickly(data: bytes, compact) -> str:
    """Plan the workbook under a clock and tracemalloc; returns the refusal."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(WorkbookError) as excinfo:
            plan_workbook(data, compacts=Compact.objects.filter(pk=compact.pk))
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 10, f"took {elapsed:.1f}s"
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    return str(excinfo.value)


def test_a_decompression_bomb_is_refused_from_the_zip_directory_before_any_parsing(compact):
    data = exported(compact)
    bomb = with_part(data, sheet_part(data, COMMITMENTS), bomb_xml(300))
    assert len(bomb) < 2 * 1024 * 1024
    message = refused_quickly(bomb, compact)
    assert message.startswith("The workbook unpacks to 300 MB; at most 64 MB per upload.")


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        (True, "The Commitments sheet has 100,000 rows; at most 20,000 per upload."),
        (False, "The Commitments sheet has more than 20,000 rows; at most 20,000 per upload."),
    ],
)
def test_a_100000_row_sheet_is_refused_with_its_size_quickly_and_in_little_memory(
    compact, dimension, expected
):
    data = exported(compact)
    big = with_part(data, sheet_part(data, COMMITMENTS), rows_xml(100_000, dimension=dimension))
    assert refused_quickly(big, compact).startswith(expected)


def test_a_sheet_that_skips_to_a_far_row_number_is_refused(compact):
    data = exported(compact)
    sheet = SHEET_START + b'<sheetData><row r="1"/><row r="850001"><c r="A850001"/></row>'
    sheet += b"</sheetData></worksheet>"
    message = refused_quickly(with_part(data, sheet_part(data, COMMITMENTS), [sheet]), compact)
    assert "The Commitments sheet has more than 20,000 rows" in message


def test_the_row_limit_counts_both_data_sheets_together(compact, settings):
    settings.SPREADSHEET_MAX_ROWS = 30
    data = exported(compact)
    data = with_part(data, sheet_part(data, COMMITMENTS), rows_xml(16))
    data = with_part(data, sheet_part(data, "Milestones"), rows_xml(16))
    message = refused_quickly(data, compact)
    assert message.startswith(
        "The Commitments and Milestones sheets have 32 rows together; at most 30 per upload."
    )


def test_a_row_with_too_many_cells_and_a_workbook_with_too_many_cells_are_refused(
    compact, settings
):
    data = exported(compact)
    wide = with_part(data, sheet_part(data, COMMITMENTS), rows_xml(1, cells_per_row=20_000))
    assert refused_quickly(wide, compact).startswith(
        "Row 1 of the Commitments sheet has more than 1,000 cells; at most 1,000 per row."
    )
    settings.SPREADSHEET_MAX_CELLS = 100
    many = with_part(data, sheet_part(data, COMMITMENTS), rows_xml(60))
    assert refused_quickly(many, compact).startswith(
        "The workbook has more than 100 cells; at most 100 per upload."
    )


def test_a_part_with_a_doctype_is_refused_as_not_a_workbook(compact):
    data = exported(compact)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row><c><v>&lol2;</v></c></row></sheetData></worksheet>"
    )
    message = refused_quickly(with_part(data, sheet_part(data, COMMITMENTS), [laughs]), compact)
    assert "not an XLSX workbook" in message


def test_a_workbook_within_the_limits_still_imports(compact, settings):
    settings.SPREADSHEET_MAX_ROWS = 20
    plan = plan_workbook(exported(compact), compacts=Compact.objects.filter(pk=compact.pk))
    assert plan.ok and plan.counts()[COMMITMENTS].unchanged == 1


def test_the_page_refuses_a_bomb_as_a_form_error_and_writes_nothing(compact, editor_client):
    data = exported(compact)
    bomb = with_part(data, sheet_part(data, COMMITMENTS), bomb_xml(200))
    url = reverse("compacts:spreadsheet_import", args=[compact.pk])
    response = editor_client.post(url, {"workbook": SimpleUploadedFile("bomb.xlsx", bomb)})
    assert response.status_code == 200
    errors = response.context["form"].errors["workbook"]
    assert errors[0].startswith("The workbook unpacks to 200 MB")
    assert "Nothing was imported." in response.content.decode()
    assert list(Commitment.objects.values_list("title", flat=True)) == ["Common enrollment"]


def test_the_page_refuses_a_file_over_the_upload_size(compact, editor_client, settings):
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 1000
    url = reverse("compacts:spreadsheet_import", args=[compact.pk])
    upload = SimpleUploadedFile("big.xlsx", exported(compact))
    response = editor_client.post(url, {"workbook": upload})
    assert "at most 1,000 bytes per upload" in response.context["form"].errors["workbook"][0]


def test_the_import_command_refuses_a_device_or_a_fifo_without_reading_it(tmp_path, editor):
    with pytest.raises(CommandError, match="not a regular file"):
        call_command("import_commitments", "/dev/zero", "--actor", editor.username)
    fifo = tmp_path / "pipe.xlsx"
    import os

    os.mkfifo(fifo)
    with pytest.raises(CommandError, match="not a regular file"):
        call_command("import_commitments", str(fifo), "--actor", editor.username)


def test_the_upload_page_states_the_limits(compact, editor_client):
    response = editor_client.get(reverse("compacts:spreadsheet_import", args=[compact.pk]))
    assert "At most 20,000 rows and 10 MB per upload." in response.content.decode()


def test_the_page_refuses_a_100000_row_sheet_and_writes_nothing(compact, editor_client):
    data = exported(compact)
    big = with_part(data, sheet_part(data, COMMITMENTS), rows_xml(100_000))
    url = reverse("compacts:spreadsheet_import", args=[compact.pk])
    started = time.monotonic()
    response = editor_client.post(url, {"workbook": SimpleUploadedFile("big.xlsx", big)})
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert response.context["form"].errors["workbook"] == [
        "The Commitments sheet has 100,000 rows; at most 20,000 per upload. Split the rows over "
        "several uploads."
    ]
    assert list(Commitment.objects.values_list("title", flat=True)) == ["Common enrollment"]
