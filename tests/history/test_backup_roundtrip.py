"""A backup moves between SQLite and PostgreSQL with every row and every figure unchanged.

The test process's own database (SQLite in memory under `make test`) is seeded and backed up;
child processes, each attached to another database through DATABASE_URL exactly as production
would be, migrate a fresh PostgreSQL database and restore into it, back that up again, and
restore it into a fresh SQLite file. Every database must report the same summary (row counts,
a digest of every row, every city's figures) and accept new rows afterwards (id sequences moved
past the restored rows).

The PostgreSQL server comes from ROUNDTRIP_POSTGRES_URL (default: the local server of the dev
environment); the test creates and drops its own database, and is skipped when no server answers.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.history.backup_data import database_summary, seed

SERVER_URL = os.environ.get("ROUNDTRIP_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# Run in a child process attached to another database: migrate it, restore a backup into it,
# summarize it, prove new rows still get fresh ids, and optionally back it up again.
CHILD_SCRIPT = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.core.management import call_command
from django.db import transaction
from schools.models import City
from tests.history.backup_data import database_summary
call_command("migrate", "--noinput", verbosity=0)
call_command("restore", sys.argv[1])
summary = database_summary()
with transaction.atomic():
    City.objects.create(name="Sequence check", state="TX", slug="sequence-check")
    transaction.set_rollback(True)
if len(sys.argv) > 2:
    call_command("backup", sys.argv[2])
print("SUMMARY " + json.dumps(summary))
"""


def _server():
    try:
        import psycopg2
    except ImportError:
        return None
    url = urlparse(SERVER_URL)
    try:
        connection = psycopg2.connect(
            host=url.hostname,
            port=url.port or 5432,
            user=url.username,
            password=url.password,
            dbname=url.path.lstrip("/") or "postgres",
            connect_timeout=3,
        )
    except psycopg2.Error:
        return None
    connection.autocommit = True
    return connection


@pytest.fixture
def postgres_database():
    """A fresh PostgreSQL database of this test's own, dropped afterwards."""
    server = _server()
    if server is None:
        pytest.skip(f"no PostgreSQL server at {SERVER_URL}")
    name = f"ct_roundtrip_{uuid.uuid4().hex[:10]}"
    with server.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = urlparse(SERVER_URL)._replace(path=f"/{name}").geturl()
    try:
        yield url
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def _restore_in(database_url: str, tmp_path: Path, backup: Path, again: Path | None = None):
    """Restore `backup` into a fresh database in a child process; its summary."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path / "var"),
    }
    arguments = [str(backup)] + ([str(again)] if again else [])
    result = subprocess.run(
        [sys.executable, "-c", CHILD_SCRIPT, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("SUMMARY "))
    return json.loads(line.removeprefix("SUMMARY "))


@pytest.mark.django_db
def test_a_backup_restored_into_postgresql_and_back_into_sqlite_keeps_every_row_and_figure(
    tmp_path, postgres_database
):
    seed()
    expected = json.loads(json.dumps(database_summary()))
    assert expected["counts"]["compacts.historicalcommitment"] > 0
    assert "Xville" in expected["figures"]
    first, second = tmp_path / "first.jsonl.gz", tmp_path / "second.jsonl"
    call_command("backup", str(first))

    in_postgres = _restore_in(postgres_database, tmp_path, first, again=second)
    sqlite_file = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    in_sqlite = _restore_in(sqlite_file, tmp_path, second)

    assert in_postgres["counts"] == expected["counts"]
    assert in_postgres == expected
    assert in_sqlite == expected
