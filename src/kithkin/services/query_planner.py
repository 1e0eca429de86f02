"""Keep the query planner's statistics current, on SQLite as on PostgreSQL.

Without statistics SQLite guesses that every index is as selective as any other: logging a
meeting walked the (network, occurred_at) index through a million interactions (~1.5 s,
holding the write lock) where, after ``ANALYZE``, it reads one person's few (2.5 ms).
Statistics are refreshed after whatever changes the data's shape at once: a migration, an
import, the demo network; and on SQLite on the worker's schedule, as everyday writes add up. Each refresh is bounded: SQLite samples at most
``SQLITE_ANALYSIS_LIMIT`` rows per index, PostgreSQL samples by design.
"""

from __future__ import annotations

from django.db import connection, transaction

SQLITE_ANALYSIS_LIMIT = 2000


def refresh_statistics() -> None:
    """Re-gather the planner statistics of every table (run outside a transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def refresh_on_schedule() -> None:
    """On the worker's schedule (``kithkin.housekeeping``): on SQLite the bounded
    ``ANALYZE`` (SQLite's ``PRAGMA optimize`` only looks at tables its own connection has
    queried, and this runs on a connection of its own). PostgreSQL's autovacuum analyzes
    tables as they change by itself."""
    if connection.vendor == "sqlite":
        refresh_statistics()


def refresh_statistics_after_commit() -> None:
    """After a bulk write: refresh once the surrounding transaction has committed."""
    transaction.on_commit(refresh_statistics)
