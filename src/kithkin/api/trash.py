"""A network's trash: what was deleted in the last 30 days (a person, an interaction, a
follow-up: ``DELETE`` moves them there), and restoring one with every link; and a person's
History, the changes that touched them."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from kithkin import access
from kithkin.api.auth import grant
from kithkin.api.responses import reading, writing
from kithkin.queries.history import person_history
from kithkin.queries.trash import trash_rows
from kithkin.schemas.history import HistoryEntryOut, RestoredOut, TrashedItemOut
from kithkin.services.trash import restore

router = Router(tags=["history and trash"])


@router.get("/trash", response=reading(list[TrashedItemOut]), summary="What is in the trash")
def list_trash(request: HttpRequest, network_id: Path[int]) -> list[TrashedItemOut]:
    """Newest first (at most 500), each with who deleted it and how many days it has left."""
    return [TrashedItemOut.of(row) for row in trash_rows(grant(request).network)]


@router.post(
    "/trash/{int:item_id}/restore",
    response=writing(RestoredOut),
    summary="Restore from the trash",
)
def restore_item(request: HttpRequest, network_id: Path[int], item_id: int) -> RestoredOut:
    """Bring it back with its own id and every link, or a 422 problem when one of its ids
    was taken since (nothing changes)."""
    found = grant(request)
    item = access.trashed_item_for(found.actor.user, found.network, item_id)
    return RestoredOut.of(restore(found.network, found.actor.user, item))


@router.get(
    "/people/{int:person_id}/history",
    response=reading(list[HistoryEntryOut]),
    summary="A person's history",
)
def history(
    request: HttpRequest, network_id: Path[int], person_id: int, page: Query[int] = 1
) -> list[HistoryEntryOut]:
    """The changes that touched them, newest first, twenty a page (``page`` 1, 2...): who,
    when, what, and for an edit each field before → after."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    entries = person_history(found.network, person, page=max(page, 1)).entries
    return [HistoryEntryOut.of(entry) for entry in entries]
