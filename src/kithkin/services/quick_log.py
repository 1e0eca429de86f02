"""A quick log from the phone app: one person, a kind and a line of note, sent with the key
the phone made for it, and logged exactly once however often it is sent (docs/app.md).

The interaction itself is written by ``interactions.log_interaction``, the one write path;
this adds only the key. A replay with a key this user already sent in this network answers
the first result and writes nothing. Two replays at the same moment both pass the lookup;
the key's unique constraint lets one INSERT through, and the other reads its result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Interaction, Network, Person, QuickLog, User
from kithkin.services.interactions import log_interaction

NOTE_LIMIT = 500  # one line, as a phone types it
# How long a key is kept. A quick log made longer ago than this is refused, so a replay
# can never arrive after its key was forgotten: exactly once holds with a bounded table.
KEYS_KEPT = dt.timedelta(days=90)


@dataclass(frozen=True)
class QuickLogResult:
    """What a quick log did: the interaction it logged (None when an Undo since removed
    it) and whether this was a replay of a key already sent."""

    interaction: Interaction | None
    replayed: bool


def parse_key(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except (ValueError, AttributeError) as exc:
        raise InvalidInput("key", "is not a UUID") from exc


def quick_log(
    network: Network,
    actor: User,
    *,
    key: uuid.UUID,
    person: Person,
    kind: str,
    note: str = "",
    occurred_at: dt.datetime | None = None,
) -> QuickLogResult:
    """Log ``kind`` with ``person`` once per ``key``. ``occurred_at`` is when the phone
    logged it (it may have waited offline); a phone clock ahead of the server's never makes
    an interaction in the future."""
    access.require_write(actor, network)
    first = _first(network, actor, key)
    if first is not None:
        return first
    line = " ".join(note.split())
    if len(line) > NOTE_LIMIT:
        raise InvalidInput("note", f"is longer than {NOTE_LIMIT} characters")
    now = clock.now()
    if occurred_at is not None and occurred_at < now - KEYS_KEPT:
        raise InvalidInput(
            "logged_at",
            f"was over {KEYS_KEPT.days} days ago, too long to tell whether it was already "
            "logged: log it again from the person's page if it is missing",
        )
    when = now if occurred_at is None or occurred_at > now else occurred_at
    try:
        with transaction.atomic():
            receipt = QuickLog.objects.create(network=network, user=actor, key=key)
            interaction = log_interaction(
                network, actor, kind=kind, people=[person], occurred_at=when, summary=line
            )
            receipt.interaction = interaction
            receipt.save(update_fields=["interaction"])
    except IntegrityError:
        # Another request with the same key committed first: its result is the answer.
        first = _first(network, actor, key)
        if first is None:
            raise
        return first
    return QuickLogResult(interaction=interaction, replayed=False)


def forget_old_keys(now: dt.datetime) -> int:
    """Delete the keys kept longer than ``KEYS_KEPT`` (the worker's housekeeping); how
    many. A replay of one of them is refused by its age before its key is looked up."""
    deleted, _ = QuickLog.objects.filter(created_at__lt=now - KEYS_KEPT).delete()
    return deleted


def _first(network: Network, actor: User, key: uuid.UUID) -> QuickLogResult | None:
    receipt = (
        QuickLog.objects.filter(network=network, user=actor, key=key)
        .select_related("interaction")
        .first()
    )
    if receipt is None:
        return None
    return QuickLogResult(interaction=receipt.interaction, replayed=True)
