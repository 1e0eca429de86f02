"""An import's plan (`kith import --json`) and a Kithkin JSON restore."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Shape

if TYPE_CHECKING:
    from kithkin.importers.planned import ImportPlan, Merge, PlannedContact
    from kithkin.importers.records import RecordError
    from kithkin.models import ImportUpload


class ImportSummaryOut(Shape):
    """How many of each: people new, updated, unchanged, merged within the file;
    interactions and value received new, already there, or with no one known."""

    new: int
    updated: int
    unchanged: int
    merged: int
    interactions_new: int
    interactions_existing: int
    interactions_unmatched: int
    my_jobs: int
    values_new: int
    values_existing: int
    values_unmatched: int
    skipped: int
    errors: int


class PlannedPersonOut(Shape):
    """``action``: new, update or unchanged; ``person_id`` the person matched."""

    name: str
    line: int
    action: str
    person_id: int | None
    matched_by: str | None
    changes: list[str]
    merged_lines: list[int]

    @classmethod
    def of(cls, contact: PlannedContact) -> Self:
        return cls(
            name=contact.record.full_name,
            line=contact.record.line,
            action=contact.action,
            person_id=contact.person_id,
            matched_by=contact.matched_by or None,
            changes=contact.changes,
            merged_lines=[m.record.line for m in contact.merged],
        )


class PlannedMergeOut(Shape):
    path: str
    line: int
    name: str
    into: str
    reason: str

    @classmethod
    def of(cls, merge: Merge) -> Self:
        return cls(
            path=merge.record.path,
            line=merge.record.line,
            name=merge.record.full_name,
            into=merge.into,
            reason=merge.reason,
        )


class RecordErrorOut(Shape):
    """A record refused or skipped: the file, the line, the field and why."""

    path: str
    line: int
    field: str
    message: str

    @classmethod
    def of(cls, error: RecordError) -> Self:
        return cls(path=error.path, line=error.line, field=error.field, message=error.message)


class ImportPlanOut(Shape):
    """`kith import FORMAT PATH --json`: ``applied`` is false for a dry run or when the
    file changes nothing."""

    format: str
    path: str
    dry_run: bool
    summary: ImportSummaryOut
    people: list[PlannedPersonOut]
    merges: list[PlannedMergeOut]
    errors: list[RecordErrorOut]
    skipped: list[RecordErrorOut]
    applied: bool

    @classmethod
    def of(
        cls, plan: ImportPlan, format_name: str, path: Path, *, dry_run: bool, applied: bool
    ) -> Self:
        return cls(
            format=format_name,
            path=str(path),
            dry_run=dry_run,
            summary=ImportSummaryOut(**plan.summary),
            people=[PlannedPersonOut.of(c) for c in plan.contacts],
            merges=[PlannedMergeOut.of(m) for m in plan.merges],
            errors=[RecordErrorOut.of(e) for e in plan.errors],
            skipped=[RecordErrorOut.of(e) for e in plan.skipped],
            applied=applied,
        )


class RestoredCountsOut(Shape):
    people: int
    interactions: int
    follow_ups: int


class RestoreOut(Shape):
    """`kith import json PATH --json`: a Kithkin export restored into an empty network."""

    format: str
    path: str
    dry_run: bool
    restored: RestoredCountsOut


class UploadOut(Shape):
    """A file uploaded for import (the API's ``POST …/imports``): nothing is read until its
    plan is asked for; ``planned`` and ``applied`` say how far it went."""

    id: int
    name: str
    format: str
    size: int
    create_people: bool
    circle: str
    planned: bool
    applied: bool

    @classmethod
    def of(cls, upload: ImportUpload) -> Self:
        return cls(
            id=upload.pk,
            name=upload.original_name,
            format=upload.format,
            size=upload.size,
            create_people=upload.create_people,
            circle=upload.circle,
            planned=upload.planned_at is not None,
            applied=upload.applied_at is not None,
        )


class AppliedOut(Shape):
    """What applying an upload's plan wrote (``already_applied``: an earlier apply did, and
    these are its counts)."""

    upload: int
    already_applied: bool
    created: int
    updated: int
    interactions: int
    values: int

    @classmethod
    def of(cls, upload: ImportUpload, *, already_applied: bool) -> Self:
        counts = upload.applied or {}
        return cls(
            upload=upload.pk,
            already_applied=already_applied,
            created=counts.get("created", 0),
            updated=counts.get("updated", 0),
            interactions=counts.get("interactions", 0),
            values=counts.get("values", 0),
        )
