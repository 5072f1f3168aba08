"""The admin answers an id past the database's 64-bit integers like a missing record, in its
URLs, forms and filters: a district's, school's or network's primary key is its link to
Organization, which Django does not range-check, so SQLite's driver raised OverflowError (500)
until core.lookups."""

import pytest
from django.contrib import admin

from core.admin import HistoryExportAdmin

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
MODELS = [
    model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, HistoryExportAdmin)
]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize(
    "suffix", ["change/", "delete/", "history/", f"history/{HUGE}/", "history/1/"]
)
def test_an_admin_record_url_past_the_databases_integers_finds_no_record(
    superuser_client, model, suffix
):
    meta = model._meta
    response = superuser_client.get(f"/admin/{meta.app_label}/{meta.model_name}/{HUGE}/{suffix}")

    assert response.status_code in (302, 404)


@pytest.mark.parametrize("field", ["district", "network"])
def test_an_admin_form_choosing_a_record_past_the_databases_integers_says_it_is_not_a_choice(
    superuser_client, field
):
    response = superuser_client.post(
        "/admin/schools/charterschool/add/", {"name": "Lincoln Charter", field: HUGE}
    )

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


@pytest.mark.parametrize("parameter", ["district", "district__organization_ptr__exact"])
def test_an_admin_list_filtered_by_a_record_past_the_databases_integers_shows_nothing(
    superuser_client, parameter
):
    response = superuser_client.get(f"/admin/schools/charterschool/?{parameter}={HUGE}")

    assert response.status_code in (200, 302)
