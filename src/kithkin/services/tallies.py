"""Each person's interaction tally (``InteractionTally``): counted in the same grouped
aggregate that finds their latest interaction (``refresh_check_ins``), stored only where
it changed. The counting rules are here and nowhere else; triage reads the result."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q

from kithkin.models import Interaction, InteractionTally
from kithkin.models.interactions import MEETING_KINDS, MESSAGE_KINDS, is_invitation

Tally = tuple[Any, ...]  # InteractionTally.FIELDS, in order


def aggregates() -> dict[str, Any]:
    """The tally of each person, as aggregates over their ``InteractionParticipant`` rows."""
    invitation = is_invitation("interaction__")
    talk = ~invitation
    meeting = Q(interaction__kind__in=MEETING_KINDS)
    return {
        "talks": Count("pk", filter=talk),
        "messages": Count("pk", filter=talk & Q(interaction__kind__in=MESSAGE_KINDS)),
        "meetings": Count("pk", filter=meeting),
        "inbound": Count("pk", filter=talk & Q(interaction__direction="inbound")),
        "outbound": Count("pk", filter=talk & Q(interaction__direction="outbound")),
        "last_talk_at": Max("interaction__occurred_at", filter=talk),
        "last_meeting_at": Max("interaction__occurred_at", filter=meeting),
        "they_invited": Count(
            "pk", filter=invitation & Q(interaction__direction=Interaction.Direction.INBOUND)
        ),
        "i_invited": Count(
            "pk", filter=invitation & Q(interaction__direction=Interaction.Direction.OUTBOUND)
        ),
    }


def from_row(row: dict[str, Any]) -> Tally:
    """A row of :func:`aggregates` as stored (the invitation counts become flags)."""
    return tuple(
        bool(row[name]) if name in ("they_invited", "i_invited") else row[name]
        for name in InteractionTally.FIELDS
    )


def store(counted: dict[int, Tally], person_ids: list[int] | None, network_id: int) -> None:
    """Write the tallies that changed. ``counted``: every person of ``person_ids`` (or of the
    network) with an interaction; the others lose their tally."""
    stored = InteractionTally.objects.all()
    if person_ids is None:
        stored = stored.filter(person__network_id=network_id)
    else:
        stored = stored.filter(person_id__in=person_ids)
    current = {
        row[0]: tuple(row[1:]) for row in stored.values_list("person_id", *InteractionTally.FIELDS)
    }
    gone = [pk for pk in current if pk not in counted]
    for start in range(0, len(gone), 5000):
        InteractionTally.objects.filter(person_id__in=gone[start : start + 5000]).delete()
    changed = [
        InteractionTally(person_id=pk, **dict(zip(InteractionTally.FIELDS, tally, strict=True)))
        for pk, tally in counted.items()
        if current.get(pk) != tally  # aware datetimes compare as instants
    ]
    InteractionTally.objects.bulk_create(
        changed,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=list(InteractionTally.FIELDS),
    )
