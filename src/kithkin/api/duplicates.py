"""Likely duplicates (``queries.duplicates``): the pairs, a merge previewed then done
(``services.merge``), a pair dismissed. The people come through access.py."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from pydantic import Field

from kithkin import access
from kithkin.api.auth import grant
from kithkin.api.paging import queried
from kithkin.api.responses import reading, writing
from kithkin.models import Person
from kithkin.queries.duplicates import find_duplicates
from kithkin.schemas.base import Clean, PersonRef
from kithkin.schemas.duplicates import DuplicatePairOut, MergeOut, MergePreviewOut
from kithkin.services.merge import dismiss_duplicate, merge_people, preview_merge

router = Router(tags=["duplicates"])


class DuplicatesFilter(Clean):
    limit: int = Field(default=50, ge=1, le=10_000, description="At most this many pairs.")


def _pair(request: HttpRequest, person_id: int, other_id: int) -> tuple[Person, Person]:
    found = grant(request)
    user, network = found.actor.user, found.network
    return access.person_for(user, network, person_id), access.person_for(user, network, other_id)


@router.get("/duplicates", response=queried(list[DuplicatePairOut]), summary="Likely duplicates")
def list_duplicates(
    request: HttpRequest, network_id: Path[int], filters: Query[DuplicatesFilter]
) -> list[DuplicatePairOut]:
    """People who may be recorded twice, likeliest first (`kith dupes`), each pair with its
    score and reasons; ``a`` is the one added first. Dismissed pairs never come back.
    Ranked, not paged: ``limit`` bounds it."""
    network = grant(request).network
    return [DuplicatePairOut.of(pair) for pair in find_duplicates(network, limit=filters.limit)]


@router.get(
    "/duplicates/{int:person_id}/{int:other_id}/merge",
    response=reading(MergePreviewOut),
    summary="Preview a merge",
)
def preview(
    request: HttpRequest, network_id: Path[int], person_id: int, other_id: int
) -> MergePreviewOut:
    """What merging ``other_id`` into ``person_id`` would do; nothing is written."""
    found = grant(request)
    keep, other = _pair(request, person_id, other_id)
    return MergePreviewOut.of(preview_merge(found.network, found.actor.user, keep, other))


@router.post(
    "/duplicates/{int:person_id}/{int:other_id}/merge",
    response=writing(MergeOut),
    summary="Merge two people",
)
def merge(request: HttpRequest, network_id: Path[int], person_id: int, other_id: int) -> MergeOut:
    """Merge ``other_id`` into ``person_id`` (`kith merge KEEP OTHER --yes`): everything of
    both stays on the one kept; the other is deleted. The answer holds the preview of what
    was done. *Me* is never merged into someone (422)."""
    found = grant(request)
    keep, other = _pair(request, person_id, other_id)
    done = preview_merge(found.network, found.actor.user, keep, other)
    kept = merge_people(found.network, found.actor.user, keep, other)
    return MergeOut(merged=True, preview=MergePreviewOut.of(done), person=PersonRef.of(kept))


@router.post(
    "/duplicates/{int:person_id}/{int:other_id}/dismiss",
    response=writing(None, 204),
    summary="Not duplicates",
)
def dismiss(
    request: HttpRequest, network_id: Path[int], person_id: int, other_id: int
) -> Status[None]:
    """Remember that the two are two people: the pair is never suggested again."""
    found = grant(request)
    first, second = _pair(request, person_id, other_id)
    dismiss_duplicate(found.network, found.actor.user, first, second)
    return Status(204, None)
