"""One snapshot for a whole export: every query inside sees the database as of one moment.

An export reads a network in some fifteen queries. Without one read transaction, a person
deleted between the query for people and the one for interaction participants made the
export fail (``KeyError``), and one added in between was half in it. Inside
``one_snapshot()``:

- PostgreSQL: one transaction, ``REPEATABLE READ, READ ONLY`` set as its first statement,
  so every query sees the snapshot taken at the first one.
- SQLite (WAL): one deferred ``BEGIN`` (Django's own transactions are ``IMMEDIATE`` and
  would take the write lock, stopping every writer for the length of the export); the
  snapshot starts at the first read and writers go on meanwhile.

Inside a transaction already (a caller's own, or a test's) the caller's transaction
decides what is seen, and nothing is started.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def one_snapshot() -> Iterator[None]:
    connection.ensure_connection()
    if connection.in_atomic_block or not connection.get_autocommit():
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    raw = connection.connection
    if getattr(raw, "in_transaction", False):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    except BaseException:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")
        raise
    with connection.cursor() as cursor:
        cursor.execute("COMMIT")  # read only: ends the snapshot, writes nothing
