"""The admin as a superuser sees it: every page answers, changelists cost the same number of
queries at 3 and 30 rows, exports hold the selected rows, and protected deletes are refused."""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Membership
from compacts.models import Commitment, Compact
from core.models import DemoDataset
from schools.models import City
from tests.accounts import factories as account_factories
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.compacts import factories as compact_factories
from tests.compacts.factories import CommitmentFactory, CompactFactory
from tests.schools import factories as school_factories

pytestmark = pytest.mark.django_db

User = get_user_model()

FACTORIES = {
    obj._meta.model: obj
    for module in (school_factories, compact_factories, account_factories)
    for name, obj in vars(module).items()
    if name.endswith("Factory") and obj.__module__ == module.__name__ and hasattr(obj, "_meta")
}
# Subclass factories (a funder is an Organization) must not shadow the base factory.
FACTORIES[school_factories.OrganizationFactory._meta.model] = school_factories.OrganizationFactory


def _make_demo_dataset():
    return DemoDataset.objects.create(banner="Demo data banner")


def _make_group():
    return Group.objects.create(name=f"group {Group.objects.count()}")


MAKERS = {**FACTORIES, DemoDataset: _make_demo_dataset, Group: _make_group}

# Every model registered on the admin site, and the domain ones whose lists are query-counted.
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
COUNTED = [model for model in REGISTERED if model in MAKERS]


def _label(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _some(model):
    record = model._default_manager.first()
    if record is None and model in MAKERS:
        record = MAKERS[model]()
    return record


def test_every_domain_model_has_an_admin():
    from django.apps import apps

    domain = {
        model
        for app in ("schools", "compacts", "accounts", "core")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert domain - set(REGISTERED) == set()


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_the_changelist_answers_a_superuser(superuser_client, model):
    _some(model)
    response = superuser_client.get(_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_the_add_page_answers_a_superuser(superuser, superuser_client, model):
    # Some third-party logs (axes) are read-only by design: their add page is a 403.
    model_admin = admin.site._registry[model]
    response = superuser_client.get(_url(model, "add"))
    expected = 200 if model_admin.has_add_permission(_request_for(superuser)) else 403
    assert response.status_code == expected


# Only models the tests can make; third-party logs (axes) have their changelist checked above.
@pytest.mark.parametrize("model", COUNTED, ids=_label)
def test_the_change_page_answers_a_superuser(superuser_client, model):
    record = _some(model)
    response = superuser_client.get(_url(model, "change", record.pk))
    assert response.status_code == 200


def _request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _changelist_queries(client, model) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("model", COUNTED, ids=_label)
def test_the_changelist_costs_the_same_queries_at_3_and_30_rows(superuser_client, model):
    make = MAKERS[model]
    for _ in range(3):
        make()
    small = _changelist_queries(superuser_client, model)
    for _ in range(27):
        make()
    assert model._default_manager.count() >= 30
    large = _changelist_queries(superuser_client, model)
    assert len(large) == len(small), (
        f"{len(small)} queries at 3 rows, {len(large)} at 30:\n" + "\n".join(large)
    )


def _post_action(client, model, action: str, records):
    return client.post(
        _url(model, "changelist"),
        {"action": action, "_selected_action": [record.pk for record in records]},
    )


def test_the_csv_export_holds_exactly_the_selected_rows(superuser_client):
    compact = CompactFactory(city=City.objects.create(name="Boston", state="MA"))
    chosen = [CommitmentFactory(compact=compact, title=f"Chosen {n}") for n in range(2)]
    CommitmentFactory(compact=compact, title="Left out")
    response = _post_action(superuser_client, Commitment, "export_as_csv", chosen)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="commitments-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["title"] for row in rows] == ["Chosen 0", "Chosen 1"]
    assert {row["id"] for row in rows} == {str(c.pk) for c in chosen}
    assert rows[0]["compact_id"] == str(compact.pk)
    assert rows[0]["compact"] == f"{compact.title} (Boston)"
    assert rows[0]["status"] == "in_progress"


def test_the_xlsx_export_holds_exactly_the_selected_rows(superuser_client):
    chosen = [CommitmentFactory(title=f"Chosen {n}") for n in range(2)]
    CommitmentFactory(title="Left out")
    response = _post_action(superuser_client, Commitment, "export_as_xlsx", chosen)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    titles = [row[header.index("title")] for row in rows[1:]]
    assert titles == ["Chosen 0", "Chosen 1"]


def test_exports_keep_a_formula_like_title_as_text(superuser_client):
    risky = CommitmentFactory(title='=HYPERLINK("http://evil.example","x")')
    csv_response = _post_action(superuser_client, Commitment, "export_as_csv", [risky])
    row = next(csv.DictReader(io.StringIO(csv_response.content.decode())))
    assert row["title"].startswith("'=")
    xlsx_response = _post_action(superuser_client, Commitment, "export_as_xlsx", [risky])
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    header, values = list(sheet.iter_rows(values_only=True))
    cell = sheet.cell(row=2, column=header.index("title") + 1)
    assert cell.data_type == "s"
    assert values[header.index("title")] == risky.title


def test_the_csv_export_keeps_a_formula_after_a_separator_as_text(superuser_client):
    """Excel with ';' as list separator would split "a;=1+1" into a second cell, a formula."""
    risky = CommitmentFactory(title="Shared buses; =1+1")
    response = _post_action(superuser_client, Commitment, "export_as_csv", [risky])
    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["title"] == "Shared buses;' =1+1"


def test_the_export_costs_the_same_queries_at_3_and_30_rows(superuser_client):
    def exported_queries(records) -> int:
        with CaptureQueriesContext(connection) as captured:
            _post_action(superuser_client, Commitment, "export_as_csv", records)
        return len(captured.captured_queries)

    records = [CommitmentFactory() for _ in range(3)]
    small = exported_queries(records)
    records += [CommitmentFactory() for _ in range(27)]
    assert exported_queries(records) == small


EXPORTING_APPS = ("schools", "compacts", "core", "accounts")


def test_every_changelist_offers_both_exports(superuser):
    models = [m for m in REGISTERED if m._meta.app_label in EXPORTING_APPS] + [User]
    for model in models:
        actions = admin.site._registry[model].get_actions(_request_for(superuser))
        assert {"export_as_csv", "export_as_xlsx"} <= set(actions), model


def test_the_membership_export_names_the_user_and_the_city(superuser_client):
    chosen = MembershipFactory(
        user=UserFactory(username="pat"), city=City.objects.create(name="Boston", state="MA")
    )
    MembershipFactory()
    response = _post_action(superuser_client, Membership, "export_as_csv", [chosen])
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["user"], row["city_id"], row["role"]) for row in rows] == [
        ("pat", str(chosen.city_id), "viewer")
    ]


def test_the_user_export_never_holds_a_password_hash(superuser, superuser_client):
    pat = UserFactory(username="pat", first_name="Pat", last_name="Lee")
    response = _post_action(superuser_client, User, "export_as_csv", [pat, superuser])
    assert pat.password and pat.password.encode() not in response.content
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert "password" not in rows[0]
    assert [(row["username"], row["last_name"], row["is_superuser"]) for row in rows] == [
        ("admin", superuser.last_name, "true"),
        ("pat", "Lee", "false"),
    ]
    xlsx = _post_action(superuser_client, User, "export_as_xlsx", [pat])
    cells = [
        value for row in load_workbook(io.BytesIO(xlsx.content)).active.values for value in row
    ]
    assert "password" not in cells and pat.password not in cells
    assert "pat" in cells


def test_deleting_a_city_with_compacts_is_refused_naming_them(superuser_client):
    compact = CompactFactory()
    city = compact.city
    page = superuser_client.get(_url(City, "delete", city.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert "would require deleting the following protected related objects" in text
    assert compact.title in text
    superuser_client.post(_url(City, "delete", city.pk), {"post": "yes"})
    assert City.objects.filter(pk=city.pk).exists()


def test_the_bulk_delete_of_a_protected_city_is_refused_too(superuser_client):
    compact = CompactFactory()
    response = _post_action(superuser_client, City, "delete_selected", [compact.city])
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert City.objects.filter(pk=compact.city_id).exists()


def test_a_change_page_links_to_the_record_history(superuser_client):
    compact = CompactFactory()
    page = superuser_client.get(_url(compact._meta.model, "change", compact.pk))
    assert _url(compact._meta.model, "history", compact.pk) in page.content.decode()
    history = superuser_client.get(_url(compact._meta.model, "history", compact.pk))
    assert history.status_code == 200


def test_an_admin_url_typed_without_a_scheme_is_read_as_https(superuser):
    form_class = admin.site._registry[Compact].get_form(_request_for(superuser))
    field = form_class.base_fields["document_url"]
    assert field.clean("example.org/compact.pdf") == "https://example.org/compact.pdf"


def test_the_admin_index_names_sign_in_security_in_words(superuser_client):
    page = superuser_client.get("/admin/").content.decode()

    assert "Two-step sign-in: authenticator apps" in page
    assert "Two-step sign-in: recovery codes" in page
    assert "Sign-in attempts and lockouts" in page
