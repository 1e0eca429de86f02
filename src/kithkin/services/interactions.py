"""Logging touchpoints. Any interaction resets the check-in of everyone in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import (
    Event,
    Interaction,
    InteractionParticipant,
    Mentorship,
    Milestone,
    Network,
    Person,
    TrashedItem,
    User,
)
from kithkin.services import changes, tallies, trash, undo
from kithkin.services.derived_state import Added, Known


def occurred_at_on(
    day: dt.date | None, *, today: dt.date, time_zone: str, field: str = "on"
) -> dt.datetime:
    """When an interaction logged on ``day`` happened: now for today (or no day), local
    noon for an earlier day. Kithkin logs what has happened, never the future."""
    if day is not None and day > today:
        raise InvalidInput(field, f"{day.isoformat()} is in the future; log what has happened")
    if day is None or day == today:
        return clock.now()
    return clock.local_noon(day, time_zone)


@transaction.atomic
def log_interaction(
    network: Network,
    actor: User,
    *,
    kind: str,
    people: Sequence[Person],
    occurred_at: dt.datetime,
    summary: str = "",
    learned: str = "",
    next_questions: str = "",
    direction: str = Interaction.Direction.MUTUAL,
    source: str = Interaction.Source.MANUAL,
    external_id: str | None = None,
    event: Event | None = None,
    mentorship: Mentorship | None = None,
    milestone: Milestone | None = None,
    occasion: str = "",
) -> Interaction:
    """Log one touchpoint. ``event``, ``mentorship`` and ``milestone`` link it to where it
    happened, the mentoring it was a session of, or the milestone it marked; ``occasion``
    names a yearly occasion it celebrated ("birthday:2026"). The questions I meant to ask
    these people last time count as asked once a later conversation is logged."""
    access.require_write(actor, network)
    for linked, what in ((event, "event"), (mentorship, "mentorship"), (milestone, "milestone")):
        if linked is not None and linked.network_id != network.pk:
            raise InvalidInput(what, f"that {what} is not in this network")
    if kind not in Interaction.Kind.values:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(Interaction.Kind.values)}")
    if direction not in Interaction.Direction.values:
        raise InvalidInput(
            "direction", f"{direction!r} is not one of: {', '.join(Interaction.Direction.values)}"
        )
    if not people:
        raise InvalidInput("people", "an interaction needs at least one person")
    if any(person.network_id != network.pk for person in people):
        raise InvalidInput("people", "everyone in an interaction must be in this network")
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    names = ", ".join(person.full_name for person in people)
    with undo.action(network, actor, "log", f"Logged a {kind} with {names}"):
        return _create_interaction(
            network,
            actor,
            kind=kind,
            people=people,
            occurred_at=occurred_at,
            summary=summary,
            learned=learned,
            next_questions=next_questions,
            direction=direction,
            source=source,
            external_id=external_id,
            event=event,
            mentorship=mentorship,
            milestone=milestone,
            occasion=occasion,
        )


def _create_interaction(
    network: Network,
    actor: User,
    *,
    kind: str,
    people: Sequence[Person],
    occurred_at: dt.datetime,
    summary: str,
    learned: str,
    next_questions: str,
    direction: str,
    source: str,
    external_id: str | None,
    event: Event | None,
    mentorship: Mentorship | None,
    milestone: Milestone | None,
    occasion: str,
) -> Interaction:
    interaction = Interaction.objects.create(
        network=network,
        kind=kind,
        occurred_at=occurred_at,
        direction=direction,
        summary=summary.strip(),
        learned=learned.strip(),
        next_questions=next_questions.strip(),
        source=source,
        external_id=external_id,
        event=event,
        mentorship=mentorship,
        milestone=milestone,
        occasion=occasion,
        created_by=actor,
    )
    InteractionParticipant.objects.bulk_create(
        InteractionParticipant(interaction=interaction, person=person)
        for person in {person.pk: person for person in people}.values()
    )
    undo.step("delete_interaction", id=interaction.pk)
    answered = _answer_earlier_questions(interaction, [person.pk for person in people])
    if answered:
        undo.step("unanswer_questions", ids=answered)
    # Only added: counted onto each person's stored tally and last interaction.
    added = tallies.of_interaction(
        kind=kind,
        direction=direction,
        source=source,
        external_id=external_id,
        occurred_at=occurred_at,
    )
    ids = [person.pk for person in people]
    links = {"event_id": event, "mentorship_id": mentorship, "milestone_id": milestone}
    changes.record(
        network,
        "interaction.logged",
        actor=actor,
        record_id=interaction.pk,
        person_ids=ids,
        data={
            "kind": kind,
            "direction": direction,
            "source": source,
            **{name: linked.pk for name, linked in links.items() if linked is not None},
            **({"occasion": occasion} if occasion else {}),
        },
        known=Known(
            added=Added(dict.fromkeys(ids, added), dict.fromkeys(ids, occurred_at)),
        ),
    )
    return interaction


def _answer_earlier_questions(interaction: Interaction, people: list[int]) -> list[int]:
    """Questions noted for next time with these people were asked in this conversation.
    Only conversations: an imported email or a note to self answers nothing."""
    if interaction.kind == Interaction.Kind.NOTE or interaction.source != Interaction.Source.MANUAL:
        return []
    answered = list(
        Interaction.objects.filter(
            network_id=interaction.network_id,
            participants__in=people,
            occurred_at__lt=interaction.occurred_at,
            questions_answered_at__isnull=True,
        )
        .exclude(next_questions="")
        .values_list("pk", flat=True)
        .distinct()
    )
    if answered:
        Interaction.objects.filter(pk__in=answered).update(
            questions_answered_at=interaction.occurred_at
        )
    return answered


@transaction.atomic
def delete_interaction(network: Network, actor: User, interaction: Interaction) -> TrashedItem:
    """Move an interaction to the trash (``services.trash``: restorable for 30 days)."""
    access.require_write(actor, network)
    if interaction.network_id != network.pk:
        raise NotFound(f"No interaction #{interaction.pk} in {network.name}.")
    people = list(interaction.participants.values_list("pk", flat=True))
    deleted = interaction.pk
    when = interaction.occurred_at.date().isoformat()
    item = trash.trash(
        network,
        actor,
        kind="interaction",
        record=interaction,
        name=interaction.summary or f"{interaction.get_kind_display()} on {when}",
        roots=[interaction],
        person_ids=people,
    )
    changes.record(
        network,
        "interaction.deleted",
        actor=actor,
        record_id=deleted,
        person_ids=people,
        data={"trash_id": item.pk},
    )
    return item


def log_found(
    network: Network,
    actor: User,
    *,
    kind: str,
    people: Sequence[Person],
    occurred_at: dt.datetime,
    summary: str,
    direction: str,
    source: str,
    external_id: str,
) -> Interaction:
    """An interaction a sync found (a calendar's meeting): logged as any other, but not
    undoable by the person (the source is the truth: the next sync would log it again)."""
    access.require_write(actor, network)
    return _create_interaction(
        network,
        actor,
        kind=kind,
        people=people,
        occurred_at=occurred_at,
        summary=summary,
        learned="",
        next_questions="",
        direction=direction,
        source=source,
        external_id=external_id,
        event=None,
        mentorship=None,
        milestone=None,
        occasion="",
    )


def update_found(
    network: Network,
    actor: User,
    interaction: Interaction,
    *,
    kind: str,
    people: Sequence[int],
    occurred_at: dt.datetime,
    summary: str,
    direction: str,
) -> bool:
    """Bring an interaction a sync found up to date with its source (a meeting moved,
    renamed, or someone joined or left it); what the person wrote (learned, questions) is
    kept. Whether anything changed."""
    access.require_write(actor, network)
    if interaction.network_id != network.pk:
        raise NotFound(f"No interaction #{interaction.pk} in {network.name}.")
    wanted = {
        "kind": kind,
        "occurred_at": occurred_at,
        "summary": summary.strip(),
        "direction": direction,
    }
    fields = [name for name, value in wanted.items() if getattr(interaction, name) != value]
    for name in fields:
        setattr(interaction, name, wanted[name])
    if fields:
        interaction.save(update_fields=fields)
    before = set(
        InteractionParticipant.objects.filter(interaction=interaction).values_list(
            "person_id", flat=True
        )
    )
    after = set(people)
    if before != after:
        InteractionParticipant.objects.filter(
            interaction=interaction, person_id__in=before - after
        ).delete()
        InteractionParticipant.objects.bulk_create(
            InteractionParticipant(interaction=interaction, person_id=pk) for pk in after - before
        )
        fields.append("participants")
    if fields:
        changes.record(
            network,
            "interaction.updated",
            actor=actor,
            record_id=interaction.pk,
            person_ids=before | after,
            data={"fields": fields, "source": interaction.source},
        )
    return bool(fields)
