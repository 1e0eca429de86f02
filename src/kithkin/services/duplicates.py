"""The network's duplicate pairs, computed once and stored, so that the Duplicates page and
`kith dupes` read them instead of comparing everyone on every request (seconds at 30,000
people).

- Any write that may change who looks alike calls ``mark_stale`` (``services.search_index.
  reindex_people`` does: a person added, renamed, given a contact point or a job, merged;
  ``people_bulk.archive`` too). It adds one to ``DuplicateScan.changes``: one UPDATE.
- ``refresh_duplicates`` computes every pair (``queries.duplicates.ranked_pairs``) and
  stores them with the count of changes it saw before reading anything, so a write during
  the computation leaves the pairs stale.
- ``ensure_current`` is what a reader calls: stale pairs of a small network are computed
  there and then; a larger one's by the worker (the ``compute_duplicates`` task, enqueued
  on django-tasks' database queue), one computation at a time per network (the scan's
  ``computing_since`` is the claim), while the reader shows the stored pairs.
- Reading (``queries.duplicates.stored_duplicates``) leaves out dismissed pairs and people
  archived or merged away since, so those never show, stale or not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django_tasks import task

from kithkin import clock
from kithkin.models import DuplicateCandidate, DuplicateScan, Network, Person

# Up to this many people, stale pairs are computed in the request (well under a second).
INLINE_UP_TO = 2000
# A computation claimed longer ago than this is taken to have died (or never to have
# been run: no worker), and may be claimed and enqueued again.
COMPUTING_TIMEOUT = dt.timedelta(minutes=10)
BATCH = 1000


@dataclass(frozen=True)
class ScanStatus:
    """Whether the stored pairs are current; ``computed_at`` None: never computed."""

    current: bool
    computed_at: dt.datetime | None

    @property
    def pending(self) -> bool:
        return not self.current


def mark_stale(network: Network) -> None:
    """Something that may change who looks alike was written (in this transaction)."""
    DuplicateScan.objects.filter(network=network).update(changes=F("changes") + 1)


def status(network: Network) -> ScanStatus:
    scan = DuplicateScan.objects.filter(network=network).first()
    if scan is None or scan.computed_at is None:
        return ScanStatus(current=False, computed_at=None)
    return ScanStatus(current=scan.computed_changes == scan.changes, computed_at=scan.computed_at)


def refresh_duplicates(network: Network) -> int:
    """Compute every pair of the network and store them. Returns how many."""
    from kithkin.queries.duplicates import ranked_pairs  # rapidfuzz: not for mark_stale

    scan, _ = DuplicateScan.objects.get_or_create(network=network)
    seen = DuplicateScan.objects.values_list("changes", flat=True).get(pk=scan.pk)
    pairs = ranked_pairs(network)  # reads after ``seen``: a later write leaves it stale
    with transaction.atomic():
        present = set(Person.objects.filter(network=network).values_list("pk", flat=True))
        DuplicateCandidate.objects.filter(network=network).delete()
        DuplicateCandidate.objects.bulk_create(
            (
                DuplicateCandidate(
                    network=network,
                    person_a_id=found.pair[0],
                    person_b_id=found.pair[1],
                    score=found.score,
                    reasons=found.reasons,
                    rank=rank,
                )
                for rank, found in enumerate(pairs)
                if found.pair[0] in present and found.pair[1] in present
            ),
            batch_size=BATCH,
        )
        DuplicateScan.objects.filter(pk=scan.pk).update(
            computed_changes=seen, computed_at=clock.now()
        )
    return len(pairs)


def ensure_current(network: Network, *, wait: bool = False) -> ScanStatus:
    """Bring the stored pairs up to date: here when the network is small or ``wait``
    (`kith dupes`), else in the background. Returns the status the reader will see."""
    found = status(network)
    if found.current:
        return found
    people = Person.objects.filter(network=network, archived_at__isnull=True)
    if wait or not people.order_by()[INLINE_UP_TO:].exists():  # counts to INLINE_UP_TO at most
        refresh_duplicates(network)
        return status(network)
    _enqueue_refresh(network.pk)
    return found


def _claim(network_id: int) -> bool:
    """Take the network's computation, unless another one is running."""
    scan, _ = DuplicateScan.objects.get_or_create(network_id=network_id)
    now = clock.now()
    return bool(
        DuplicateScan.objects.filter(pk=scan.pk)
        .filter(Q(computing_since__isnull=True) | Q(computing_since__lt=now - COMPUTING_TIMEOUT))
        .update(computing_since=now)
    )


def _enqueue_refresh(network_id: int) -> None:
    try:
        claimed = _claim(network_id)
    except IntegrityError:  # two requests created the scan at once: the other one enqueues
        claimed = False
    if claimed:
        compute_duplicates.enqueue(network_id)  # in the caller's transaction, like the claim


@task()
def compute_duplicates(network_id: int) -> int:
    """The worker's task: compute and store the network's pairs, then let go of the claim
    (a failure is recorded on the task's row by the queue; the pairs stay stale)."""
    try:
        network = Network.objects.filter(pk=network_id).first()
        return refresh_duplicates(network) if network is not None else 0
    finally:
        DuplicateScan.objects.filter(network_id=network_id).update(computing_since=None)
