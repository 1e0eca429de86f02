"""History and the trash: what changed about a person, and what was deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from kithkin.schemas.base import Instant, Shape

if TYPE_CHECKING:
    from kithkin.queries.history import HistoryEntry
    from kithkin.queries.trash import TrashRow
    from kithkin.services.trash import Restored


class FieldChangeOut(Shape):
    """One field of an edit: what it was and what it became (dates as ISO text, a list
    of tags as a list)."""

    field: str
    before: Any
    after: Any


class HistoryEntryOut(Shape):
    """One change that touched the person: who made it, when, what (the change's kind, as
    webhooks name it, and as a phrase), which fields and, for an edit, before → after."""

    id: int
    kind: str
    occurred_at: Instant
    who: str
    says: str
    fields: list[str]
    values: list[FieldChangeOut]

    @classmethod
    def of(cls, entry: HistoryEntry) -> Self:
        return cls(
            id=entry.change_id,
            kind=entry.kind,
            occurred_at=entry.occurred_at,
            who=entry.who,
            says=entry.says,
            fields=entry.fields,
            values=[
                FieldChangeOut(field=value.field, before=value.before, after=value.after)
                for value in entry.values
            ],
        )


class TrashedItemOut(Shape):
    """Something deleted and still in the trash: restore it by ``id`` (`kith trash restore
    ID`) for ``days_left`` more days."""

    id: int
    kind: str  # person, interaction, follow_up
    record_id: int
    name: str
    deleted_by: str
    deleted_at: Instant
    days_left: int

    @classmethod
    def of(cls, row: TrashRow) -> Self:
        return cls(
            id=row.id,
            kind=row.kind,
            record_id=row.record_id,
            name=row.name,
            deleted_by=row.deleted_by,
            deleted_at=row.deleted_at,
            days_left=row.days_left,
        )


class RestoredOut(Shape):
    """What came back from the trash, with its own id; ``left_out``: rows tied to records
    deleted for good since."""

    kind: str
    record_id: int
    name: str
    left_out: int

    @classmethod
    def of(cls, restored: Restored) -> Self:
        return cls(
            kind=restored.item_kind,
            record_id=restored.record_id,
            name=restored.name,
            left_out=restored.left_out,
        )
