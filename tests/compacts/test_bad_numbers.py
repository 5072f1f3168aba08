"""Ids a request or an upload carries that name no record ("²", which str.isdigit() accepts and
int() refuses, or a number past the database's integers) are refused like any unknown id:
never a 500."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from compacts.models import Compact, Milestone
from compacts.spreadsheets import (
    COMMITMENTS,
    MILESTONES,
    WorkbookError,
    export_workbook,
    plan_workbook,
)
from tests.compacts.factories import CommitmentFactory, CompactFactory
from tests.schools.factories import DistrictFactory, LeadershipTermFactory

pytestmark = pytest.mark.django_db

NOT_IDS = ["²", "١", "99999999999999999999", "9223372036854775808", "-1", "0", "1e3"]


@pytest.fixture
def seat(city_x):
    return LeadershipTermFactory(organization=DistrictFactory(city=city_x), ended_on=None)


@pytest.mark.parametrize("organization", NOT_IDS)
def test_the_seat_fragment_finds_no_seat_for_an_id_that_is_not_one(
    editor_client, seat, organization
):
    response = editor_client.get(
        reverse("compacts:leadership_seat"),
        {"organization": organization, "role": "superintendent"},
    )

    assert response.status_code == 404


@pytest.mark.parametrize("organization", NOT_IDS)
def test_the_leadership_change_form_ignores_an_id_that_is_not_one(
    editor_client, seat, organization
):
    response = editor_client.get(
        reverse("compacts:leadership_change"),
        {"organization": organization, "role": "superintendent"},
    )

    assert response.status_code == 200
    assert response.context["form"].initial.get("organization") is None


@pytest.mark.parametrize("organization", NOT_IDS)
def test_show_current_holder_ignores_an_id_that_is_not_one(editor_client, seat, organization):
    response = editor_client.post(
        reverse("compacts:leadership_change"),
        {"organization": organization, "role": "superintendent", "show_holder": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].initial.get("organization") is None


def test_show_current_holder_still_finds_a_real_seat(editor_client, seat):
    response = editor_client.post(
        reverse("compacts:leadership_change"),
        {"organization": str(seat.organization_id), "role": "superintendent", "show_holder": "1"},
    )

    assert response.context["form"].initial["organization"] == seat.organization.organization_ptr


# --- the spreadsheet import ---


def _with_new_milestone(compact, commitment_id) -> bytes:
    workbook = load_workbook(io.BytesIO(export_workbook(Compact.objects.filter(pk=compact.pk))))
    sheet = workbook[MILESTONES]
    header = [cell.value for cell in sheet[1]]
    values = {"commitment_id": commitment_id, "title": "Step", "due_on": "2030-01-01"}
    sheet.append([values.get(name) for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "commitment_id",
    [10**20, 2**63, -1, 1e20, "99999999999999999999", "²", "١"],
    ids=["int-1e20", "int-2^63", "negative", "float-1e20", "text-1e20", "superscript", "arabic"],
)
def test_a_new_rows_id_that_no_record_can_have_is_a_row_error(city_x, commitment_id):
    compact = CompactFactory(city=city_x)
    CommitmentFactory(compact=compact)

    plan = plan_workbook(
        _with_new_milestone(compact, commitment_id), compacts=Compact.objects.filter(pk=compact.pk)
    )

    assert not plan.ok
    assert "Milestones row 2, commitment_id = " in plan.error_report()
    assert "An ID is a whole number" in plan.error_report()
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("record_id", [10**20, "²"], ids=["int-1e20", "superscript"])
def test_an_existing_rows_id_that_no_record_can_have_is_a_row_error(city_x, record_id):
    compact = CompactFactory(city=city_x)
    commitment = CommitmentFactory(compact=compact)
    workbook = load_workbook(io.BytesIO(export_workbook(Compact.objects.filter(pk=compact.pk))))
    for row in workbook[COMMITMENTS].iter_rows(min_row=2):
        if row[0].value == commitment.pk:
            row[0].value = record_id
    buffer = io.BytesIO()
    workbook.save(buffer)

    plan = plan_workbook(buffer.getvalue(), compacts=Compact.objects.filter(pk=compact.pk))

    assert not plan.ok
    assert "Commitments row 2, id = " in plan.error_report()


# --- ids in list filters and in the workbook's own XML ---


@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999"])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/leadership/", "organization"),
        ("/leadership/", "signatory_of"),
        ("/milestones/", "commitment"),
        ("/activities/", "commitment"),
    ],
)
def test_a_list_filtered_by_an_id_that_is_not_one_names_the_filter(viewer_client, url, name, value):
    response = viewer_client.get(url, {name: value})

    assert response.status_code == 200
    assert "No record with that id is in your scope." in response.content.decode()


def test_a_workbook_whose_row_numbers_are_not_digits_is_refused(city_x):
    compact = CompactFactory(city=city_x)
    CommitmentFactory(compact=compact)
    source = zipfile.ZipFile(io.BytesIO(export_workbook(Compact.objects.filter(pk=compact.pk))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b'<row r="2"', '<row r="²"'.encode())
            target.writestr(info, data)

    with pytest.raises(WorkbookError, match="not an XLSX workbook"):
        plan_workbook(buffer.getvalue(), compacts=Compact.objects.filter(pk=compact.pk))
