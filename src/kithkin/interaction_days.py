"""Each network's interactions counted per UTC day and kind (``InteractionDay``, each
count spread over ``SHARDS`` rows by the interaction's id: sixteen people logging calls at
once would otherwise all wait on the day's one row, whose lock PostgreSQL holds until each
commit is flushed), kept by the database itself: triggers on ``kithkin_interaction`` add and take away as rows are
inserted, deleted or moved, whichever code writes them (a log, an import's bulk insert, a
delete to the trash, a restore, a merge). SQLite: one row trigger each (an upsert of one
small row). PostgreSQL: statement triggers over the transition tables, so an import's bulk
insert adds its counts in one grouped statement.

As the full-text triggers (``fulltext.ensure_schema``), they are (re)ensured after every
migrate, since a SQLite table rebuild drops them; creating them counts every row again
(:func:`recount`), so the totals never start from a gap.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from kithkin.doctor import Finding, check
from kithkin.models.insights import InteractionDay

TABLE = "kithkin_interactionday"
SHARDS = InteractionDay.SHARDS
_KEY = "(network_id, day, kind, shard)"

_SQLITE_TRIGGERS = {
    "kithkin_interaction_day_ai": f"""CREATE TRIGGER kithkin_interaction_day_ai
        AFTER INSERT ON kithkin_interaction BEGIN
        INSERT INTO {TABLE} (network_id, day, kind, shard, count)
        VALUES (new.network_id, date(new.occurred_at), new.kind, new.id % {SHARDS}, 1)
        ON CONFLICT {_KEY} DO UPDATE SET count = count + 1;
    END""",
    "kithkin_interaction_day_ad": f"""CREATE TRIGGER kithkin_interaction_day_ad
        AFTER DELETE ON kithkin_interaction BEGIN
        UPDATE {TABLE} SET count = count - 1 WHERE network_id = old.network_id
            AND day = date(old.occurred_at) AND kind = old.kind AND shard = old.id % {SHARDS};
        DELETE FROM {TABLE} WHERE network_id = old.network_id AND day = date(old.occurred_at)
            AND kind = old.kind AND shard = old.id % {SHARDS} AND count <= 0;
    END""",
    "kithkin_interaction_day_au": f"""CREATE TRIGGER kithkin_interaction_day_au
        AFTER UPDATE OF occurred_at, kind, network_id ON kithkin_interaction
        WHEN date(old.occurred_at) IS NOT date(new.occurred_at) OR old.kind <> new.kind
            OR old.network_id <> new.network_id BEGIN
        UPDATE {TABLE} SET count = count - 1 WHERE network_id = old.network_id
            AND day = date(old.occurred_at) AND kind = old.kind AND shard = old.id % {SHARDS};
        DELETE FROM {TABLE} WHERE network_id = old.network_id AND day = date(old.occurred_at)
            AND kind = old.kind AND shard = old.id % {SHARDS} AND count <= 0;
        INSERT INTO {TABLE} (network_id, day, kind, shard, count)
        VALUES (new.network_id, date(new.occurred_at), new.kind, new.id % {SHARDS}, 1)
        ON CONFLICT {_KEY} DO UPDATE SET count = count + 1;
    END""",
}

_PG_DAY = "(occurred_at AT TIME ZONE 'UTC')::date"


def _pg_counted(*sides: tuple[str, int]) -> str:
    """Add each transition table's rows (``+1``) or take them away (``-1``), as one grouped
    upsert of the net change (an edit of a summary changes nothing and writes nothing),
    then drop the days left at zero."""
    rows = " UNION ALL ".join(
        f"SELECT network_id, {_PG_DAY} AS day, kind, id % {SHARDS} AS shard, {sign} AS n "
        f"FROM {table}"
        for table, sign in sides
    )
    removed = [table for table, sign in sides if sign < 0]
    statement = f"""
        INSERT INTO {TABLE} AS t (network_id, day, kind, shard, count)
        SELECT network_id, day, kind, shard, SUM(n) FROM ({rows}) AS changed
        GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT {_KEY} DO UPDATE SET count = t.count + EXCLUDED.count;"""
    if removed:
        statement += f"""
        DELETE FROM {TABLE} WHERE count <= 0 AND (network_id, day, kind, shard) IN
            (SELECT DISTINCT network_id, {_PG_DAY}, kind, id % {SHARDS} FROM {removed[0]});"""
    return statement


_PG_FUNCTIONS = {
    "kithkin_interaction_day_added": _pg_counted(("new_rows", 1)),
    "kithkin_interaction_day_removed": _pg_counted(("old_rows", -1)),
    "kithkin_interaction_day_moved": _pg_counted(("new_rows", 1), ("old_rows", -1)),
}

_PG_TRIGGERS = {
    "kithkin_interaction_day_ai": "AFTER INSERT ON kithkin_interaction REFERENCING NEW TABLE "
    "AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kithkin_interaction_day_added()",
    "kithkin_interaction_day_ad": "AFTER DELETE ON kithkin_interaction REFERENCING OLD TABLE "
    "AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kithkin_interaction_day_removed()",
    # Transition tables allow no column list: every UPDATE runs it, and writes only when
    # a day or kind changed.
    "kithkin_interaction_day_au": "AFTER UPDATE ON kithkin_interaction REFERENCING OLD TABLE "
    "AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION kithkin_interaction_day_moved()",
}


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    """Remove the triggers (the schema taken back before the table existed)."""
    with connection.cursor() as cursor:
        for name in _SQLITE_TRIGGERS:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON kithkin_interaction")


def ensure_schema(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers that are missing (and then count every row again); without the
    table, or with a table migrated back before its shards, make sure none is left.
    Idempotent."""
    if TABLE not in connection.introspection.table_names() or "shard" not in _columns(connection):
        drop_triggers(connection)
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                "'kithkin_interaction_day_%'"
            )
            existing = {row[0] for row in cursor.fetchall()}
            missing = [sql for name, sql in _SQLITE_TRIGGERS.items() if name not in existing]
            for statement in missing:
                cursor.execute(statement)
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'kithkin_interaction_day_%'"
            )
            existing = {row[0] for row in cursor.fetchall()}
            for name, body in _PG_FUNCTIONS.items():
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
                    f"AS $$ BEGIN {body} RETURN NULL; END $$"
                )
            missing = [name for name in _PG_TRIGGERS if name not in existing]
            for name in missing:
                cursor.execute(f"CREATE TRIGGER {name} {_PG_TRIGGERS[name]}")
        else:  # pragma: no cover - Kithkin runs on SQLite and PostgreSQL only
            return
    if missing:
        recount(connection)


def _columns(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, TABLE)}


def recount(connection: BaseDatabaseWrapper, network_id: int | None = None) -> None:
    """Count ``network_id``'s interactions (or everyone's) per day, kind and shard from
    nothing: what the triggers keep, as one grouped statement."""
    day = "date(occurred_at)" if connection.vendor == "sqlite" else _PG_DAY
    where, params = ("WHERE network_id = %s", [network_id]) if network_id is not None else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} {where}", params)
        cursor.execute(
            f"INSERT INTO {TABLE} (network_id, day, kind, shard, count) "
            f"SELECT network_id, {day}, kind, id %% {SHARDS}, COUNT(*) "  # params: %% is %
            f"FROM kithkin_interaction {where} GROUP BY 1, 2, 3, 4",
            params,
        )


CHECK = "dashboard totals"


@check(CHECK)
def totals_match() -> list[Finding]:
    """The triggers are there and every network's stored counts equal its interactions
    counted again, shard by shard (one grouped read of them all)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                "'kithkin_interaction_day_%'"
            )
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'kithkin_interaction_day_%'"
            )
        (triggers,) = cursor.fetchone()
        day = "date(occurred_at)" if connection.vendor == "sqlite" else _PG_DAY
        cursor.execute(
            f"SELECT network_id, {day}, kind, id % {SHARDS}, COUNT(*) FROM kithkin_interaction "
            "GROUP BY 1, 2, 3, 4"
        )
        counted = {tuple(str(v) for v in row[:4]): row[4] for row in cursor.fetchall()}
        cursor.execute(f"SELECT network_id, day, kind, shard, count FROM {TABLE} WHERE count <> 0")
        stored = {tuple(str(v) for v in row[:4]): row[4] for row in cursor.fetchall()}
    if triggers < len(_PG_TRIGGERS):
        missing = "the triggers that count interactions are missing: `kith stats --rebuild` "
        return [Finding(CHECK, False, missing + "makes them again and counts every row")]
    wrong = {
        key[:3] for key in counted.keys() | stored.keys() if counted.get(key) != stored.get(key)
    }
    if wrong:
        networks = sorted({key[0] for key in wrong})
        return [
            Finding(
                CHECK,
                False,
                f"{len(wrong)} day(s) of interactions counted wrongly in network(s) "
                f"{', '.join(networks)}: run `kith stats --rebuild` in each",
            )
        ]
    return [Finding(CHECK, True, f"interactions per day and kind: {len(stored)} totals match")]
