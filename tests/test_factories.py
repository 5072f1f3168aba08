"""Every factory builds a record that passes the model's own validation."""

import pytest

from tests.accounts import factories as account_factories
from tests.compacts import factories as compact_factories
from tests.schools import factories as school_factories

FACTORIES = [
    obj
    for module in (school_factories, compact_factories, account_factories)
    for name, obj in vars(module).items()
    if name.endswith("Factory") and obj.__module__ == module.__name__
]


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_builds_a_valid_record(factory_class):
    record = factory_class()
    record.full_clean()


def test_every_model_has_a_factory():
    from django.apps import apps

    covered = {f._meta.model for f in FACTORIES}
    domain_models = {
        model
        for app in ("schools", "compacts", "accounts")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    assert domain_models - covered == set()
