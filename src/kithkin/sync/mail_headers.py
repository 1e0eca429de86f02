"""A folder's mail fetched and read into interactions, batch by batch: on the sync's own
connection for a folder of one batch, by a second process when there are more.

A first sync of a large folder does two kinds of work: fetching and reading headers
(imapclient's parsing of the server's answers, then the mbox rules), and writing them. The
writes need the database; the rest needs only a connection to the server. In one process
the two take turns on one interpreter lock, and each database call waits for the fetching
thread to let go of it. A second process (started fresh, ``spawn``: none of the sync's
database connections or threads are inherited) fetches and reads on a connection of its
own while the sync writes, so a first sync uses two cores (docs/performance.md, "Reading
and writing side by side").

Nothing here imports Django: the second process imports only this module, the IMAP
connection, the mbox rules and the plain records.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import pickle
import queue
from collections.abc import Generator
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from imapclient import IMAPClient

from kithkin.importers import mail_rules
from kithkin.importers.records import InteractionRecord
from kithkin.sync import imap
from kithkin.sync.outcome import SyncFailure

Read = tuple[list[InteractionRecord], int]  # the batch's interactions, messages skipped


def read_batch(
    blocks: list[bytes | None],
    uids: list[int],
    folder: str,
    me: frozenset[str],
    subjects: bool,
) -> Read:
    """One batch's header blocks (None: expunged between SEARCH and FETCH) as interactions,
    one per thread and day, and how many messages were skipped."""
    records: dict[str, InteractionRecord] = {}
    skipped = 0
    for uid, block in zip(uids, blocks, strict=True):
        if block is None:
            skipped += 1
            continue
        headers = mail_rules.parse_headers(block)
        read = mail_rules.read_message(
            headers, me, source="email", path=folder, line=uid, subjects=subjects
        )
        if read.record is None:
            skipped += 1
            continue
        record = read.record
        message = record.external_id  # an mbox import stores the message under this id
        thread = mail_rules.thread_of(headers, message)
        record.external_id = mail_rules.thread_day_id(thread, record.occurred_at)
        record.aliases = (message,)
        earlier = records.get(record.external_id)
        if earlier is None:
            records[record.external_id] = record
        else:  # one interaction per thread and day: everyone in it, the first message's time
            skipped += 1
            earlier.aliases += (message,)
            emails = {p.email for p in earlier.participants}
            earlier.participants += [p for p in record.participants if p.email not in emails]
            if record.direction != earlier.direction:
                earlier.direction = "mutual"
    return list(records.values()), skipped


def blocks_of(fetched: dict[int, dict[bytes, Any]], uids: list[int]) -> list[bytes | None]:
    """imapclient's FETCH answer as each UID's header block, in the batch's order."""
    found: list[bytes | None] = []
    for uid in uids:
        item = fetched.get(uid) or {}
        block = next((v for k, v in item.items() if k.startswith(b"BODY[")), None)
        found.append(block if isinstance(block, bytes) else None)
    return found


@dataclass(frozen=True)
class Reading:
    """A folder's batches to read, fetched and read in order (``batches``)."""

    login: imap.Login
    folder: str
    validity: int  # the UIDVALIDITY the UIDs were searched under
    me: frozenset[str]
    subjects: bool

    def batches(
        self, client: IMAPClient, batches: list[list[int]]
    ) -> Generator[tuple[list[int], Read], None, None]:
        """Each batch read, in order: here, on the sync's connection (``client``, the
        folder selected) for a folder of one batch; from two on, by a second process on a
        connection of its own, which reads ahead by up to two batches while the caller
        writes. A failure there (a dropped connection, a refused login) is raised here
        after the batches before it, so the caller keeps those."""
        if len(batches) < 2:
            for batch in batches:
                yield batch, self.read(client, batch)
            return
        context = multiprocessing.get_context("spawn")  # nothing of this process inherited
        found: multiprocessing.queues.Queue[Read | BaseException] = context.Queue(maxsize=2)
        process = context.Process(
            target=_read_in_process, args=(self, batches, found), name="kith-imap-read", daemon=True
        )
        process.start()
        try:
            for batch in batches:
                item = self._next(found, process)
                if isinstance(item, BaseException):
                    raise item
                yield batch, item
        finally:
            if process.is_alive():
                process.kill()
            process.join()
            found.close()

    def read(self, client: IMAPClient, batch: list[int]) -> Read:
        """One batch fetched on ``client`` (the folder selected there) and read."""
        blocks = blocks_of(client.fetch(batch, [imap.FETCH]), batch)
        return read_batch(blocks, batch, self.folder, self.me, self.subjects)

    def _next(
        self, found: multiprocessing.queues.Queue[Read | BaseException], process: BaseProcess
    ) -> Read | BaseException:
        while True:
            try:
                return found.get(timeout=1.0)
            except queue.Empty:
                if process.is_alive():
                    continue
            try:  # it may have put its last batch and ended while we waited
                return found.get(timeout=0.1)
            except queue.Empty:
                raise SyncFailure(
                    f"the process reading {self.folder} stopped (exit code {process.exitcode}); "
                    "the next run resumes after the last message saved"
                ) from None


def _read_in_process(
    reading: Reading,
    batches: list[list[int]],
    found: multiprocessing.queues.Queue[Read | BaseException],
) -> None:
    """The second process: its own connection, the same folder (renumbered meanwhile: a
    failure, the next run reads it again), each batch fetched, read and handed over."""
    try:
        client = imap.connect(reading.login)
        try:
            selected = client.select_folder(reading.folder, readonly=True)
            if int(selected[b"UIDVALIDITY"]) != reading.validity:
                raise SyncFailure(
                    f"the server renumbered {reading.folder} during the sync "
                    "(a new UIDVALIDITY); the next run reads it again"
                )
            for batch in batches:
                _hand_over(found, reading.read(client, batch))
        finally:
            imap.close(client)
    except BaseException as exc:  # handed over, raised by the sync
        _hand_over(found, _picklable(exc))


def _hand_over(
    found: multiprocessing.queues.Queue[Read | BaseException], item: Read | BaseException
) -> None:
    """Put ``item`` in the queue once there is room; if the sync is gone (killed outright:
    no one will ever take it), end instead of waiting forever."""
    parent = multiprocessing.parent_process()
    while True:
        try:
            found.put(item, timeout=1.0)
            return
        except queue.Full:
            if parent is not None and not parent.is_alive():
                raise SystemExit(0) from None


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return SyncFailure(f"{type(exc).__name__}: {imap.reason(exc)}")
    return exc
