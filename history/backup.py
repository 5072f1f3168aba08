"""A portable backup of all application data: users, memberships, every domain record and its
history, in one JSON-lines file that restores into SQLite or PostgreSQL alike.

Format (optionally gzip-compressed; restore detects it):
    line 1     {"format": "compact-tracker-backup", "version": 1, "created_at": ..., ...}
    then       one object per line, Django's serialization ({"model", "pk", "fields"})
    last line  {"end": true, "counts": {"app.model": n, ...}, "sha256": <hash of object lines>}
The trailer lets a restore refuse a truncated or altered file before it commits anything.

Every row keeps its primary key, so links, URLs and history stay as they were. Content types
and permissions are not copied (migrate creates them, with ids that differ between databases):
references to them travel as natural keys. Sessions are not copied; a replacing restore ends
them, since their user ids would point at other people.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management.color import no_style
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "compact-tracker-backup"
VERSION = 1
CHUNK = 1000

# Re-created by migrate, with ids of their own: referenced by natural key, never copied.
NATURAL_KEY_MODELS = (ContentType, Permission)
# Not data: sign-in sessions die with the database they belong to.
SKIPPED_LABELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """A backup file that cannot be restored here, or a database that must not be written."""


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete, managed model whose rows a backup carries, parents before children where
    natural keys require it (Django's dependency sort), otherwise by app and model."""
    app_list = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIPPED_LABELS:
            continue
        app_list.setdefault(apps.get_app_config(meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


class _Serializer(PythonSerializer):
    """Django's serializer with natural keys only for content types and permissions."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in NATURAL_KEY_MODELS
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in NATURAL_KEY_MODELS
        super().handle_m2m_field(obj, field)


def _encode(value):
    """JSON for the values Django's serializer leaves as Python objects, at full precision
    (DjangoJSONEncoder would cut datetimes to milliseconds)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"Cannot serialize {type(value).__name__}")


def _querysets(model: type[models.Model], using: str) -> Iterator[list[models.Model]]:
    """The model's rows in chunks by primary key, with what serializing them needs joined."""
    meta = model._meta
    natural_fks = [
        f.name
        for f in meta.local_fields
        if f.is_relation and f.remote_field.model in NATURAL_KEY_MODELS
    ]
    m2m = []
    for f in meta.local_many_to_many:
        if f.remote_field.model is Permission:
            m2m.append(models.Prefetch(f.name, Permission.objects.select_related("content_type")))
        elif f.remote_field.through._meta.auto_created:
            m2m.append(models.Prefetch(f.name, f.remote_field.model._base_manager.only("pk")))
    base = (
        model._base_manager.using(using)
        .select_related(*natural_fks)
        .prefetch_related(*m2m)
        .order_by(meta.pk.attname)
    )
    last = None
    while True:
        chunk = base if last is None else base.filter(pk__gt=last)
        rows = list(chunk[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _migration_state(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _open_for_writing(path: Path):
    """A temporary file beside `path`, gzip when the name ends in .gz, renamed on success."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    os.close(handle)
    if path.suffix == ".gz":
        return temporary, gzip.open(temporary, "wt", encoding="utf-8")
    return temporary, open(temporary, "w", encoding="utf-8")  # noqa: SIM115


def write_backup(path: str | Path, using: str = DEFAULT_DB_ALIAS) -> Counter:
    """Write every row of the database to `path`, from one consistent snapshot.

    The file appears only once complete: it is written beside `path` and renamed.
    """
    path = Path(path)
    connection = connections[using]
    counts: Counter = Counter()
    digest = hashlib.sha256()
    temporary, stream = _open_for_writing(path)
    try:
        outermost = not connection.in_atomic_block
        with stream, transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            header = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": _migration_state(using),
            }
            stream.write(json.dumps(header) + "\n")
            for model in backed_up_models():
                for rows in _querysets(model, using):
                    serializer = _Serializer()
                    for item in serializer.serialize(rows):
                        line = json.dumps(item, default=_encode, ensure_ascii=False) + "\n"
                        digest.update(line.encode("utf-8"))
                        stream.write(line)
                    counts[model._meta.label_lower] += len(rows)
            trailer = {"end": True, "counts": dict(counts), "sha256": digest.hexdigest()}
            stream.write(json.dumps(trailer) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts


# --- restore -----------------------------------------------------------------------------------


@dataclass
class BackupFile:
    path: Path
    header: dict
    trailer: dict

    def object_lines(self) -> Iterator[str]:
        """The object lines, read again from the file (a backup can exceed memory)."""
        lines = _lines(self.path)
        next(lines)
        previous = None
        for line in lines:
            if previous is not None:
                yield previous
            previous = line


def _lines(path: Path) -> Iterator[str]:
    with open(path, "rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if compressed else open
    with opener(path, "rt", encoding="utf-8", newline="\n") as stream:
        for line in stream:
            yield line.rstrip("\n")


def read_backup(path: str | Path) -> BackupFile:
    """Check a backup file: its header, its trailer and the hash of its object lines.

    Raises BackupError for anything but a complete, unaltered backup of this application.
    """
    path = Path(path)
    header = trailer = None
    digest = hashlib.sha256()
    previous = None
    try:
        for line in _lines(path):
            if header is None:
                header = _json_or_none(line)
                if not isinstance(header, dict) or header.get("format") != FORMAT:
                    raise BackupError(f"{path} is not a backup of this application.")
                continue
            if previous is not None:
                digest.update((previous + "\n").encode("utf-8"))
            previous = line
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    if header is None:
        raise BackupError(f"{path} is empty.")
    if header.get("version") != VERSION:
        raise BackupError(f"{path} is a backup of format version {header.get('version')}.")
    trailer = _json_or_none(previous) if previous is not None else None
    if not isinstance(trailer, dict) or not trailer.get("end"):
        raise BackupError(f"{path} is incomplete: it stops before the end of the backup.")
    if digest.hexdigest() != trailer.get("sha256"):
        raise BackupError(f"{path} has been altered or damaged: its checksum does not match.")
    return BackupFile(path, header, trailer)


def _json_or_none(line: str):
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def _missing_migrations(header: dict, using: str) -> list[str]:
    here = _migration_state(using)
    return [
        f"{app_label}.{name}"
        for app_label, names in header.get("migrations", {}).items()
        for name in names
        if name not in here.get(app_label, [])
    ]


def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """No row in any table a backup carries (what migrate creates does not count)."""
    return not any(model._base_manager.using(using).exists() for model in backed_up_models())


def _tables(using: str) -> list[str]:
    """The tables a replacing restore empties: every backed-up model's, their many-to-many
    tables, and the sessions."""
    tables = set()
    for model in [*backed_up_models(), apps.get_model("sessions", "Session")]:
        tables.add(model._meta.db_table)
        for f in model._meta.local_many_to_many:
            tables.add(f.remote_field.through._meta.db_table)
    existing = set(connections[using].introspection.table_names())
    return sorted(tables & existing)


class _Inserter:
    """Inserts deserialized rows as they were: raw, so no signal writes history and
    auto_now timestamps keep their stored values; consecutive rows of one table go in batches."""

    def __init__(self, using: str):
        self.using = using
        self.connection = connections[using]
        self.batch: list[models.Model] = []
        self.links: list[tuple[models.Model, dict]] = []

    def add(self, deserialized) -> None:
        obj = deserialized.object
        if self.batch and type(self.batch[0]) is not type(obj):
            self.flush()
        self.batch.append(obj)
        if deserialized.m2m_data:
            self.links.append((obj, deserialized.m2m_data))
        if len(self.batch) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            model = type(self.batch[0])
            fields = model._meta.local_concrete_fields
            manager = model._base_manager.using(self.using)
            size = self.connection.ops.bulk_batch_size(fields, self.batch) or len(self.batch)
            for start in range(0, len(self.batch), size):
                manager._insert(self.batch[start : start + size], fields=fields, raw=True)
        for obj, m2m_data in self.links:
            for name, values in m2m_data.items():
                field = obj._meta.get_field(name)
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                through._base_manager.using(self.using).bulk_create(
                    through(**{f"{source}_id": obj.pk, f"{target}_id": value}) for value in values
                )
        self.batch, self.links = [], []


def restore_backup(path: str | Path, *, using: str = DEFAULT_DB_ALIAS, replace: bool = False):
    """Load a backup into the database, all or nothing.

    Refuses a database that holds data unless `replace`, which empties it first inside the same
    transaction. Checks every foreign key before committing and, on PostgreSQL, moves the id
    sequences past the restored rows.
    """
    backup = read_backup(path)
    missing = _missing_migrations(backup.header, using)
    if missing:
        raise BackupError(
            "This database lacks migrations the backup was made with ("
            + ", ".join(missing[:5])
            + (", ..." if len(missing) > 5 else "")
            + "); run `manage.py migrate` first."
        )
    connection = connections[using]
    counts: Counter = Counter()
    with transaction.atomic(using=using):
        if not database_is_empty(using):
            if not replace:
                raise BackupError(
                    "The database already holds data; restore into an empty database, or pass "
                    "--replace to delete everything in it first."
                )
            # PostgreSQL refuses to TRUNCATE a table with deferred checks pending in this
            # transaction (rows written before the restore started): run them now.
            connection.check_constraints()
            with connection.cursor() as cursor:
                for statement in connection.ops.sql_flush(no_style(), _tables(using)):
                    cursor.execute(statement)
        loaded_models = set()
        inserter = _Inserter(using)
        with connection.constraint_checks_disabled():
            try:
                items = (json.loads(line) for line in backup.object_lines())
                for deserialized in PythonDeserializer(items, using=using):
                    inserter.add(deserialized)
                    model = type(deserialized.object)
                    loaded_models.add(model)
                    counts[model._meta.label_lower] += 1
                inserter.flush()
            except (json.JSONDecodeError, serializers.base.DeserializationError) as error:
                raise BackupError(f"The backup cannot be read: {error}") from error
        expected = {label: n for label, n in backup.trailer.get("counts", {}).items() if n}
        if dict(counts) != expected:
            raise BackupError("The backup's rows do not match its own counts; nothing restored.")
        connection.check_constraints(table_names=_tables(using))
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(loaded_models)):
                cursor.execute(statement)
    # Cached pages and figures describe the data that was replaced.
    cache.clear()
    return counts
