"""create_demo_users: three users once, random passwords kept outside git and printed on
every run."""

import json
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import Membership
from compacts.demo import demo_city_keys
from tests.schools.factories import CityFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def demo_cities(db):
    return [CityFactory(name=name, state=state) for name, state in demo_city_keys()]


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def run(capsys) -> str:
    call_command("create_demo_users")
    return capsys.readouterr().out


def printed_passwords(output: str) -> dict[str, str]:
    return {
        line.split()[0]: line.split()[1] for line in output.splitlines() if line.startswith("  ")
    }


def test_it_creates_an_admin_an_editor_and_a_viewer(demo_cities, var_dir, capsys):
    run(capsys)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    editor_of = Membership.objects.filter(user__username="editor")
    assert {(m.city.name, m.role) for m in editor_of} == {
        ("Spring Branch", "editor"),
        ("Boston", "editor"),
    }
    viewer_of = Membership.objects.filter(user__username="viewer")
    assert viewer_of.count() == 23
    assert set(viewer_of.values_list("role", flat=True)) == {"viewer"}
    assert not User.objects.get(username="viewer").is_staff


def test_each_user_has_a_distinct_readable_name(demo_cities, var_dir, capsys):
    run(capsys)
    names = {user.username: user.get_full_name() for user in User.objects.all()}
    assert names == {"admin": "Demo Admin", "editor": "Demo Editor", "viewer": "Demo Viewer"}


def test_a_rerun_names_users_made_before_they_had_distinct_names(demo_cities, var_dir, capsys):
    run(capsys)
    User.objects.update(first_name="Demo", last_name="")
    run(capsys)
    assert User.objects.get(username="viewer").get_full_name() == "Demo Viewer"


def test_the_header_shows_the_signed_in_demo_user_s_name(demo_cities, var_dir, capsys, client):
    run(capsys)
    client.force_login(User.objects.get(username="editor"))
    page = client.get("/", follow=True).content.decode()
    assert "Signed in as </span>Demo Editor" in page


def test_it_prints_passwords_that_sign_in_and_the_sign_in_address(demo_cities, var_dir, capsys):
    output = run(capsys)
    assert "http://127.0.0.1:8000/accounts/login/" in output
    passwords = printed_passwords(output)
    assert set(passwords) == {"admin", "editor", "viewer"}
    for username, password in passwords.items():
        assert len(password) >= 20
        assert User.objects.get(username=username).check_password(password)


def test_it_keeps_the_passwords_in_a_private_file_under_var(demo_cities, var_dir, capsys):
    passwords = printed_passwords(run(capsys))
    path = var_dir / "demo_users.json"
    assert json.loads(path.read_text()) == passwords
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_second_run_prints_the_same_passwords_and_creates_nobody(demo_cities, var_dir, capsys):
    first = printed_passwords(run(capsys))
    counts = (User.objects.count(), Membership.objects.count())
    second = printed_passwords(run(capsys))
    assert second == first
    assert (User.objects.count(), Membership.objects.count()) == counts


def test_it_restores_the_kept_password_of_an_existing_user(demo_cities, var_dir, capsys):
    kept = printed_passwords(run(capsys))["editor"]
    editor = User.objects.get(username="editor")
    editor.set_password("changed since the last run")
    editor.save()
    run(capsys)
    editor.refresh_from_db()
    assert editor.check_password(kept)


def test_each_checkout_gets_its_own_random_passwords(demo_cities, settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path / "one"
    first = printed_passwords(run(capsys))
    User.objects.filter(username__in=first).delete()
    settings.VAR_DIR = tmp_path / "two"
    second = printed_passwords(run(capsys))
    assert set(first.values()).isdisjoint(second.values())


def test_it_asks_for_the_demo_data_first(var_dir):
    with pytest.raises(CommandError, match="run `python manage.py load_demo` first"):
        call_command("create_demo_users")
    assert not User.objects.exists()


def test_it_refuses_a_damaged_password_file(demo_cities, var_dir):
    var_dir.mkdir(parents=True)
    (var_dir / "demo_users.json").write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("create_demo_users")
