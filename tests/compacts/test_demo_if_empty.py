"""`make run` loads the demo only into an empty database (`load_demo --if-empty`)."""

import io

import pytest
from django.core.management import call_command

from compacts.models import Compact


@pytest.mark.django_db
def test_if_empty_loads_an_empty_database():
    call_command("load_demo", "--if-empty", stdout=io.StringIO())

    assert Compact.objects.count() == 23
