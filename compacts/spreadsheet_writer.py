"""Writing a checked spreadsheet import: every row in one transaction, in bulk, with history.

Through the per-record services, 20,000 rows cost about 100,000 queries (lock, full_clean's
checks, save, history, dashboard invalidation each): a minute, twice the request timeout. The
plan has already run full_clean() on every row (compacts.spreadsheets); here the rows are
written as the services would write them, a few queries per 500 rows:
- the version each changed row was exported at is compared, rows locked, in one query per
  chunk, and any row changed since refuses the whole import (core.concurrency's rule);
- inserts in bulk, updates as one statement run per set of changed fields; each created or
  changed record with its history row authored by the actor (a commitment's version also
  records its opt-in participants, as a save does);
- the dashboards of the touched cities are invalidated at once and after commit (bulk writes
  send no signals; see core.changes).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from compacts.models import Commitment, Milestone
from core.changes import cities_changed
from core.concurrency import is_current
from schools.importers.parsing import RowError

BATCH = 500
CHUNK = 5000
STALE = "Changed by someone else while this import ran: import the workbook again."


class WorkbookStale(Exception):
    """A record changed between the check and the write; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def write_plan(commitment_rows: list, milestone_rows: list, *, actor) -> None:
    """Write the rows of a clean plan (compacts.spreadsheets.RowPlan), all or nothing."""
    now = timezone.now()
    history = {"default_user": actor, "default_date": now}
    cities: set[int] = set()
    try:
        with transaction.atomic():
            _check_versions(Commitment, commitment_rows)
            _check_versions(Milestone, milestone_rows)
            created = _create(
                Commitment,
                [(row, {"compact": row.compact}) for row in commitment_rows if not row.instance],
                now,
                history,
            )
            _update(Commitment, [row for row in commitment_rows if row.instance], now, history)
            new_by_row = {row.row: commitment for row, commitment in created}
            _create(
                Milestone,
                [
                    (row, {"commitment": row.commitment or new_by_row[row.commitment_row]})
                    for row in milestone_rows
                    if not row.instance
                ],
                now,
                history,
            )
            _update(Milestone, [row for row in milestone_rows if row.instance], now, history)
            cities = _cities(commitment_rows, milestone_rows, new_by_row)
            transaction.on_commit(lambda: cities_changed(cities))
    except IntegrityError as error:
        first = (commitment_rows or milestone_rows)[0]
        raise WorkbookStale(
            [
                RowError(
                    first.row,
                    "(row)",
                    first.label,
                    f"The database refused the import ({error}): import the workbook again.",
                    first.sheet,
                )
            ]
        ) from error
    cities_changed(cities)


def _check_versions(model, rows: list) -> None:
    """Lock the rows to change and refuse them all if any changed since it was exported."""
    changing = {row.instance.pk: row for row in rows if row.instance is not None}
    ids = sorted(changing)
    stored = {}
    for start in range(0, len(ids), CHUNK):
        stored.update(
            model._default_manager.select_for_update()
            .filter(pk__in=ids[start : start + CHUNK])
            .order_by()
            .in_bulk()
        )
    stale = [
        RowError(row.row, "(row)", row.label, STALE, row.sheet)
        for pk, row in changing.items()
        if pk not in stored or not is_current(stored[pk], row.version)
    ]
    if stale:
        raise WorkbookStale(sorted(stale, key=lambda error: error.row))


def _create(model, rows: list[tuple], now, history) -> list[tuple]:
    """Insert new records (row, parent) with their creation history; returns (row, record)."""
    records = [
        model(**parent, **row.values, created_at=now, updated_at=now) for row, parent in rows
    ]
    if not records:
        return []
    model._default_manager.bulk_create(records, batch_size=BATCH)
    model.history.bulk_history_create(records, batch_size=BATCH, **history)
    return [(row, record) for (row, _), record in zip(rows, records, strict=True)]


def _update(model, rows: list, now, history) -> None:
    if not rows:
        return
    records = []
    by_fields: dict[tuple[str, ...], list] = {}
    for row in rows:
        record = row.instance
        for name, value in row.values.items():
            setattr(record, name, value)
        record.updated_at = now
        records.append(record)
        by_fields.setdefault((*sorted(row.values), "updated_at"), []).append(record)
    for names, group in by_fields.items():
        _update_rows(model, names, group)
    versions = model.history.bulk_history_create(records, batch_size=BATCH, update=True, **history)
    if model is Commitment:
        _version_participants(records, versions)


def _update_rows(model, names: tuple[str, ...], records: list) -> None:
    """UPDATE the named fields of each record, one statement run for every record.

    Django's bulk_update writes a CASE per field and row, which costs 10 s for 20,000 rows;
    executemany() of one plain UPDATE costs a fraction of a second on SQLite and PostgreSQL.
    """
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    pk = model._meta.pk
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(record, field.attname), connection) for field in fields]
        + [pk.get_db_prep_value(record.pk, connection)]
        for record in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _version_participants(commitments: list, versions: list) -> None:
    """Give each new version the commitment's opt-in participants, as a save() records them."""
    field = Commitment._meta.get_field("participants")
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if not versions:
        return
    # A version's `id` is the commitment's own (its key is history_id).
    version_of = {version.id: version for version in versions}
    links = through.objects.filter(
        **{f"{source}_id__in": [commitment.pk for commitment in commitments]}
    ).values_list("pk", f"{source}_id", f"{target}_id")
    versioned = versions[0].participants.model
    versioned.objects.bulk_create(
        (
            versioned(
                history=version_of[commitment_id],
                id=pk,
                **{f"{source}_id": commitment_id, f"{target}_id": target_id},
            )
            for pk, commitment_id, target_id in links
        ),
        batch_size=BATCH,
    )


def _cities(commitment_rows: list, milestone_rows: list, new_by_row: dict) -> set[int]:
    """The cities whose figures the rows change, from the compacts the plan already loaded."""
    cities = set()
    for row in commitment_rows:
        cities.add((row.instance or row).compact.city_id)
    for row in milestone_rows:
        commitment = (
            row.instance.commitment
            if row.instance
            else row.commitment or new_by_row[row.commitment_row]
        )
        cities.add(commitment.compact.city_id)
    return cities
