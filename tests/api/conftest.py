"""The API's personas: the named users of tests/conftest.py, each with a personal token, and the
sample records of the permission matrix in cities X and Y."""

import pytest
from rest_framework.test import APIClient

from api.services import token_create
from tests.matrix.world import build_world


def token_client(user) -> APIClient:
    """A client sending a fresh token of `user`, as a script would."""
    _, secret = token_create(user=user, name="tests", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def world(city_x, city_y):
    return build_world(city_x, city_y)


@pytest.fixture
def api(editor, viewer, outsider, superuser):
    """persona -> a client with the persona's token (anonymous: none)."""
    return {
        "anonymous": APIClient(),
        "viewer": token_client(viewer),
        "outsider": token_client(outsider),
        "editor": token_client(editor),
        "superuser": token_client(superuser),
    }
