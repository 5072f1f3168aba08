"""Demo users for a local run: an admin, an editor of Spring Branch and Boston, and a viewer of
every demo city. Their random passwords are kept in VAR_DIR/demo_users.json (git-ignored) so that
every run prints the same ones; no password is ever committed."""

import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.choices import Role
from accounts.models import Membership
from compacts.demo import demo_city_keys
from schools.models import City

# `make run` passes the address it serves on.
SIGN_IN_URL = os.environ.get("SIGN_IN_URL", "http://127.0.0.1:8000/accounts/login/")
EDITOR_CITIES = ("Spring Branch", "Boston")


def password_file() -> Path:
    return Path(settings.VAR_DIR) / "demo_users.json"


def _stored_passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    try:
        stored = json.loads(path.read_text())
    except ValueError as error:
        raise CommandError(
            f"{path} is not valid JSON ({error}); delete it to start afresh."
        ) from None
    return {name: value for name, value in stored.items() if isinstance(value, str) and value}


def _write_passwords(path: Path, passwords: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    # Created readable by the owner only, then moved into place in one step.
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(passwords, handle, indent=2, sort_keys=True)
    os.replace(temporary, path)


def _names(last_name: str) -> dict[str, str]:
    return {"first_name": "Demo", "last_name": last_name}


class Command(BaseCommand):
    help = (
        "Create the demo users once (admin, an editor of Spring Branch and Boston, a viewer of "
        "every demo city) and print their passwords, kept in VAR_DIR/demo_users.json."
    )

    def handle(self, *args, **options):
        cities = self._demo_cities()
        by_name = {city.name: city for city in cities}
        # Distinct names, so that the header and the history say which demo user is which.
        users = [
            ("admin", {**_names("Admin"), "is_superuser": True, "is_staff": True}, Role.EDITOR, []),
            ("editor", _names("Editor"), Role.EDITOR, [by_name[name] for name in EDITOR_CITIES]),
            ("viewer", _names("Viewer"), Role.VIEWER, cities),
        ]
        path = password_file()
        passwords = _stored_passwords(path)
        with transaction.atomic():
            for username, flags, role, member_of in users:
                passwords.setdefault(username, secrets.token_urlsafe(18))
                self._ensure_user(username, passwords[username], flags, role, member_of)
        _write_passwords(path, passwords)

        self.stdout.write(f"Demo users (sign in at {SIGN_IN_URL}):")
        self.stdout.write(
            f"  admin   {passwords['admin']}   superuser: every city and /admin/ "
            "(sets up two-step sign-in with an authenticator app at its first sign-in)"
        )
        self.stdout.write(
            f"  editor  {passwords['editor']}   editor of {' and '.join(EDITOR_CITIES)}"
        )
        self.stdout.write(f"  viewer  {passwords['viewer']}   viewer of all {len(cities)} cities")
        self.stdout.write(f"Passwords are kept in {path}, outside git.")

    def _demo_cities(self) -> list[City]:
        wanted = demo_city_keys()
        found = {(city.name, city.state): city for city in City.objects.all()}
        missing = [name for name, state in wanted if (name, state) not in found]
        if missing:
            raise CommandError(
                f"The demo cities are not loaded ({', '.join(missing[:3])} ...): "
                "run `python manage.py load_demo` first."
            )
        return [found[key] for key in wanted]

    def _ensure_user(self, username, password, flags, role, cities) -> None:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", **flags},
        )
        changed = created or any(getattr(user, key) != value for key, value in flags.items())
        for key, value in flags.items():
            setattr(user, key, value)
        if created or not user.check_password(password):
            user.set_password(password)
            changed = True
        if not user.is_active:
            user.is_active = changed = True
        if changed:
            user.save()
        for city in cities:
            Membership.objects.update_or_create(user=user, city=city, defaults={"role": role})
