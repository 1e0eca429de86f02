"""Likely duplicates (`kith dupes`) and merging two people (`kith merge`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import PersonRef, Shape
from kithkin.schemas.people import AffiliationOut, ContactPointOut, PersonSummaryOut

if TYPE_CHECKING:
    from kithkin.queries.duplicates import DuplicatePair
    from kithkin.services.merge import MergePreview


class DuplicatePairOut(Shape):
    """``a`` is the one added first (the lower id); ``score`` 0 to 1."""

    score: float
    a: PersonSummaryOut
    b: PersonSummaryOut
    reasons: list[str]

    @classmethod
    def of(cls, pair: DuplicatePair) -> Self:
        return cls(
            score=pair.score,
            a=PersonSummaryOut.of(pair.a),
            b=PersonSummaryOut.of(pair.b),
            reasons=pair.reasons,
        )


class MergePreviewOut(Shape):
    """What merging OTHER into KEEP does: contact points and affiliations are shaped as on
    the person card."""

    keep: PersonRef
    other: PersonRef
    contact_points_added: list[ContactPointOut]
    contact_points_already_there: list[ContactPointOut]
    tags_added: list[str]
    affiliations_added: list[AffiliationOut]
    affiliations_combined: list[AffiliationOut]
    interactions_moved: int
    interactions_shared: int
    follow_ups_moved: int
    relationships_moved: int
    relationships_dropped: int
    introductions_moved: int
    fields_filled: dict[str, str]
    notes: str

    @classmethod
    def of(cls, preview: MergePreview) -> Self:
        return cls(
            keep=PersonRef.of(preview.keep),
            other=PersonRef.of(preview.other),
            contact_points_added=[ContactPointOut.of(p) for p in preview.contact_points_added],
            contact_points_already_there=[
                ContactPointOut.of(p) for p in preview.contact_points_already_there
            ],
            tags_added=preview.tags_added,
            affiliations_added=[AffiliationOut.of(a) for a in preview.affiliations_added],
            affiliations_combined=[AffiliationOut.of(a) for a, _ in preview.affiliations_combined],
            interactions_moved=preview.interactions_moved,
            interactions_shared=preview.interactions_shared,
            follow_ups_moved=preview.follow_ups_moved,
            relationships_moved=preview.relationships_moved,
            relationships_dropped=preview.relationships_dropped,
            introductions_moved=preview.introductions_moved,
            fields_filled=preview.fields_filled,
            notes=preview.notes,
        )


class MergeOut(Shape):
    """`kith merge`: without --yes only the preview (``merged`` false, ``person`` null)."""

    merged: bool
    preview: MergePreviewOut
    person: PersonRef | None
