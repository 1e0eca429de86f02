"""What every parser produces: plain records, and errors that name file, line and field.

Parsers never touch the database. A record carries the line it came from so the plan and
the errors can point at it.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from kithkin.errors import KithError
from kithkin.photos import PhotoImage


class ImportFileError(KithError):
    """The whole file cannot be read as this format (wrong format, unreadable, empty...)."""

    exit_code = 2

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.message = message


_collector_lock = threading.Lock()
_collector_holders = 0
_collector_was_enabled = True


@contextmanager
def collecting_later() -> Iterator[None]:
    """Parse, plan or apply without the cyclic garbage collector's passes: an import
    makes several objects per row that all live until it ends, and the collector walked
    them again and again -- a fifth of a 30,000-row LinkedIn import's CPU. Memory is
    still freed as usual (reference counting); cycles wait for the next collection after
    the block. The collector is the process's: blocks in several threads (two imports on
    one server) are counted, and the last to leave restores it as the first found it."""
    global _collector_holders, _collector_was_enabled
    with _collector_lock:
        if _collector_holders == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_holders += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_holders -= 1
            if _collector_holders == 0 and _collector_was_enabled:
                gc.enable()


EXTERNAL_ID_LENGTH = 500  # Interaction.external_id, ValueExchange.external_id


def stored_id(external_id: str) -> str:
    """A source's id as stored, to find the row again on a re-import: as it is, or, when
    longer than the column, a hash of it (cutting it could make two ids one, and a
    re-import would never find the row)."""
    if len(external_id) <= EXTERNAL_ID_LENGTH:
        return external_id
    return "sha256/" + hashlib.sha256(external_id.encode()).hexdigest()


@dataclass(frozen=True)
class RecordError:
    """One bad record; the good records around it still import."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass
class ContactRecord:
    """One person as a source describes them. Values are as found (trimmed); the planner
    normalises and validates contact points."""

    source: str  # linkedin, google, outlook, vcard
    path: str
    line: int  # 1-based line where the record starts
    full_name: str
    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (number, label)
    urls: list[str] = field(default_factory=list)  # profiles and websites
    # Postal addresses as the source writes them, one line per part ("street\ncity..."), label.
    addresses: list[tuple[str, str]] = field(default_factory=list)
    # Chat handles: (handle, service, label); service as DESIGN.md names it (skype, xmpp...).
    chats: list[tuple[str, str, str]] = field(default_factory=list)
    organization: str = ""
    title: str = ""
    headline: str = ""
    location: str = ""
    notes: str = ""
    birthday: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    connected_on: dt.date | None = None
    tags: list[str] = field(default_factory=list)
    external_id: str | None = None  # vCard UID, LinkedIn profile URL...
    photo: PhotoImage | None = None  # re-encoded already (kithkin.photos), by the parser


@dataclass(frozen=True)
class Participant:
    """Someone in an interaction, as the source names them."""

    email: str = ""
    name: str = ""
    profile_url: str = ""  # LinkedIn messages identify people by profile URL


@dataclass
class InteractionRecord:
    source: str  # calendar, email, linkedin
    path: str
    line: int
    external_id: str  # Message-ID, iCalendar UID + recurrence id, LinkedIn conversation id...
    kind: str  # an Interaction.Kind value
    occurred_at: dt.datetime  # timezone-aware
    direction: str  # outbound, inbound, mutual
    summary: str
    participants: list[Participant] = field(default_factory=list)
    # Other external ids of the same source the same conversation may already be stored
    # under: a message imported from an mbox (its Message-ID) and the same message synced
    # over IMAP (its thread and day) are one interaction, whichever came first.
    aliases: tuple[str, ...] = ()


@dataclass
class ValueRecord:
    """Value someone gave the importing user: a LinkedIn endorsement or recommendation.
    The giver is matched by profile URL, else by name; an unknown giver is reported."""

    source: str  # linkedin
    path: str
    line: int
    external_id: str  # stable: a hash of the row's key fields, so a re-import finds it
    kind: str  # a ValueExchange.Kind value: endorsement, recommendation
    occurred_on: dt.date
    description: str
    giver: Participant
    weight: int = 1


@dataclass(frozen=True)
class MyJob:
    """One of the importing user's own jobs (LinkedIn's Positions.csv)."""

    organization: str
    title: str
    start: dt.date | None
    end: dt.date | None


@dataclass
class ParseResult:
    my_jobs: list[MyJob] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    interactions: list[InteractionRecord] = field(default_factory=list)
    values: list[ValueRecord] = field(default_factory=list)  # value received (the ledger)
    errors: list[RecordError] = field(default_factory=list)
    skipped: list[RecordError] = field(default_factory=list)  # deliberately left out, with why

    def extend(self, other: ParseResult) -> None:
        self.contacts += other.contacts
        self.interactions += other.interactions
        self.values += other.values
        self.errors += other.errors
        self.skipped += other.skipped
        self.my_jobs += other.my_jobs
