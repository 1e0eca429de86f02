"""The change seam (``models.changes``): services record what changed; consumers react.

A service calls ``record(...)`` inside its own transaction, after the writes it describes,
so a change is recorded if and only if it happened. ``record`` also keeps the derived
state the change feeds current in that same transaction (``services.derived_state``
decides what that is, from the kind and the fields changed): no service refreshes
derived state itself. Inside ``collected()`` the refresh waits for the end of the block
and runs once for the union of its changes (undo, many steps at once); inside
``settled_later()`` the costly part of it waits for the end of a run of transactions (a
mail sync).

Consumers register with ``@consumer(name)`` and receive the changes after their cursor,
in order, in batches; the worker's ``changes`` job drives them (``dispatch``). A consumer
that raises keeps its cursor and gets the same batch again next time (consumers are
idempotent).

A change names one record (``record_id``) and the people it touched (``person_ids``); a
bulk write (archive many, tag many, an import) records one change for all of them, with
``record_id`` None unless one record names the whole operation (the tag, the circle).
``data`` is what a receiver would want without reading the database: ids, the names of
the fields changed (``fields``), counts; never a secret, never a note's text.

A field edit also says what each field was and became (``values``, built by
:func:`edited`): the network's History shows it (``queries.history``); it is kept in its
own column, never sent to a webhook, since it may be text a person wrote. One log, not
two: the outbox row is the history row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Q

from kithkin import clock

if TYPE_CHECKING:
    from kithkin.models import Change, Network, User
    from kithkin.services.derived_state import Known, Touched

log = logging.getLogger(__name__)

# The catalogue of change kinds, "<record>.<verb>": the names webhooks subscribe to, with
# what they mean. ``data`` always holds ids, never text a person wrote.
KINDS: dict[str, str] = {
    # People
    "person.created": "a person was added (record: the person)",
    "person.updated": "a person's details changed (data.fields: which; contact points, "
    "affiliations and tags count as fields); a bulk change names everyone, no record",
    "person.archived": "a person was archived (a bulk archive names everyone, no record)",
    "person.restored": "an archived person was brought back",
    "person.merged": "another person was merged into this one (data.merged_id: the other, "
    "now deleted)",
    "person.deleted": "a person was deleted: moved to the trash for 30 days (data.trash_id; "
    "person_ids: them and the people whose shared interactions, follow-ups or links they leave)",
    "tag.added": "a tag was put on people (record: the tag)",
    "tag.removed": "a tag was taken off people (record: the tag)",
    "circle.updated": "a circle's cadence changed (person_ids: the people in it)",
    # Interactions and follow-ups
    "interaction.logged": "an interaction was logged (data: kind, direction, source and the "
    "event, mentorship, milestone or occasion it is linked to)",
    "interaction.updated": "an interaction changed (data.fields: which)",
    "interaction.deleted": "an interaction was deleted (data.trash_id: in the trash for 30 days; "
    "none when undo took back a log)",
    "follow_up.created": "a follow-up was created (data.follows: the follow-up it repeats)",
    "follow_up.updated": "a follow-up's title, due date, recurrence or people changed "
    "(data.fields)",
    "follow_up.done": "a follow-up was done (data.next_id: a recurring one's next)",
    "follow_up.snoozed": "a follow-up was snoozed (data.due_on: its new date)",
    "follow_up.reopened": "a follow-up marked done was opened again (undo)",
    "follow_up.deleted": "a follow-up was deleted (data.trash_id: in the trash for 30 days; none "
    "when undo took it back)",
    # Practices
    "value.recorded": "value given or received was recorded (data: kind, giver and "
    "receiver ids, introduced_to_id)",
    "value.thanked": "help received was thanked (record: the thank-you interaction; "
    "data.exchange_ids)",
    "value.unthanked": "thanks were undone (data.exchange_ids)",
    "value.deleted": "an exchange was removed",
    "opportunity.created": "an opportunity was recorded (person_ids: who brought it)",
    "opportunity.updated": "an opportunity's status changed (data.status)",
    "opportunity.shared": "an opportunity was shared with someone (data.share_id, interaction_id)",
    "opportunity_share.updated": "what came of a share was recorded (data.outcome)",
    "milestone.recorded": "a milestone or challenge was recorded (data.kind)",
    "milestone.deleted": "a milestone was removed",
    "event.created": "an event was added",
    "event.updated": "an event's details changed",
    "event.attended": "someone was met at an event (data.attendance_id; person_ids: them)",
    "mentorship.created": "a mentorship started (data: mentor_id, mentee_id)",
    "mentorship.updated": "a mentorship's goals or status changed (data.fields, status)",
    "membership.joined": "I joined an organization (record: the membership; data."
    "organization_id, organization_created)",
    "membership.updated": "my membership's role, start or renewal date changed",
    "membership.renewed": "I renewed a membership (data.renews_on)",
    "membership.ended": "I left an organization (data.end_on)",
    "organization.created": "an organization was added",
    "organization.updated": "an organization's details changed (data.fields; person_ids: "
    "the people affiliated)",
    "organization.merged": "another organization was merged into this one (data.merged_id)",
    "organization.deleted": "an organization was deleted (person_ids: whose ties went)",
    "duplicate.dismissed": "two people were said not to be the same person",
    "message_template.saved": "a message template was written (data.kind)",
    "message_template.reset": "a message template went back to the default (data.kind)",
    # The network
    "network.created": "a network was created (with *me* in it)",
    "network.updated": "a network's settings changed (data.fields)",
    "invitation.created": "an invitation to the network was made (data.role)",
    "invitation.revoked": "an invitation was withdrawn",
    "member.joined": "someone joined the network or got a better role by invitation "
    "(record: the membership; data.role)",
    "member.updated": "a member's role changed (data.role)",
    "member.removed": "a member was removed or left (data.user_id)",
    # Bulk
    "import.applied": "an import or a restore was applied: one change for the whole file "
    "(person_ids: everyone it created, added to or logged with; data: format and counts)",
    # The trash
    "trash.restored": "a deleted person, interaction or follow-up came back from the trash "
    "with every link (record: it; data: kind, trash_id; person_ids: everyone it concerned)",
    "trash.purged": "deleted records older than the trash keeps them were removed for good "
    "(data.count; no actor)",
}

Handler = Callable[["Sequence[Change]"], None]
CONSUMERS: dict[str, Handler] = {}


# The changes of the current ``collected()`` block, by network, while it runs.
_collecting: ContextVar[dict[int, Touched] | None] = ContextVar(
    "kithkin_changes_collecting", default=None
)


def record(
    network: Network,
    kind: str,
    *,
    actor: User | None = None,
    record_id: int | None = None,
    person_ids: Iterable[int] = (),
    data: dict[str, object] | None = None,
    values: dict[str, list[object]] | None = None,
    known: Known | None = None,
) -> Change:
    """Record one change, after the writes it describes, and keep the derived state it
    feeds current (now, or at the end of the ``collected()`` block). ``values``: a field
    edit's before and after (:func:`edited`). ``known``: what the writer already knows of
    it (``derived_state.Known``: interactions only added, people created with their
    search document), so nothing is read back."""
    from kithkin.models import Change, ChangePerson
    from kithkin.models.rows import insert_rows
    from kithkin.services import derived_state

    if kind not in KINDS:
        raise ValueError(f"unknown change kind {kind!r} (add it to services.changes.KINDS)")
    people = sorted(set(person_ids))
    change = Change.objects.create(
        transaction_id=_writing_transaction_id(),
        network=network,
        kind=kind,
        actor=actor,
        record_id=record_id,
        person_ids=people,
        data=data or {},
        values=values or {},
        occurred_at=clock.now(),
    )
    # One executemany, no model per row: an import names tens of thousands of people.
    insert_rows(ChangePerson, ("change", "person_id"), [(change.pk, pk) for pk in people])
    found = derived_state.touched(change, network, known)
    pending = _collecting.get()
    if pending is None:
        derived_state.apply(found)
    elif network.pk in pending:
        pending[network.pk].include(found)
    else:
        pending[network.pk] = found
    return change


def shown(value: object) -> object:
    """A value as History stores it: JSON's own types; dates in ISO form; a record (a
    circle) or anything else as its text; lists and sets item by item, sets sorted."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(str(shown(item)) for item in value)
    if isinstance(value, list | tuple):
        return [shown(item) for item in value]
    return str(value)


def edited(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    """``{field: [before, after]}`` for the fields of ``after`` whose value differs from
    ``before``'s (what ``record(values=...)`` takes)."""
    found: dict[str, list[object]] = {}
    for name, value in after.items():
        old, new = shown(before.get(name)), shown(value)
        if old != new:
            found[name] = [old, new]
    return found


def network_updated(network: Network, actor: User | None, fields: list[str]) -> Change:
    """Record that the network's settings ``fields`` changed."""
    return record(
        network, "network.updated", actor=actor, record_id=network.pk, data={"fields": fields}
    )


@contextmanager
def collected() -> Iterator[None]:
    """Inside the block, the derived state the changes feed is brought up to date once,
    at its end, for all of them (still inside the caller's transaction). A block that
    raises refreshes nothing: its writes roll back with the caller's transaction. Nested,
    the outermost block refreshes."""
    from kithkin.services import derived_state

    if _collecting.get() is not None:
        yield
        return
    pending: dict[int, Touched] = {}
    token = _collecting.set(pending)
    try:
        yield
    finally:
        _collecting.reset(token)
    for found in pending.values():
        derived_state.apply(found)


@contextmanager
def settled_later() -> Iterator[None]:
    """For a long run of writes in transactions of their own (a mail box's first sync,
    batch after batch): each write still keeps what pages read first current -- check-ins,
    due dates, search documents -- while the values computed from everything a person has
    (relationship strength, the Dashboard's spans, the stored "Worth sharing" matches) are
    computed once at the end of the block, for everyone its writes touched, in a
    transaction of their own. So too when the block raises: what it committed is settled
    (and a settling that fails then is logged, the block's own error raised). Nested, the
    outermost settles."""
    from kithkin.services import derived_state

    if derived_state.LATER.get() is not None:
        yield
        return
    waiting: dict[int, Touched] = {}
    token = derived_state.LATER.set(waiting)
    try:
        yield
    except BaseException:
        derived_state.LATER.reset(token)
        try:
            _settle(waiting)
        except Exception:
            log.exception("the derived state put off by a failed run was not settled")
        raise
    derived_state.LATER.reset(token)
    _settle(waiting)


def _settle(waiting: dict[int, Touched]) -> None:
    from kithkin.services import derived_state

    for found in waiting.values():
        with transaction.atomic():
            derived_state.apply(found)


def consumer(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        CONSUMERS[name] = handler
        return handler

    return register


def _writing_transaction_id() -> int | None:
    """PostgreSQL: this transaction's id (see ``pending``); None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return int(cursor.fetchone()[0])


def _transaction_ids() -> tuple[int, int | None] | None:
    """PostgreSQL: (the oldest transaction still running, this one's if it wrote); None on
    SQLite, whose writers commit one at a time and so in id order."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
            " pg_current_xact_id_if_assigned()::text::bigint"
        )
        oldest_running, own = cursor.fetchone()
    return oldest_running, own


def pending(name: str, *, limit: int = 500) -> list[Change]:
    """The changes ``name`` has not handled, in commit-safe order.

    On PostgreSQL a change is read only once every transaction that could still commit a
    change ordered before it has ended: changes are ordered by their transaction's id and
    read below the oldest transaction still running, so none appears behind the cursor
    later. (The reader's own uncommitted changes count as ended for itself.)
    """
    from kithkin.models import Change, ChangeCursor

    cursor = ChangeCursor.objects.filter(consumer=name).first()
    after_id = cursor.last_id if cursor else 0
    ids = _transaction_ids()
    if ids is None:
        return list(Change.objects.filter(id__gt=after_id).order_by("id")[:limit])
    oldest_running, own = ids
    after_transaction = cursor.last_transaction_id if cursor else 0
    ended = Q(transaction_id__lt=oldest_running)
    if own is not None:
        ended |= Q(transaction_id=own)
    later = Q(transaction_id__gt=after_transaction) | Q(
        transaction_id=after_transaction, id__gt=after_id
    )
    return list(Change.objects.filter(ended, later).order_by("transaction_id", "id")[:limit])


def advance(name: str, last: Change) -> None:
    from kithkin.models import ChangeCursor

    ChangeCursor.objects.update_or_create(
        consumer=name,
        defaults={
            "last_id": last.pk,
            "last_transaction_id": last.transaction_id or 0,
            "updated_at": clock.now(),
        },
    )


def dispatch(*, limit: int = 500) -> int:
    """Give every consumer its pending changes, one batch each; how many were handled."""
    handled = 0
    for name, handler in CONSUMERS.items():
        batch = pending(name, limit=limit)
        if not batch:
            continue
        try:
            with transaction.atomic():
                handler(batch)
                advance(name, batch[-1])
        except Exception:  # one consumer's failure holds back only itself
            log.exception("change consumer %s failed; it will get the batch again", name)
            continue
        handled += len(batch)
    return handled
