"""backup and restore within one database: what a backup carries, and a restore that refuses to
overwrite, refuses damaged files and is all or nothing."""

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from history import backup as backup_module
from tests.history.backup_data import database_summary, seed


@pytest.fixture
def seeded(db):
    seed()
    return database_summary()


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return stream.read().splitlines()


def _write(path: Path, header: dict, objects: list[str]) -> None:
    """A backup file with a valid trailer for these object lines."""
    digest = hashlib.sha256("".join(line + "\n" for line in objects).encode()).hexdigest()
    counts: dict[str, int] = {}
    for line in objects:
        label = json.loads(line)["model"]
        counts[label] = counts.get(label, 0) + 1
    trailer = {"end": True, "counts": counts, "sha256": digest}
    path.write_text("\n".join([json.dumps(header), *objects, json.dumps(trailer)]) + "\n")


@pytest.mark.django_db
def test_a_backup_carries_users_memberships_records_and_their_history(seeded, tmp_path):
    path = tmp_path / "backup.jsonl.gz"

    call_command("backup", str(path))

    lines = _lines(path)
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    assert header["format"] == "compact-tracker-backup"
    assert "compacts" in header["migrations"]
    tables = {model._meta.label_lower for model in backup_module.backed_up_models()}
    assert trailer["counts"] == {
        label: n for label, n in seeded["counts"].items() if n and label in tables
    }
    for label in (
        "auth.user",
        "auth.group",
        "accounts.membership",
        "compacts.commitment",
        "compacts.historicalcommitment",
        "schools.historicaldistrict",
        "admin.logentry",
    ):
        assert trailer["counts"][label] > 0, label
    assert not {"contenttypes.contenttype", "auth.permission", "sessions.session"} & set(
        trailer["counts"]
    )


@pytest.mark.django_db
def test_content_types_and_permissions_travel_by_natural_key(seeded, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    objects = [json.loads(line) for line in _lines(path)[1:-1]]

    log_entry = next(o for o in objects if o["model"] == "admin.logentry")
    editor = next(o for o in objects if o["fields"].get("username") == "backup-editor")

    assert log_entry["fields"]["content_type"] == ["schools", "city"]
    assert isinstance(log_entry["fields"]["user"], int)
    assert editor["fields"]["user_permissions"] == [["change_compact", "compacts", "compact"]]


@pytest.mark.django_db
def test_a_backup_keeps_timestamps_to_the_microsecond(seeded, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    objects = [json.loads(line) for line in _lines(path)[1:-1]]

    stamps = [o["fields"]["updated_at"] for o in objects if o["model"] == "compacts.commitment"]

    assert stamps and all(len(stamp.split(".")[1]) >= 6 for stamp in stamps if "." in stamp)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(seeded, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))

    with pytest.raises(CommandError, match="already holds data.*--replace"):
        call_command("restore", str(path))

    assert database_summary() == seeded


@pytest.mark.django_db
def test_restore_with_replace_brings_back_exactly_the_backed_up_data(seeded, tmp_path):
    from compacts.models import Commitment, Compact

    path = tmp_path / "backup.jsonl.gz"
    call_command("backup", str(path))
    Commitment.objects.filter(status="abandoned").update(title="Changed after the backup")
    Compact.objects.filter(city__name="Yton").delete()

    call_command("restore", str(path), "--replace")

    assert database_summary() == seeded


@pytest.mark.django_db
def test_a_damaged_file_is_refused_and_nothing_is_written(seeded, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    lines = _lines(path)
    lines[5] = lines[5].replace('"', "'", 1)
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError, match="altered or damaged"):
        call_command("restore", str(path), "--replace")

    assert database_summary() == seeded


@pytest.mark.django_db
def test_a_truncated_file_is_refused(seeded, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    path.write_text("\n".join(_lines(path)[:-3]) + "\n")

    with pytest.raises(CommandError, match="incomplete"):
        call_command("restore", str(path), "--replace")

    assert database_summary() == seeded


@pytest.mark.django_db
def test_a_file_that_breaks_a_rule_midway_writes_nothing(seeded, tmp_path):
    """A well-formed file whose last row points at a compact that does not exist: the replace
    had already emptied the tables and loaded most rows; all of it is rolled back."""
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    lines = _lines(path)
    objects = lines[1:-1]
    broken = json.loads(next(line for line in objects if '"compacts.milestone"' in line))
    broken["pk"] = 999_999
    broken["fields"]["commitment"] = 888_888
    _write(path, json.loads(lines[0]), [*objects, json.dumps(broken)])

    with pytest.raises(CommandError, match="refused the backup"):
        call_command("restore", str(path), "--replace")

    assert database_summary() == seeded


@pytest.mark.django_db
def test_a_file_of_another_kind_is_refused(seeded, tmp_path):
    path = tmp_path / "other.json"
    path.write_text('[{"model": "schools.city", "pk": 1, "fields": {}}]\n')

    with pytest.raises(CommandError, match="not a backup of this application"):
        call_command("restore", str(path), "--replace")

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(tmp_path / "missing.jsonl"))


@pytest.mark.django_db
def test_a_backup_made_after_later_migrations_asks_to_migrate_first(seeded, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    lines = _lines(path)
    header = json.loads(lines[0])
    header["migrations"]["compacts"].append("0099_from_the_future")
    _write(path, header, lines[1:-1])

    with pytest.raises(CommandError, match="compacts.0099_from_the_future.*migrate"):
        call_command("restore", str(path), "--replace")

    assert database_summary() == seeded


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_file(seeded, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(backup_module._Serializer, "handle_m2m_field", fail)
    path = tmp_path / "backup.jsonl"

    with pytest.raises(RuntimeError):
        call_command("backup", str(path))

    assert list(tmp_path.iterdir()) == []
