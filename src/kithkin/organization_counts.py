"""Each organization's people there now (``Organization.people_count``), kept by the
database itself: the distinct people with a current tie there (``end_on`` empty), not
archived, me left out — what the Organizations page shows and sorts by, read from an
index (``organization_people``) instead of counted over every tie on each request.

Triggers keep it whichever code writes (a job added, ended, moved by a merge, deleted with
its person or organization; a person archived, restored, deleted, put back from the trash;
an import's bulk insert), one row at a time: a tie counts when it is the person's only
current one there. A new organization counts its people from nothing (rows may arrive in
any order within a transaction). SQLite: row triggers. PostgreSQL: statement triggers
over the transition tables for ties (an import's bulk insert counts in one grouped
statement), row triggers for people and organizations.

As ``interaction_days``, the triggers are (re)ensured after every migrate, since a SQLite
table rebuild drops them; creating them counts every organization again (:func:`recount`).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

from kithkin.doctor import Finding, check

PREFIX = "kithkin_org_people_"


def _listed(person: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM kithkin_person p WHERE p.id = {person} "
        "AND p.archived_at IS NULL AND NOT p.is_self)"
    )


def _tie(row: str, sign: str) -> str:
    """Count ``row``'s person at its organization (``+``) or no longer (``-``): when the
    tie is current, the person listed, and no other current tie of theirs is there."""
    return f"""UPDATE kithkin_organization SET people_count = people_count {sign} 1
        WHERE id = {row}.organization_id AND {row}.end_on IS NULL
        AND {_listed(f"{row}.person_id")}
        AND NOT EXISTS (SELECT 1 FROM kithkin_affiliation o
            WHERE o.organization_id = {row}.organization_id AND o.end_on IS NULL
            AND o.person_id = {row}.person_id AND o.id <> {row}.id);"""


def _person(row: str, sign: str) -> str:
    """Count ``row`` at every organization they are at now (``+``), or no longer (``-``)."""
    return f"""UPDATE kithkin_organization SET people_count = people_count {sign} 1
        WHERE id IN (SELECT organization_id FROM kithkin_affiliation
            WHERE person_id = {row}.id AND end_on IS NULL);"""


def _is_listed(row: str) -> str:
    return f"({row}.archived_at IS NULL AND NOT {row}.is_self)"


_TIE_MOVED = (
    "old.person_id <> new.person_id OR old.organization_id <> new.organization_id "
    "OR (old.end_on IS NULL) <> (new.end_on IS NULL)"
)
_LISTING_CHANGED = f"{_is_listed('old')} <> {_is_listed('new')}"
COUNTED = """(SELECT COUNT(DISTINCT a.person_id) FROM kithkin_affiliation a
    JOIN kithkin_person p ON p.id = a.person_id
    WHERE a.organization_id = kithkin_organization.id AND a.end_on IS NULL
    AND p.archived_at IS NULL AND NOT p.is_self)"""

_SQLITE_TRIGGERS = {
    f"{PREFIX}tie_ai": f"""CREATE TRIGGER {PREFIX}tie_ai AFTER INSERT ON kithkin_affiliation
        BEGIN {_tie("new", "+")} END""",
    f"{PREFIX}tie_ad": f"""CREATE TRIGGER {PREFIX}tie_ad AFTER DELETE ON kithkin_affiliation
        BEGIN {_tie("old", "-")} END""",
    f"{PREFIX}tie_au": f"""CREATE TRIGGER {PREFIX}tie_au
        AFTER UPDATE OF person_id, organization_id, end_on ON kithkin_affiliation
        WHEN {_TIE_MOVED} BEGIN {_tie("old", "-")} {_tie("new", "+")} END""",
    f"{PREFIX}person_ai": f"""CREATE TRIGGER {PREFIX}person_ai AFTER INSERT ON kithkin_person
        WHEN {_is_listed("new")} BEGIN {_person("new", "+")} END""",
    f"{PREFIX}person_ad": f"""CREATE TRIGGER {PREFIX}person_ad AFTER DELETE ON kithkin_person
        WHEN {_is_listed("old")} BEGIN {_person("old", "-")} END""",
    f"{PREFIX}person_au": f"""CREATE TRIGGER {PREFIX}person_au
        AFTER UPDATE OF archived_at, is_self ON kithkin_person
        WHEN {_LISTING_CHANGED} BEGIN
        UPDATE kithkin_organization SET people_count = people_count
            + CASE WHEN {_is_listed("new")} THEN 1 ELSE -1 END
        WHERE id IN (SELECT organization_id FROM kithkin_affiliation
            WHERE person_id = new.id AND end_on IS NULL);
    END""",
    f"{PREFIX}org_ai": f"""CREATE TRIGGER {PREFIX}org_ai AFTER INSERT ON kithkin_organization
        BEGIN UPDATE kithkin_organization SET people_count = {COUNTED} WHERE id = new.id; END""",
}


def _pg_ties(*sides: tuple[str, int]) -> str:
    """PostgreSQL, once per statement over its transition tables: for each (organization,
    person) whose current ties the statement changed, whether the person was there before
    (their current ties now, plus those the statement removed, less those it added) and is
    there now; the listed people's differences added to their organizations, grouped.
    Ties whose pair and currency an update kept (a new title) change nothing."""
    rows = " UNION ALL ".join(
        f"SELECT organization_id, person_id, {sign} AS n FROM {table} WHERE end_on IS NULL"
        for table, sign in sides
    )
    return f"""UPDATE kithkin_organization o SET people_count = o.people_count + d.n FROM (
        SELECT pair.organization_id, SUM((pair.now > 0)::int - (pair.now + pair.n > 0)::int) AS n
        FROM (SELECT c.organization_id, c.person_id, c.n, (SELECT COUNT(*)
                FROM kithkin_affiliation a WHERE a.organization_id = c.organization_id
                AND a.end_on IS NULL AND a.person_id = c.person_id) AS now
            FROM (SELECT organization_id, person_id, SUM(n) AS n FROM ({rows}) AS changed
                GROUP BY 1, 2 HAVING SUM(n) <> 0) AS c) AS pair
        JOIN kithkin_person p ON p.id = pair.person_id
            AND p.archived_at IS NULL AND NOT p.is_self
        GROUP BY 1) AS d
    WHERE o.id = d.organization_id AND d.n <> 0;"""


# PostgreSQL: one function per trigger (its body, then what it returns) and the trigger.
# Ties: statement triggers over the transition tables (an import's bulk insert counts its
# people in one grouped statement; after-row triggers would run at the statement's end,
# each seeing the other new ties of its person). Transition tables allow no column list
# nor WHEN: every update of ties runs it, and writes only when a count moved.
_PG = {
    f"{PREFIX}tie_ai": (
        _pg_ties(("new_rows", -1)),
        "NULL",
        "AFTER INSERT ON kithkin_affiliation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT",
    ),
    f"{PREFIX}tie_ad": (
        _pg_ties(("old_rows", 1)),
        "NULL",
        "AFTER DELETE ON kithkin_affiliation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT",
    ),
    f"{PREFIX}tie_au": (
        _pg_ties(("new_rows", -1), ("old_rows", 1)),
        "NULL",
        "AFTER UPDATE ON kithkin_affiliation REFERENCING OLD TABLE AS old_rows "
        "NEW TABLE AS new_rows FOR EACH STATEMENT",
    ),
    f"{PREFIX}person_ai": (
        _person("new", "+"),
        "NULL",
        f"AFTER INSERT ON kithkin_person FOR EACH ROW WHEN {_is_listed('NEW')}",
    ),
    f"{PREFIX}person_ad": (
        _person("old", "-"),
        "NULL",
        f"AFTER DELETE ON kithkin_person FOR EACH ROW WHEN {_is_listed('OLD')}",
    ),
    f"{PREFIX}person_au": (
        f"""UPDATE kithkin_organization SET people_count = people_count
            + CASE WHEN {_is_listed("new")} THEN 1 ELSE -1 END
        WHERE id IN (SELECT organization_id FROM kithkin_affiliation
            WHERE person_id = new.id AND end_on IS NULL);""",
        "NULL",
        "AFTER UPDATE OF archived_at, is_self ON kithkin_person FOR EACH ROW "
        f"WHEN ({_is_listed('OLD')} IS DISTINCT FROM {_is_listed('NEW')})",
    ),
    f"{PREFIX}org_ai": (
        f"UPDATE kithkin_organization SET people_count = {COUNTED} WHERE id = new.id;",
        "NULL",
        "AFTER INSERT ON kithkin_organization FOR EACH ROW",
    ),
}
_TABLES = {
    "tie": "kithkin_affiliation",
    "person": "kithkin_person",
    "org": "kithkin_organization",
}


def _table(name: str) -> str:
    return _TABLES[name[len(PREFIX) :].split("_")[0]]


def _has_column(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "kithkin_organization")
    return any(column.name == "people_count" for column in columns)


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    """Remove the triggers (the schema taken back before the column existed)."""
    with connection.cursor() as cursor:
        for name in _SQLITE_TRIGGERS:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_table(name)}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _existing(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{PREFIX}%"],
            )
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{PREFIX}%"])
        return {row[0] for row in cursor.fetchall()}


def ensure_schema(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers that are missing (and then count every organization again);
    without the column (migrated back before it), make sure none is left. Idempotent."""
    if connection.vendor not in ("sqlite", "postgresql"):  # pragma: no cover
        return
    if "kithkin_organization" not in connection.introspection.table_names() or not _has_column(
        connection
    ):
        drop_triggers(connection)
        return
    existing = _existing(connection)
    missing = [name for name in _SQLITE_TRIGGERS if name not in existing]
    with connection.cursor() as cursor:
        for name in missing:
            if connection.vendor == "sqlite":
                cursor.execute(_SQLITE_TRIGGERS[name])
                continue
            body, returned, when = _PG[name]
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN {body} RETURN {returned}; END $$"
            )
            cursor.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {name}()")
    if missing:
        recount(connection)


def recount(connection: BaseDatabaseWrapper, network_id: int | None = None) -> None:
    """Count the people at ``network_id``'s organizations (or everyone's) from nothing:
    what the triggers keep, as one statement (only the rows that differ are written)."""
    where, params = ("AND network_id = %s", [network_id]) if network_id is not None else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE kithkin_organization SET people_count = {COUNTED} "
            f"WHERE people_count <> {COUNTED} {where}",
            params,
        )


CHECK = "organization people counts"


@check(CHECK)
def counts_match() -> list[Finding]:
    """The triggers are there and every organization's stored count of its people equals
    them counted again (one grouped read of every current tie)."""
    from django.db import connection

    if len(_existing(connection)) < len(_SQLITE_TRIGGERS):
        return [
            Finding(
                CHECK,
                False,
                "the triggers that count each organization's people are missing: "
                "`kith stats --rebuild` makes them again and counts them",
            )
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT o.network_id, COUNT(*) FROM kithkin_organization o "
            f"WHERE o.people_count <> {COUNTED.replace('kithkin_organization.id', 'o.id')} "
            "GROUP BY o.network_id ORDER BY o.network_id"
        )
        wrong = cursor.fetchall()
        cursor.execute("SELECT COUNT(*) FROM kithkin_organization")
        (total,) = cursor.fetchone()
    if wrong:
        count = sum(n for _, n in wrong)
        networks = ", ".join(str(network_id) for network_id, _ in wrong)
        return [
            Finding(
                CHECK,
                False,
                f"{count} organization(s) with their people counted wrongly in network(s) "
                f"{networks}: run `kith stats --rebuild` in each",
            )
        ]
    return [Finding(CHECK, True, f"people at each organization: {total} counts match")]
