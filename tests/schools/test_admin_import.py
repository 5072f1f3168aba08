"""The NCES imports from the admin: upload, preview of what would change, confirm."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import CharterSchool, City, District
from tests.accounts.two_factor import sign_in_verified
from tests.schools.factories import DistrictFactory
from tests.schools.test_import import (
    CCD2014_DISTRICT_HEADER,
    CCD2014_SCHOOL_HEADER,
    csv_bytes,
    district_2014,
    school_2014,
)

pytestmark = pytest.mark.django_db

DISTRICT_IMPORT = reverse("admin:schools_district_import")
SCHOOL_IMPORT = reverse("admin:schools_charterschool_import")


@pytest.fixture(autouse=True)
def _staging_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def districts_file(*rows) -> SimpleUploadedFile:
    rows = rows or (district_2014(), district_2014("4800002", "KIPP TEXAS", "HOUSTON", TYPE="7"))
    return SimpleUploadedFile("districts.csv", csv_bytes(CCD2014_DISTRICT_HEADER, rows))


def preview(client, url=DISTRICT_IMPORT, **data):
    data.setdefault("file", districts_file())
    return client.post(url, data)


def staged_files(tmp_path) -> list:
    folder = tmp_path / "staged-uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_changelists_offer_the_import(superuser_client):
    for model in ("district", "charterschool"):
        response = superuser_client.get(reverse(f"admin:schools_{model}_changelist"))
        assert reverse(f"admin:schools_{model}_import") in response.content.decode()


def test_the_upload_form_says_what_it_reads(superuser_client):
    response = superuser_client.get(SCHOOL_IMPORT)
    assert response.status_code == 200
    assert b"Network map" in response.content and b"Preview" in response.content


def test_the_preview_shows_what_would_change_and_writes_nothing(superuser_client, tmp_path):
    response = preview(superuser_client)
    content = response.content.decode()
    assert response.status_code == 200
    assert "CCD district directory up to 2014-15" in content
    assert "KIPP TEXAS" in content and "4800002" in content
    assert "Confirm the import" in content
    assert District.objects.count() == 0 and City.objects.count() == 0
    assert len(staged_files(tmp_path)) == 1


def test_confirming_writes_the_import_as_the_admin(superuser_client, superuser, tmp_path):
    token = preview(superuser_client).context["token"]
    response = superuser_client.post(DISTRICT_IMPORT, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:schools_district_changelist")
    assert District.objects.count() == 2
    history = District.objects.get(nces_leaid="4800002").history.get()
    assert history.history_user == superuser
    assert history.history_change_reason == "districts import from districts.csv"
    assert staged_files(tmp_path) == []
    # The same confirmation cannot write twice.
    superuser_client.post(DISTRICT_IMPORT, {"confirm": "1", "token": token})
    assert District.history.count() == 2


def test_the_preview_of_an_update_lists_each_change(superuser_client):
    DistrictFactory(nces_leaid="4800002", name="KIPP OLD NAME")
    content = preview(superuser_client).content.decode()
    assert "name: KIPP OLD NAME &rarr; KIPP TEXAS" in content


def test_a_file_with_bad_rows_shows_every_bad_row_and_cannot_be_confirmed(
    superuser_client, tmp_path
):
    upload = districts_file(
        district_2014(), district_2014("123", "SHORT"), district_2014(state="ZZ")
    )
    response = preview(superuser_client, file=upload)
    content = response.content.decode()
    assert "2 invalid rows" in content
    assert "An NCES district ID (LEAID) is exactly 7 digits" in content
    assert "Not a USPS state code" in content
    assert "Confirm the import" not in content
    assert staged_files(tmp_path) == []
    assert District.objects.count() == 0


def test_a_file_of_another_layout_is_refused_with_the_columns_expected(superuser_client):
    upload = SimpleUploadedFile("x.csv", b"a,b\r\n1,2\r\n")
    response = preview(superuser_client, file=upload)
    assert response.status_code == 200
    assert "LEAID, NAME, LCITY, LSTATE, TYPE" in response.context["form"].errors["file"][0]


def test_a_confirmation_with_another_token_writes_nothing(superuser_client):
    preview(superuser_client)
    for token in ("../../../etc/passwd", "x" * 32, ""):
        response = superuser_client.post(DISTRICT_IMPORT, {"confirm": "1", "token": token})
        assert response.status_code == 302
        assert response["Location"] == DISTRICT_IMPORT
    assert District.objects.count() == 0


def test_a_preview_belongs_to_the_session_that_uploaded_it(superuser_client, client, superuser):
    token = preview(superuser_client).context["token"]
    sign_in_verified(client, superuser)  # the same admin in another browser has another session
    client.post(DISTRICT_IMPORT, {"confirm": "1", "token": token})
    assert District.objects.count() == 0


def test_the_school_import_takes_filters_and_a_network_map(superuser_client):
    DistrictFactory(nces_leaid="4800001")
    rows = [
        school_2014("480000101001", SCHNAM="KIPP AUSTIN"),
        school_2014("480000101002", SCHNAM="KIPP DALLAS", LCITY="DALLAS"),
    ]
    upload = SimpleUploadedFile("schools.csv", csv_bytes(CCD2014_SCHOOL_HEADER, rows))
    network_map = SimpleUploadedFile("map.csv", b"KIPP,KIPP Texas\r\n")
    response = superuser_client.post(
        SCHOOL_IMPORT,
        {"file": upload, "network_map": network_map, "state": "tx", "city": "Austin,TX"},
    )
    assert response.context["plan"].counts()["filtered"] == 1
    superuser_client.post(SCHOOL_IMPORT, {"confirm": "1", "token": response.context["token"]})
    school = CharterSchool.objects.get()
    assert (school.name, school.network.name) == ("KIPP AUSTIN", "KIPP Texas")


@pytest.mark.parametrize("city", ["Austin", "Austin,ZZ"])
def test_bad_filters_are_form_errors(superuser_client, city):
    response = preview(superuser_client, city=city)
    assert "city" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["editor_client", "viewer_client", "anonymous_client"])
def test_only_superusers_reach_the_import(request, persona):
    client = request.getfixturevalue(persona)
    # Signed-in members go to the admin's sign-in; anonymous visitors to the site's, as for
    # every model page of the admin.
    login = "/accounts/login/" if persona == "anonymous_client" else "/admin/login/"
    for url in (DISTRICT_IMPORT, SCHOOL_IMPORT):
        assert client.get(url)["Location"].startswith(login)
        assert preview(client, url)["Location"].startswith(login)
    assert District.objects.count() == 0
