"""Is a plan still the plan? An import is planned outside the write transaction (on SQLite
that transaction holds the database's one write lock, so planning there would keep every
other writer waiting) and applied inside it. ``mark`` notes, before the plan reads the
network, how far its changes went (``services.changes``: every write records one in its
own transaction); ``changed_since``, called inside the apply's transaction, names the
changes committed since then that could make the plan wrong. None: the plan is what
planning now would give, so it is applied as it is. Any: the import plans again (see
``importers.apply.apply_plan``).

What cannot make a plan wrong (``UNRELATED``) is left out, so a web user logging calls
while a large import is planned does not make it plan twice. What a plan reads is the
network's people (names, contact points, organizations, tags, the blank fields it fills,
archived or not), the interactions and value already imported (by source id), my own jobs
and the network's phone region; tallies and due dates are added onto what is stored
inside the transaction, and an interaction inserted twice is refused by its unique index
(``apply._create_interactions``), so those need no check here.

SQLite has one writer at a time, so change ids commit in order: a mark is the newest id.
PostgreSQL hands ids out before commit, so a mark is the transaction snapshot
(``pg_current_snapshot``) and a change counts when its transaction was not visible in it;
the reader's own transaction, not visible to itself as a finished one, counts by id.
"""

from __future__ import annotations

from django.db import connection

from kithkin.models import Change, Network

# Change kinds (services.changes.KINDS) that no plan reads; any other kind, including one
# added later, counts as a change to the plan.
UNRELATED = frozenset(
    {
        "interaction.logged",
        "interaction.updated",
        "interaction.deleted",
        "follow_up.created",
        "follow_up.updated",
        "follow_up.done",
        "follow_up.snoozed",
        "follow_up.reopened",
        "follow_up.deleted",
        "value.recorded",
        "value.thanked",
        "value.unthanked",
        "value.deleted",
        "opportunity.created",
        "opportunity.updated",
        "opportunity.shared",
        "opportunity_share.updated",
        "milestone.recorded",
        "milestone.deleted",
        "event.created",
        "event.updated",
        "event.attended",
        "mentorship.created",
        "mentorship.updated",
        "duplicate.dismissed",
        "message_template.saved",
        "message_template.reset",
        "invitation.created",
        "invitation.revoked",
        "member.joined",
        "member.updated",
        "member.removed",
        "circle.updated",
        "trash.purged",
    }
)


def mark(network: Network) -> str:
    """Where the network's changes stand now: take it before reading what a plan reads."""
    newest = (
        Change.objects.filter(network=network).order_by("-id").values_list("id", flat=True).first()
    ) or 0
    if connection.vendor != "postgresql":
        return f"{newest}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        snapshot = cursor.fetchone()[0]
    return f"{newest}:{snapshot}"


def changed_since(network: Network, since: str) -> list[str]:
    """The kinds of the changes committed in ``network`` after ``since`` (a ``mark``) that
    could change a plan, oldest first: empty when the plan made then still holds."""
    newest, _, snapshot = since.partition(":")
    if not snapshot:
        kinds = Change.objects.filter(network=network, pk__gt=int(newest)).order_by("pk")
        return [kind for kind in kinds.values_list("kind", flat=True) if kind not in UNRELATED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind FROM kithkin_change"
            " WHERE network_id = %s AND ("
            "  (transaction_id >= pg_snapshot_xmin(%s::pg_snapshot)::text::bigint"
            "   AND NOT pg_visible_in_snapshot(transaction_id::text::xid8, %s::pg_snapshot)"
            "   AND transaction_id IS DISTINCT FROM"
            "    pg_current_xact_id_if_assigned()::text::bigint)"
            "  OR (transaction_id = pg_current_xact_id_if_assigned()::text::bigint"
            "   AND id > %s))"
            " ORDER BY id",
            [network.pk, snapshot, snapshot, int(newest)],
        )
        return [kind for (kind,) in cursor.fetchall() if kind not in UNRELATED]
