"""Database functions the models index on, so the queries that use them and the indexes
that serve them are written once."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Func


class MonthDay(Func):
    """A date's "MM-DD", compared as text. On SQLite cut from the ISO text the date is
    stored as; on PostgreSQL built from ``extract`` (immutable, so it can be indexed, which
    ``to_char`` is not)."""

    output_field = CharField()
    template = (
        "(lpad(extract(month from %(expressions)s)::int::text, 2, '0') || '-' || "
        "lpad(extract(day from %(expressions)s)::int::text, 2, '0'))"
    )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 6, 5)")
