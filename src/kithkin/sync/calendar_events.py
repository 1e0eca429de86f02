"""What CalDAV and calendar URLs share: an event becomes a meeting exactly as the ICS
importer makes it one, and the meetings of what was read are written in one transaction
with the account's state.

- *Reading.* Each resource (a CalDAV object, or a calendar URL's whole file) is read by
  ``importers.icalendar_events.parse_calendar`` -- the importer's rules, unchanged: who
  counts as a participant, declined (my PARTSTAT=DECLINED) and cancelled (STATUS:CANCELLED)
  left out, recurrences expanded, the same external ids (UID, or ``UID/<slot>``). A
  resource is read up to ``now + days_ahead``; occurrences that have happened since
  ``now - days_back`` become meetings (Kithkin logs what happened, never the future), and
  the next one still to come is remembered (``due``), so a weekly meeting that never
  changes on the server is logged each week when it has happened.
- *Matching.* People are found by the contact points the importer matches them by
  (``plan_interactions.participant_keys``); an occurrence with nobody known is no meeting
  (counted as skipped). Nobody is created: an import's ``--create-people`` has no
  counterpart here, and unknown attendees are not suggested (the ICS importer reports them
  as unmatched too).
- *Writing.* ``services.synced_events.write_meetings`` logs, updates and removes; the
  account's state is saved in the same transaction (``write``).
- *Privacy.* Only the title (SUMMARY) is kept, as the importer keeps it, and not even
  that when the account says ``subjects: false``; DESCRIPTION, LOCATION and URL are read
  only to tell a video call from a meeting, and never stored.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import Forbidden, NotFound
from kithkin.importers.formats import context_for
from kithkin.importers.icalendar_events import parse_calendar
from kithkin.importers.plan_interactions import known_people, participant_keys
from kithkin.importers.records import ImportFileError, InteractionRecord, stored_id
from kithkin.services.synced_events import Meeting, Written, write_meetings
from kithkin.sync.outcome import SyncFailure, SyncOutcome, SyncSource

DAYS_BACK = 90  # how far back the first sync (and any re-read) looks, by default
DAYS_AHEAD = 30  # how far ahead a resource is read to find its next occurrence


def account_key(source: SyncSource) -> str:
    """The key this account's rows are kept under (``models.SyncedEvent.account``): made
    once and kept in the account's state."""
    key = source.state.get("key")
    if not isinstance(key, str) or not key:
        key = secrets.token_hex(16)
        source.state["key"] = key
    return key


@dataclass(frozen=True)
class Window:
    now: dt.datetime
    start: dt.datetime  # meetings before this are neither read nor removed
    horizon: dt.datetime  # a resource is read up to here

    @classmethod
    def of(cls, source: SyncSource) -> Window:
        now = clock.now()
        back = _days(source.settings.get("days_back"), DAYS_BACK, "days_back", least=0)
        ahead = _days(source.settings.get("days_ahead"), DAYS_AHEAD, "days_ahead", least=1)
        return cls(now, now - dt.timedelta(days=back), now + dt.timedelta(days=ahead))


def _days(value: Any, default: int, name: str, *, least: int) -> int:
    if value in (None, ""):
        return default
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise SyncFailure(f"{name} must be a number of days, not {value!r}", retry=False) from None
    if not least <= days <= 3660:
        raise SyncFailure(f"{name} must be between {least} and 3660 days, not {days}", retry=False)
    return days


@dataclass
class Read:
    """What the resources read in one calendar say."""

    records: list[tuple[str, InteractionRecord]] = field(default_factory=list)  # (href, ...)
    due: dict[str, str] = field(default_factory=dict)  # href -> next occurrence (ISO, UTC)
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # hrefs with a problem: kept as they are


def read_resource(
    read: Read,
    href: str,
    data: bytes,
    *,
    calendar_name: str,
    me: frozenset[str],
    window: Window,
    by_uid: bool = False,
) -> None:
    """Read one resource into ``read``. A resource that cannot be read at all, or an
    event in it that cannot, is a problem naming the calendar and the event's UID; the
    rest of the calendar still syncs, and what that resource made before is kept as it
    is until it reads again. ``by_uid``: the resource is a whole calendar (a calendar
    URL's file), each of its events counted as a resource of its own, named by its UID."""
    try:
        parsed = parse_calendar(data, calendar_name, my_addresses=me, until=window.horizon)
    except ImportFileError as unreadable:
        where = "" if by_uid else f" event {_uid_of(data) or href}:"
        read.problems.append(f"{calendar_name}:{where} {unreadable.message}")
        read.unreadable.add(href)
        return
    uids = _uids(data) if by_uid else []
    for error in parsed.errors:
        uid = _uid_at(data, error.line)
        read.problems.append(
            f"{calendar_name}: event {uid or '(no UID)'}: {error.field}: {error.message}"
        )
        read.unreadable.add(uid if by_uid else href)
    read.skipped += len(parsed.skipped)
    future: dict[str, list[dt.datetime]] = {}
    for record in parsed.interactions:
        where = _uid_of_id(record.external_id, uids) if by_uid else href
        if record.occurred_at > window.now:
            future.setdefault(where, []).append(record.occurred_at)
        elif record.occurred_at >= window.start:
            read.records.append((where, record))
    for where, times in future.items():
        read.due[where] = min(times).astimezone(dt.UTC).isoformat()
    if b"RRULE" in data or b"RDATE" in data or not (parsed.interactions or parsed.skipped):
        # A series may have occurrences past the horizon, an event may start after it:
        # read it again then.
        read.due.setdefault(href, window.horizon.astimezone(dt.UTC).isoformat())


def _uids(data: bytes) -> list[str]:
    """The UIDs in a file, longest first (an external id is a UID, or UID/<slot>)."""
    text = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8", "replace"))  # unfolded
    found = {m.group(1).strip() for m in re.finditer(r"^UID(?:;[^:\r\n]*)?:(.*?)\r?$", text, re.M)}
    return sorted(found, key=len, reverse=True)


def _uid_of_id(external_id: str, uids: list[str]) -> str:
    for uid in uids:
        if external_id == uid or external_id.startswith(uid + "/"):
            return uid
    return external_id.split("/", 1)[0]


def _uid_of(data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.upper().startswith("UID:"):
            return line[4:].strip()
    return ""


def _uid_at(data: bytes, line: int) -> str:
    """The UID of the VEVENT that begins at ``line`` (the importer's errors name it)."""
    lines = data.decode("utf-8", "replace").splitlines()[max(line - 1, 0) :]
    for text in lines:
        if text.upper().startswith("UID:"):
            return text[4:].strip()
        if text.upper().startswith("END:VEVENT"):
            break
    return ""


def meetings_of(source: SyncSource, read: Read) -> tuple[list[Meeting], int]:
    """The occurrences with someone the network knows, as meetings; and how many had
    nobody known."""
    keys = {
        key
        for _, record in read.records
        for p in record.participants
        for key in participant_keys(p)
    }
    found = known_people(source.network, keys)
    titles = bool(source.settings.get("subjects", True))  # False: who and when, no title
    meetings: dict[str, Meeting] = {}
    nobody = 0
    for href, record in read.records:
        people: list[int] = []
        for participant in record.participants:
            for key in participant_keys(participant):
                if key in found:
                    if found[key] not in people:
                        people.append(found[key])
                    break
        if not people:
            nobody += 1
            continue
        external_id = stored_id(record.external_id)
        meetings[external_id] = Meeting(
            href=stored_id(href),
            external_id=external_id,
            kind=record.kind,
            occurred_at=record.occurred_at,
            direction=record.direction,
            summary=record.summary if titles else "",
            people=tuple(people),
        )
    return list(meetings.values()), nobody


def may_write(source: SyncSource) -> None:
    """The account's user may still change its network; else the sync stops before it
    reads anything (a viewer now, or no longer a member)."""
    try:
        access.require_write(source.user, source.network)
    except (Forbidden, NotFound) as exc:
        raise SyncFailure(f"{exc} Nothing was synced.", retry=False) from exc


def my_addresses(source: SyncSource) -> frozenset[str]:
    """Mine, as the importer takes them, and the account's user name when it is one."""
    username = str(source.settings.get("username") or "")
    extra = [username] if "@" in username else []
    return context_for(source.network, source.user, until=clock.now(), extra=extra).my_addresses


def write(
    source: SyncSource,
    *,
    calendar: str,
    read: Read,
    examined: Collection[str] | None,
    window: Window,
    outcome: SyncOutcome,
    update_state: Callable[[dict[str, Any]], None],
) -> None:
    """Write one calendar's meetings and save the account's state, changed by
    ``update_state``, in one transaction: all of it, or none of it and the state left as
    it was (in the database and in ``source.state``), so the next run starts again from
    the last saved point."""
    meetings, nobody = meetings_of(source, read)
    account = account_key(source)
    before = copy.deepcopy(source.state)
    try:
        with transaction.atomic():
            written: Written = write_meetings(
                source.network,
                source.user,
                account=account,
                calendar=calendar,
                meetings=meetings,
                examined=None if examined is None else {stored_id(h) for h in examined},
                unreadable={stored_id(h) for h in read.unreadable},
                keep_before=window.start,
            )
            update_state(source.state)
            source.save_state()
    except BaseException:
        source.state.clear()
        source.state.update(before)
        raise
    outcome.logged += written.logged
    outcome.updated += written.updated
    outcome.removed += written.removed
    outcome.skipped += read.skipped + nobody
    outcome.problems.extend(read.problems)
