"""The OpenAPI schema and its docs page: served to signed-in people and token holders, every
operation with an example, the docs' assets from the package (no CDN)."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse
from rest_framework.permissions import IsAuthenticated

from tests.matrix.harness import _patterns, open_pattern_names


def _schema(client) -> dict:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _has_example(operation: dict) -> bool:
    bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
    return any(
        media.get("examples") for body in bodies for media in (body.get("content") or {}).values()
    )


def test_the_schema_describes_every_endpoint_with_an_example(api, world):
    schema = _schema(api["viewer"])
    assert schema["openapi"].startswith("3.")
    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert len(operations) > 20
    assert [key for key, operation in operations.items() if not _has_example(operation)] == []
    assert [key for key, operation in operations.items() if not operation.get("summary")] == []
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_schema_lists_the_filters_of_the_pages(api, world):
    schema = _schema(api["viewer"])
    names = {p["name"] for p in schema["paths"]["/api/v1/commitments/"]["get"]["parameters"]}
    assert {"city", "compact", "category", "tier", "status", "overdue", "stale", "q"} <= names


def test_the_schema_needs_credentials(api):
    assert api["anonymous"].get(reverse("api:schema")).status_code == 401


def test_the_docs_page_serves_its_assets_from_the_site(viewer_client):
    response = viewer_client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert [src for src in sources if src.startswith(("http:", "https:", "//"))] == []
    assets = [src for src in sources if src.startswith("/static/")]
    assert any("swagger-ui" in src for src in assets)
    assert [src for src in assets if not finders.find(src.removeprefix("/static/"))] == []
    # The set-up script comes from the same address, not inline: the CSP allows no inline script.
    assert "<script>" not in page.replace(" ", "")
    assert "<style" not in page
    script = viewer_client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert reverse("api:schema") in script.content.decode()


def test_the_docs_page_sends_anonymous_visitors_to_sign_in(anonymous_client):
    response = anonymous_client.get(reverse("api:docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_api_address_open_to_the_middleware_requires_authentication():
    open_api = {name for name in open_pattern_names() if name.startswith("api:")}
    assert "api:commitment-list" in open_api and "api:schema" in open_api
    assert "api:docs" not in open_api
    for name, pattern in _patterns():
        if name in open_api:
            permissions = pattern.callback.cls().get_permissions()
            assert any(isinstance(p, IsAuthenticated) for p in permissions), name
