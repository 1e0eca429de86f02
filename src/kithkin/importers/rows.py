"""Insert many rows without building a model instance for each.

Django's bulk_create compiles every value through the ORM; for the hundred thousand
contact points and jobs of a large import that costs ten times the database's own work.
Here one parameterised INSERT runs with executemany, and only date and time values go
through their field's own preparation, so they are stored exactly as the ORM stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

CHUNK = 5000


def insert_rows(
    model: type[models.Model], field_names: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> None:
    """INSERT ``rows`` (values in ``field_names`` order) into ``model``'s table, skipping
    rows that would break a unique constraint."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)  # type: ignore[union-attr]
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    dated = [
        (index, field)
        for index, field in enumerate(fields)
        if field.get_internal_type() in {"DateField", "DateTimeField"}
    ]
    if dated:
        prepared = []
        last: dict[int, tuple[object, object]] = {}  # a value every row shares (``now``)
        for row in rows:
            values = list(row)
            for index, field in dated:
                value = values[index]
                seen = last.get(index)
                if seen is not None and seen[0] is value:
                    values[index] = seen[1]
                    continue
                values[index] = field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
                last[index] = (value, values[index])
            prepared.append(tuple(values))
        rows = prepared
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk: Any = rows[start : start + CHUNK]
            cursor.executemany(sql, chunk)
