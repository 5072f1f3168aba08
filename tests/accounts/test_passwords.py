"""Passwords have at least 12 characters, and the usual validators refuse weak ones."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def change(client, new_password):
    return client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )


def test_eleven_characters_are_refused(editor_client):
    response = change(editor_client, "qwfpgjluyar")
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in (
        response.content.decode()
    )


def test_twelve_characters_are_accepted(editor_client, editor):
    response = change(editor_client, "qwfpgjluyarz")
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("qwfpgjluyarz")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("123456789012345", "This password is entirely numeric."),
        ("password12345", "This password is too common."),
        ("editor-example", "The password is too similar to the"),
    ],
)
def test_weak_passwords_of_twelve_characters_are_still_refused(editor, password, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password, user=editor)
    assert any(text.startswith(message) for text in excinfo.value.messages), excinfo.value.messages


def test_the_two_new_passwords_must_match(editor_client):
    response = editor_client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "qwfpgjluyarz",
            "new_password2": "qwfpgjluyarx",
        },
    )
    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()


def test_the_old_password_must_be_right(editor_client):
    response = editor_client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "qwfpgjluyarz", "new_password2": "qwfpgjluyarz"},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
