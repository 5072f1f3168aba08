"""Bulk inserts that Django's bulk_create does not do.

A District, CharterNetwork or CharterSchool is an Organization row plus a row of its own
(multi-table inheritance), and bulk_create refuses such models. `bulk_create_children` writes
them as one bulk insert of the parent rows, which returns the new keys, and multi-row inserts of
the children's own rows. Nothing sends signals: callers write the history rows themselves
(simple_history's bulk_history_create) and invalidate what caches the records.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def insert_rows(
    model: type[models.Model], fields: Sequence[models.Field], rows: Sequence[Sequence]
) -> None:
    """INSERT `rows` (values in the order of `fields`) into the model's own table, as multi-row
    statements in batches the backend accepts; each value prepared as a save() prepares it."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, connection.ops.bulk_batch_size(list(fields), rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [
                field.get_db_prep_save(value, connection)
                for row in chunk
                for field, value in zip(fields, row, strict=True)
            ]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([placeholders] * len(chunk))}",
                params,
            )


def bulk_create_children(
    model: type[models.Model], objects: list[models.Model], *, batch_size: int = 500
) -> list[models.Model]:
    """bulk_create for new records of a model that inherits one concrete model (District from
    Organization). The objects come back as saved: keys set, and the parent's fields as stored
    (auto_now timestamps are set by the parent's insert)."""
    parent_link = model._meta.pk
    if len(model._meta.get_parent_list()) != 1 or not parent_link.remote_field.parent_link:
        raise ValueError(f"{model.__name__} is not the child of one concrete model.")
    if not objects:
        return objects
    parent_model = parent_link.related_model
    parent_fields = [field for field in parent_model._meta.concrete_fields if not field.primary_key]
    parents = [
        parent_model(**{field.attname: getattr(obj, field.attname) for field in parent_fields})
        for obj in objects
    ]
    parent_model._default_manager.bulk_create(parents, batch_size=batch_size)
    for obj, parent in zip(objects, parents, strict=True):
        if parent.pk is None:
            raise RuntimeError(f"The database did not return the new {parent_model.__name__} keys.")
        # The parent link (the child's key) and the inherited key (`id`) hold the same value.
        obj.pk = parent.pk
        setattr(obj, parent_model._meta.pk.attname, parent.pk)
        for field in parent_fields:
            setattr(obj, field.attname, getattr(parent, field.attname))
        obj._state.adding = False
    own_fields = model._meta.local_concrete_fields
    insert_rows(
        model, own_fields, [[getattr(obj, f.attname) for f in own_fields] for obj in objects]
    )
    return objects
