"""Each database's own full-text engine behind one interface: SQLite FTS5, PostgreSQL tsvector.

The searchable text lives in ordinary columns (``Person.search_text`` and an interaction's
summary, learned and next-time questions). On SQLite, FTS5 tables index those columns
through triggers; on PostgreSQL, a stored ``tsvector`` column generated from them
(``search_vector``) carries a GIN index, and ranking reads the stored vector instead of
parsing every matching document again. The schema is (re)ensured after every migrate
because SQLite table rebuilds drop triggers. The ORM never sees ``search_vector``: the
database computes it on every insert and update.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

_SQLITE_SCHEMA = [
    # People: one document per person (name, organizations, emails, tags, notes...).
    """CREATE VIRTUAL TABLE IF NOT EXISTS kithkin_person_fts USING fts5(
        search_text, content='kithkin_person', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    # Paused like the interactions' trigger below while an import inserts people in bulk
    # (people_indexed_in_bulk): row by row, it cost as much as the inserts themselves.
    "CREATE TABLE IF NOT EXISTS kithkin_person_fts_paused (since_id INTEGER NOT NULL)",
    "DROP TRIGGER IF EXISTS kithkin_person_fts_ai",  # an earlier one had no WHEN
    """CREATE TRIGGER kithkin_person_fts_ai AFTER INSERT ON kithkin_person
        WHEN NOT EXISTS (SELECT 1 FROM kithkin_person_fts_paused) BEGIN
        INSERT INTO kithkin_person_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS kithkin_person_fts_ad AFTER DELETE ON kithkin_person BEGIN
        INSERT INTO kithkin_person_fts(kithkin_person_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS kithkin_person_fts_au
        AFTER UPDATE OF search_text ON kithkin_person BEGIN
        INSERT INTO kithkin_person_fts(kithkin_person_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO kithkin_person_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    # Interactions: what was said, learned and is to be asked next time.
    """CREATE VIRTUAL TABLE IF NOT EXISTS kithkin_interaction_fts USING fts5(
        summary, learned, next_questions, content='kithkin_interaction', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    # While a bulk import holds a row here (inside its own transaction), new interactions
    # are indexed by one statement at its end (interactions_indexed_in_bulk): the trigger,
    # row by row, cost twice the inserts themselves (200,000: 7 s of 11 s).
    "CREATE TABLE IF NOT EXISTS kithkin_fts_paused (since_id INTEGER NOT NULL)",
    "DROP TRIGGER IF EXISTS kithkin_interaction_fts_ai",  # an earlier one had no WHEN
    """CREATE TRIGGER kithkin_interaction_fts_ai
        AFTER INSERT ON kithkin_interaction
        WHEN NOT EXISTS (SELECT 1 FROM kithkin_fts_paused) BEGIN
        INSERT INTO kithkin_interaction_fts(rowid, summary, learned, next_questions)
        VALUES (new.id, new.summary, new.learned, new.next_questions);
    END""",
    """CREATE TRIGGER IF NOT EXISTS kithkin_interaction_fts_ad
        AFTER DELETE ON kithkin_interaction BEGIN
        INSERT INTO kithkin_interaction_fts(
            kithkin_interaction_fts, rowid, summary, learned, next_questions)
        VALUES ('delete', old.id, old.summary, old.learned, old.next_questions);
    END""",
    """CREATE TRIGGER IF NOT EXISTS kithkin_interaction_fts_au
        AFTER UPDATE OF summary, learned, next_questions ON kithkin_interaction BEGIN
        INSERT INTO kithkin_interaction_fts(
            kithkin_interaction_fts, rowid, summary, learned, next_questions)
        VALUES ('delete', old.id, old.summary, old.learned, old.next_questions);
        INSERT INTO kithkin_interaction_fts(rowid, summary, learned, next_questions)
        VALUES (new.id, new.summary, new.learned, new.next_questions);
    END""",
]

_INTERACTION_DOCUMENT = (
    "to_tsvector('simple', coalesce(summary, '') || ' ' || coalesce(learned, '') || ' ' "
    "|| coalesce(next_questions, ''))"
)
_PERSON_DOCUMENT = "to_tsvector('simple', coalesce(search_text, ''))"
# The stored column each PostgreSQL query matches and ranks on.
SEARCH_VECTOR = "search_vector"

_POSTGRES_SCHEMA = [
    # Expression indexes of earlier versions: ranking re-parsed every match from them.
    "DROP INDEX IF EXISTS kithkin_person_fts",
    "DROP INDEX IF EXISTS kithkin_interaction_fts",
    "ALTER TABLE kithkin_person ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({_PERSON_DOCUMENT}) STORED",
    "ALTER TABLE kithkin_interaction ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({_INTERACTION_DOCUMENT}) STORED",
    "CREATE INDEX IF NOT EXISTS kithkin_person_search_vector ON kithkin_person "
    "USING GIN (search_vector)",
    "CREATE INDEX IF NOT EXISTS kithkin_interaction_search_vector ON kithkin_interaction "
    "USING GIN (search_vector)",
]


def _indexed_in_bulk(
    table: str, trigger: str, paused: str, index: str, columns: str
) -> Iterator[int]:
    """Inside a transaction: the rows of ``table`` inserted within are indexed in one
    statement at the end instead of by ``trigger`` row by row (SQLite). PostgreSQL's
    generated column needs nothing. Yields the newest id before the inserts: every row
    above it is new (the write lock is held).

    In the outermost transaction (``kith import``, the web's confirm) the trigger is
    dropped for the inserts and created again, from its own stored SQL, before the
    transaction ends: a trigger on the table, even one that does nothing for the row,
    costs SQLite ~15 us an insert (half of 30,000 people's). Schema changes are part of
    the transaction, so no other connection ever sees the table without its trigger,
    and a rollback brings it back. Under a savepoint the trigger is paused instead, by a
    row of ``paused`` that its WHEN clause reads: with a schema change in the
    transaction, SQLite answers a full disk by rolling back the whole transaction, and
    the savepoint its caller would roll back to would be gone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        (since,) = cursor.fetchone()
    if connection.vendor != "sqlite":
        yield since
        return
    assert connection.in_atomic_block, "the pause must end with its transaction"
    stored = None
    with connection.cursor() as cursor:
        if connection.savepoint_ids:
            cursor.execute(f"INSERT INTO {paused} (since_id) VALUES (%s)", [since])
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger]
            )
            stored = cursor.fetchone()  # None: no trigger (ensure_schema has not run)
            if stored is not None:
                cursor.execute(f"DROP TRIGGER {trigger}")
    try:
        yield since
    except BaseException:
        if stored is not None:
            _put_back(trigger, stored[0])
        raise
    with connection.cursor() as cursor:
        if stored is not None:
            cursor.execute(stored[0])
        else:
            cursor.execute(f"DELETE FROM {paused}")
        cursor.execute(
            f"INSERT INTO {index}(rowid, {columns}) SELECT id, {columns} FROM {table} "
            "WHERE id > %s",
            [since],
        )


def _put_back(trigger: str, created: str) -> None:
    """After a failure inside ``_indexed_in_bulk``: the trigger again, for a caller that
    goes on in the same transaction. Best effort: when the failure broke the transaction
    (SQLite rolls it back itself on a full disk), its rollback has brought the trigger
    back."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [trigger]
            )
            if cursor.fetchone() is None:
                cursor.execute(created)
    except DatabaseError:
        pass


@contextmanager
def interactions_indexed_in_bulk() -> Iterator[int]:
    """The interactions inserted within are indexed at the end (``_indexed_in_bulk``)."""
    yield from _indexed_in_bulk(
        "kithkin_interaction",
        "kithkin_interaction_fts_ai",
        "kithkin_fts_paused",
        "kithkin_interaction_fts",
        "summary, learned, next_questions",
    )


@contextmanager
def people_indexed_in_bulk() -> Iterator[int]:
    """The people inserted within are indexed at the end (``_indexed_in_bulk``). Change no
    one's ``search_text`` within: only the new rows are indexed at the end."""
    yield from _indexed_in_bulk(
        "kithkin_person",
        "kithkin_person_fts_ai",
        "kithkin_person_fts_paused",
        "kithkin_person_fts",
        "search_text",
    )


def ensure_schema(connection: BaseDatabaseWrapper) -> None:
    """Create the full-text tables, triggers or indexes that are missing. Idempotent."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'kithkin_%_fts'"
            )
            existing = {row[0] for row in cursor.fetchall()}
            for statement in _SQLITE_SCHEMA:
                cursor.execute(statement)
            # A table created just now must index the rows that were already there.
            for table in ("kithkin_person_fts", "kithkin_interaction_fts"):
                if table not in existing:
                    cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            for statement in _POSTGRES_SCHEMA:
                cursor.execute(statement)


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Zoë' and 'zoe' meet on every database."""
    if text.isascii():  # most names and addresses: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of ``text``, folded: 'Ada@Example.org' -> ['ada', 'example', 'org']."""
    return _WORD.findall(fold(text))


def sqlite_match(query: str) -> str | None:
    """An FTS5 MATCH expression: every word of the query, as a prefix. None if no words."""
    terms = words(query)
    return " ".join(f'"{term}"*' for term in terms) if terms else None


def postgres_tsquery(query: str) -> str | None:
    """A to_tsquery('simple', ...) expression: every word of the query, as a prefix."""
    terms = words(query)
    return " & ".join(f"{term}:*" for term in terms) if terms else None


def sqlite_match_any(query: str) -> str | None:
    """An FTS5 MATCH expression: any word of the query, as a prefix. None if no words."""
    terms = words(query)
    return " OR ".join(f'"{term}"*' for term in terms) if terms else None


def postgres_tsquery_any(query: str) -> str | None:
    """A to_tsquery('simple', ...) expression: any word of the query, as a prefix."""
    terms = words(query)
    return " | ".join(f"{term}:*" for term in terms) if terms else None
