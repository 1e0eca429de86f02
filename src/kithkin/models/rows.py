"""Insert many rows without building a model instance for each; look many values up with
one parameter (:func:`one_of`).

Django's bulk_create compiles every value through the ORM; for the hundred thousand
contact points and jobs of a large import that costs ten times the database's own work.
Here one parameterised INSERT runs with executemany, and only date, time and JSON values
go through the database's own adaptation, so they are stored exactly as the ORM stores them.
Rows can be prepared (:func:`prepare_rows`) before the write transaction begins, so the
write lock is held for the inserts only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.expressions import RawSQL

CHUNK = 5000


@dataclass
class PreparedRows:
    """Rows whose values are ready for the database, in ``field_names`` order."""

    model: type[models.Model]
    field_names: Sequence[str]
    rows: list[tuple[object, ...]]


def prepare_rows(
    model: type[models.Model], field_names: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> PreparedRows:
    """Turn dates and times into what the database stores. No query: this can run before
    the transaction."""
    connection = connections[DEFAULT_DB_ALIAS]  # not the proxy: read once per value below
    fields = [model._meta.get_field(name) for name in field_names]
    dated = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() in {"DateField", "DateTimeField"}
    ]
    as_json = [
        (index, field.encoder)  # type: ignore[union-attr]
        for index, field in enumerate(fields)
        if field.get_internal_type() == "JSONField"
    ]
    if (not dated and not as_json) or not rows:
        return PreparedRows(model, field_names, list(rows))
    adapt_instant = connection.ops.adapt_datetimefield_value
    adapt_json = connection.ops.adapt_json_value
    prepared = []
    last: dict[int, tuple[object, object]] = {}  # a value every row shares (``now``)
    # Each distinct date of a column adapted once (a date, not a datetime: it has no zone).
    days: dict[int, dict[dt.date, object]] = {index: {} for index, _ in dated}
    for row in rows:
        values = list(row)
        for index, encoder in as_json:  # as JSONField.get_db_prep_value does
            values[index] = adapt_json(values[index], encoder)
        for index, field in dated:
            value = values[index]
            seen = last.get(index)
            if seen is not None and seen[0] is value:
                values[index] = seen[1]
                continue
            if type(value) is dt.date:
                adapted = days[index].get(value)
                if adapted is None:
                    adapted = days[index][value] = field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
                values[index] = adapted
                continue
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                # What DateTimeField.get_db_prep_save does with an aware instant, without
                # its checks for naive ones (a fifth of a 200,000-row import's time).
                values[index] = adapt_instant(value)
            else:
                values[index] = field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
            last[index] = (value, values[index])
        prepared.append(tuple(values))
    return PreparedRows(model, field_names, prepared)


def insert_rows(
    model: type[models.Model], field_names: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> int:
    """INSERT ``rows`` (values in ``field_names`` order) into ``model``'s table, skipping
    rows that would break a unique constraint. Returns how many were inserted."""
    return insert_prepared(prepare_rows(model, field_names, rows))


def insert_prepared(prepared: PreparedRows) -> int:
    """INSERT rows made by :func:`prepare_rows`, skipping those that would break a unique
    constraint. Returns how many were inserted."""
    if not prepared.rows:
        return 0
    connection = connections[DEFAULT_DB_ALIAS]
    model = prepared.model
    fields = [model._meta.get_field(name) for name in prepared.field_names]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)  # type: ignore[union-attr]
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(prepared.rows), CHUNK):
            chunk: Any = prepared.rows[start : start + CHUNK]
            cursor.executemany(sql, chunk)
            inserted += max(cursor.rowcount, 0)
    return inserted


def update_rows(
    model: type[models.Model], field_names: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> None:
    """UPDATE ``field_names`` of many rows, each to its own values: ``rows`` of (pk, values
    in ``field_names`` order). One parameterised statement run with executemany, where
    Django's bulk_update compiles a CASE over every row for every column."""
    if not rows:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    key = model._meta.pk
    assert key is not None
    prepared = prepare_rows(model, (*field_names, key.name), [(*r[1:], r[0]) for r in rows])
    fields = [model._meta.get_field(name) for name in field_names]
    assignments = ", ".join(
        f"{connection.ops.quote_name(str(field.column))} = %s"  # type: ignore[union-attr]
        for field in fields
    )
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(str(key.column))
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(prepared.rows), CHUNK):
            chunk: Any = prepared.rows[start : start + CHUNK]
            cursor.executemany(sql, chunk)


def reserve_ids(model: type[models.Model], count: int, *, above: int = 0) -> list[int]:
    """``count`` primary keys no row of ``model`` has had or will get, for rows about to be
    inserted with :func:`insert_rows`, so children can point at them without reading
    them back; all above ``above``. Inside the write transaction: on SQLite above the
    table's AUTOINCREMENT high-water mark (the write lock is held), on PostgreSQL from the
    table's own sequence."""
    if count <= 0:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    table = model._meta.db_table
    key = model._meta.pk
    assert key is not None
    assert connection.in_atomic_block
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, key.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        first = max(found[0] if found else 0, above) + 1
        return list(range(first, first + count))


def one_of(values: Collection[int] | Collection[str], *, text: bool = False) -> RawSQL:
    """``values`` as one parameter, for ``field__in=one_of(values)``: a JSON array on
    SQLite, an array on PostgreSQL. Bound one by one, hundreds of values cost Django more
    than the lookup costs the database, and SQLite allows a bounded number of parameters.
    ``text``: the values are strings (else integers)."""
    listed = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{'text' if text else 'bigint'}[])", [listed])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(listed)])
