"""A mail box synced over IMAP (imapclient): headers only, never a body.

- Folders: the ones the account names, else the inbox and the sent folder (the folder
  flagged ``\\Sent`` by SPECIAL-USE, else one of the usual names).
- Each folder is read in UID order from where the last run stopped (``state["folders"]
  [name]``: UIDVALIDITY, the last UID read, and with CONDSTORE the HIGHESTMODSEQ and
  UIDNEXT seen, so a folder nothing happened in is left after its SELECT). A new
  UIDVALIDITY (the server renumbered the folder) reads it again from the start: nothing is
  logged twice, since each interaction's external id is its thread and day.
- The first read of a folder goes back the account's ``months`` (SEARCH SINCE).
- Messages are fetched in batches of ``BATCH`` (BODY.PEEK of
  ``mail_rules.FETCHED_HEADERS``), from two batches on by a second process on a
  connection of its own, reading ahead while this one writes (``sync.mail_headers``);
  each batch is planned and applied as an import is (``importers.plan``/``apply``: people
  matched by email, bulk mail skipped by ``importers.mail_rules``) and the folder's state
  saved in the same transaction: a connection lost midway loses at most the batch in hand,
  and the next run resumes after the last batch written. Each batch keeps its people's
  check-ins current; their strength, spans and stored matches are computed once at the end
  of the run, lost connection or not (``changes.settled_later``).
- One interaction per thread and day (``mail_rules.thread_day_id``), which knows its
  messages' Message-IDs as aliases: mail imported from an mbox file and synced as well is
  logged once, whichever came first (``importers.plan_interactions``). A message of a
  thread and day logged already (read later, or in the other folder) joins it: its people
  are added, and both directions make it mutual (``_join_threads``).
- Someone unknown who writes or is written to often is counted in ``state["unknown"]``
  (address -> name, messages; a renumbered folder read again does not count what it
  counted before); from ``SUGGEST_AFTER`` messages they are *suggested*
  (``queries/sync_accounts.suggested_correspondents``, shown in triage), never created;
  once the user adds one, the next run searches each folder for their mail and logs it
  (``_backfill``).
- A chosen folder the server does not have (any more) is one of the run's ``problems``,
  named; the other folders sync.
- Failures are ``SyncFailure`` lines: a refused password waits for the user
  (``retry=False``); no connection, a TLS failure, a dropped connection are tried again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import ssl
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from kithkin import clock
from kithkin.importers.apply import apply_plan
from kithkin.importers.plan import plan_import
from kithkin.importers.plan_interactions import known_people, participant_keys
from kithkin.importers.records import InteractionRecord, ParseResult, stored_id
from kithkin.models import ContactPoint, Interaction
from kithkin.models.rows import one_of
from kithkin.queries.sync_accounts import SUGGEST_AFTER
from kithkin.services import changes
from kithkin.services.interactions import update_found
from kithkin.sync import imap, mail_headers
from kithkin.sync.outcome import SyncFailure, SyncOutcome, SyncSource

BATCH = 2000
MAX_UNKNOWN = 5000  # addresses counted per account
SENT_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail", "INBOX.Sent")


def sync_mailbox(source: SyncSource) -> SyncOutcome:
    """Read the account's new mail into interactions; see the module docstring."""
    outcome = SyncOutcome()
    login = imap.Login.of(source)
    host = login.host
    client = imap.connect(login)
    folder = ""
    try:
        me = _my_addresses(source)
        capabilities = client.capabilities()
        if b"CONDSTORE" in capabilities and b"ENABLE" in capabilities:
            client.enable("CONDSTORE")  # SELECT then reports HIGHESTMODSEQ
        folders = _folders(client, source)
        # Strength, the Dashboard's spans and stored matches once for the run, not per batch
        with changes.settled_later():
            for folder in folders:
                _sync_folder(client, login, source, folder, me, outcome)
            folder = ""
            _backfill(client, login, source, folders, me, outcome)
    except (imaplib.IMAP4.abort, OSError, ssl.SSLError) as exc:
        raise SyncFailure(
            f"the connection to {host} was lost while reading {folder or 'the folders'} "
            f"({imap.reason(exc)}); the next run resumes after the last message saved"
        ) from exc
    except IMAPClientError as exc:
        raise SyncFailure(f"{host} answered an error while reading {folder}: {exc}") from exc
    finally:
        imap.close(client)
    return outcome


def _folders(client: IMAPClient, source: SyncSource) -> list[str]:
    chosen = [str(f) for f in source.settings.get("folders") or []]
    if chosen:
        return chosen
    listed = client.list_folders()
    names = {name for _flags, _delimiter, name in listed}
    sent = next((name for flags, _d, name in listed if b"\\Sent" in flags), None)
    if sent is None:
        sent = next((name for name in SENT_NAMES if name in names), None)
    return ["INBOX", *([sent] if sent else [])]


def _my_addresses(source: SyncSource) -> frozenset[str]:
    """The account's address, the user's, and every email of *me* in the network."""
    found = {str(source.settings.get("username", "")).lower(), source.user.email.lower()}
    found |= {
        value.lower()
        for value in ContactPoint.objects.filter(
            person__network=source.network,
            person__is_self=True,
            kind=ContactPoint.Kind.EMAIL,
        ).values_list("normalized", flat=True)
    }
    found |= {a.lower() for a in source.settings.get("addresses") or []}
    return frozenset(a for a in found if "@" in a)


def _sync_folder(
    client: IMAPClient,
    login: imap.Login,
    source: SyncSource,
    folder: str,
    me: frozenset[str],
    outcome: SyncOutcome,
) -> None:
    try:
        selected = client.select_folder(folder, readonly=True)
    except imaplib.IMAP4.abort:
        raise
    except IMAPClientError as exc:  # a chosen folder gone or renamed: the others go on
        outcome.problems.append(
            f"folder {folder!r} could not be read ({imap.answer(exc)}): not synced"
        )
        return
    validity = int(selected[b"UIDVALIDITY"])
    uidnext = int(selected.get(b"UIDNEXT", 0))
    modseq = int(selected.get(b"HIGHESTMODSEQ", 0))
    folders: dict[str, Any] = source.state.setdefault("folders", {})
    state = folders.get(folder)
    if state is None or state.get("uidvalidity") != validity:
        # Renumbered: read again from the start; what was counted towards a suggestion
        # (up to the latest message read) is not counted twice.
        counted = max(
            (state or {}).get("counted_until", ""), (state or {}).get("recount_after", "")
        )
        state = {"uidvalidity": validity, "last_uid": 0}
        if counted:
            state["recount_after"] = counted
    unchanged = state.get("modseq") == modseq != 0 and state.get("uidnext") == uidnext
    if state.get("done") and unchanged:
        return  # CONDSTORE: nothing happened in the folder since the last run
    last_uid = int(state["last_uid"])
    if last_uid:
        uids = [u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid]
    else:
        uids = client.search(["SINCE", _since(source)])
    batches = list(_batches(sorted(uids)))
    reading = _reading(login, source, folder, validity, me)
    with contextlib.closing(reading.batches(client, batches)) as read:  # its process ends
        for batch, (records, skipped) in read:
            latest = max((_utc(r.occurred_at) for r in records), default="")
            counted = max(str(state.get("counted_until", "")), latest)
            state = {**state, "last_uid": batch[-1], "done": False, "counted_until": counted}
            _write(source, folder, state, records, skipped, outcome)
    state = {**state, "uidnext": uidnext, "modseq": modseq, "done": True}
    folders[folder] = state
    source.save_state()


def _utc(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat()


def _since(source: SyncSource) -> dt.date:
    """The first sync reads back the account's ``months``."""
    months = int(source.settings.get("months", 12))
    return (clock.now() - dt.timedelta(days=31 * months)).date()


def _backfill(
    client: IMAPClient,
    login: imap.Login,
    source: SyncSource,
    folders: list[str],
    me: frozenset[str],
    outcome: SyncOutcome,
) -> None:
    """Mail with someone added since it was read (a suggestion the user took,
    ``state["backfill"]``): searched for in each folder up to where its sync got, read
    again and logged (the thread-and-day ids log nothing twice), then forgotten."""
    wanted = sorted({str(email) for email in source.state.get("backfill") or []})
    if not wanted:
        return
    keys = [[key, email] for email in wanted for key in ("FROM", "TO", "CC")]
    anyone = keys[-1]
    for key in reversed(keys[:-1]):
        anyone = ["OR", *key, *anyone]
    for folder in folders:
        state = (source.state.get("folders") or {}).get(folder)
        if not state or not state.get("last_uid"):
            continue  # never read (a missing folder): its first sync reads everything
        selected = client.select_folder(folder, readonly=True)
        reading = _reading(login, source, folder, int(selected[b"UIDVALIDITY"]), me)
        found = client.search(["SINCE", _since(source), *anyone])
        for batch in _batches(sorted(u for u in found if u <= int(state["last_uid"]))):
            records, skipped = reading.read(client, batch)
            _write(source, folder, state, records, skipped, outcome, count_unknown=False)
    source.state.pop("backfill", None)
    source.save_state()


def _reading(
    login: imap.Login, source: SyncSource, folder: str, validity: int, me: frozenset[str]
) -> mail_headers.Reading:
    subjects = bool(source.settings.get("subjects", True))  # the user may leave them out
    return mail_headers.Reading(login, folder, validity, me, subjects)


def _batches(uids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(uids), BATCH):
        yield uids[start : start + BATCH]


def _write(
    source: SyncSource,
    folder: str,
    state: dict[str, Any],
    records: list[InteractionRecord],
    skipped: int,
    outcome: SyncOutcome,
    *,
    count_unknown: bool = True,
) -> None:
    """One batch: its interactions, the unknown correspondents counted (not for mail read
    again), and the folder's state, in one transaction. Planned before it, so SQLite's
    write lock is held for the writes only (the apply plans again inside if anything the
    plan read changed meanwhile)."""
    plan = plan_import(source.network, ParseResult(interactions=records))
    with transaction.atomic():
        summary = apply_plan(source.network, source.user, plan, savepoint=False)
        applied = summary.plan or plan  # made again inside if the network changed
        stored = [p.record for p in applied.interactions if p.action == "exists"]
        joined = _join_threads(source, stored)
        outcome.logged += summary.interactions
        outcome.updated += joined
        outcome.skipped += skipped + (len(records) - summary.interactions - joined)
        recount_after = str(state.get("recount_after", ""))
        if count_unknown:
            outcome.suggested += _count_unknown(
                source, [r for r in records if _utc(r.occurred_at) > recount_after]
            )
        source.state.setdefault("folders", {})[folder] = state
        source.save_state()


def _join_threads(source: SyncSource, records: list[InteractionRecord]) -> int:
    """Mail of a thread and day already logged (by an earlier batch, folder or run) whose
    people or direction it changes -- a reply in Sent with someone new in Cc, an answer to
    a message received -- joins that interaction: its people are added (never removed),
    its direction becomes mutual when both reached out. Mail already stored as an mbox
    import's own message (an alias) is left as it is. How many changed."""
    if not records:
        return 0
    by_id = {stored_id(r.external_id): r for r in records}
    found = Interaction.objects.filter(
        network=source.network, source="email", external_id__in=list(by_id)
    ).prefetch_related("participants")
    stored = {i.external_id: i for i in found}
    keys = {key for r in records for p in r.participants for key in participant_keys(p)}
    people = known_people(source.network, keys)
    joined = 0
    for external_id, interaction in stored.items():
        record = by_id[str(external_id)]
        had = {person.pk for person in interaction.participants.all()}
        now = set(had)
        for participant in record.participants:
            match = next((people[k] for k in participant_keys(participant) if k in people), None)
            if match is not None:
                now.add(match)
        direction = interaction.direction
        if record.direction != direction:
            direction = "mutual"
        if now == had and direction == interaction.direction:
            continue
        update_found(
            source.network,
            source.user,
            interaction,
            kind=interaction.kind,
            people=sorted(now),
            occurred_at=interaction.occurred_at,
            summary=interaction.summary,
            direction=direction,
        )
        joined += 1
    return joined


def _count_unknown(source: SyncSource, records: list[InteractionRecord]) -> int:
    """Count the messages with people no one in the network has as an email; how many
    reached ``SUGGEST_AFTER`` with these."""
    emails = {p.email for r in records for p in r.participants if p.email}
    if not emails:
        return 0
    known = set(
        ContactPoint.objects.filter(
            person__network=source.network,
            kind=ContactPoint.Kind.EMAIL,
            normalized__in=one_of(emails, text=True),
        ).values_list("normalized", flat=True)
    )
    unknown: dict[str, list[Any]] = source.state.setdefault("unknown", {})
    suggested = 0
    for record in records:
        for person in record.participants:
            if not person.email or person.email in known:
                continue
            name, count = unknown.get(person.email, ["", 0])
            if person.email not in unknown and len(unknown) >= MAX_UNKNOWN:
                continue
            unknown[person.email] = [name or person.name, count + 1]
            if count + 1 == SUGGEST_AFTER:
                suggested += 1
    return suggested
