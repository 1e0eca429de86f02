"""The rules that turn one e-mail's headers into an interaction, wherever the mail comes
from: an mbox archive (``importers.mbox``) or a mail box synced over IMAP
(``kithkin.sync.mail``). Only headers are read, never a body.

- Bulk and automated mail is left out, with the reason: a List-Id or List-Unsubscribe
  header, Precedence bulk/list/junk, Auto-Submitted other than "no", or a sender such as
  no-reply@, mailer-daemon@, notifications@, postmaster@.
- Who it was with: a message I sent is with everyone in To and Cc but me (and automated
  addresses such as majordomo@); a message I received is with its sender.
- Headers are bytes: decoded as latin-1 (lossless) for the email package, then every text
  taken from them is turned back into bytes and read as UTF-8, falling back to latin-1;
  RFC 2047 encoded words are decoded in the charset they name.
- Fields are split as the email package's ``compat32`` parser splits them (``Headers``):
  a block of well-formed fields by one pattern that gives what its rule
  (``header_source_parse``) gives, anything else (a leading From line, a line that is no
  field, a stray continuation) by ``HeaderParser`` itself. An address field of plain mailboxes (``Name
  <local@domain>``, ``"Last, First" <local@domain>``, ``local@domain``, comma-separated)
  is read by a pattern; anything else by ``getaddresses``; each distinct field value is
  read once per process (``_mailboxes``): a mail box names the same people again and
  again. Both shortcuts give what the library gives (tests/importers/test_mail_rules.py).
- Pipermail archives write addresses as "user at example.com (Name)": " at " becomes "@".
- external_id: the Message-ID; for a message without one, a hash of From, Date and Subject.
- The thread a message belongs to (``thread_of``): the first Message-ID its References
  name, else its In-Reply-To, else its own; a synced mail box logs one interaction per
  thread and day (``thread_day_id``), so a long exchange on one afternoon is one email.
"""

from __future__ import annotations

import datetime as dt
import email.errors
import email.policy
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.header import decode_header
from email.parser import HeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from kithkin.importers.records import InteractionRecord, Participant, RecordError

BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
AUTOMATED = re.compile(  # matched at the start of a lower-cased address
    r"(no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|notifications?"
    r"|majordomo|listserv|mailman)\b|owner-|[^@]*[-+](owner|request|bounces?)@"
)
OBFUSCATED = re.compile(r"([^\s@<>()\",]+) at ([^\s@<>()\",]+\.[^\s@<>()\",]+)")
# The headers a sync fetches: everything the rules below read, and nothing else.
FETCHED_HEADERS = (
    "FROM",
    "TO",
    "CC",
    "DATE",
    "SUBJECT",
    "MESSAGE-ID",
    "IN-REPLY-TO",
    "REFERENCES",
    "LIST-ID",
    "LIST-UNSUBSCRIBE",
    "AUTO-SUBMITTED",
    "PRECEDENCE",
)
HEADERS = HeaderParser(policy=email.policy.compat32)
# A field: its name (as the email package's parser knows one), the blanks after its
# colon, its value with any folded lines, and its line end (CRLF, CR or LF).
_FIELD = re.compile(
    r"([\041-\071\073-\176]+):[ \t]*([^\r\n]*(?:(?:\r\n|\r|\n)[ \t][^\r\n]*)*)(?:\r\n|\r|\n|\Z)"
)


class Headers:
    """A message's header fields, read as ``email.message.Message`` reads compat32's:
    ``get`` the first value of a name (any case), ``get_all`` every one, in order."""

    __slots__ = ("_values",)

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in fields:
            self._values.setdefault(name.lower(), []).append(value)

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self._values.get(name.lower())
        return values[0] if values else default

    def get_all(self, name: str) -> list[str] | None:
        values = self._values.get(name.lower())
        return list(values) if values else None


def parse_headers(block: bytes) -> Headers:
    text = block.decode("latin-1")
    fields = _plain_fields(text)
    if fields is None:  # not only well-formed fields: the email package's own way
        fields = [(name, str(value)) for name, value in HEADERS.parsestr(text).items()]
    return Headers(fields)


def _plain_fields(text: str) -> list[tuple[str, str]] | None:
    """The fields of a block made of nothing but well-formed fields up to its first blank
    line, split by compat32's own rule (the value after the colon and its blanks, with
    its folded lines and their line ends, less the last line end); None for anything
    else."""
    fields: list[tuple[str, str]] = []
    at, end = 0, len(text)
    while at < end:
        field = _FIELD.match(text, at)
        if field is None:
            return fields if text.startswith(("\r\n", "\n", "\r"), at) else None
        fields.append((field.group(1), field.group(2)))
        at = field.end()
    return fields


@dataclass
class MailReading:
    """What one message became: an interaction (``record``), or a reason it became none:
    ``skipped`` (bulk, no one else in it) or ``error`` (an unreadable date)."""

    record: InteractionRecord | None = None
    skipped: RecordError | None = None
    error: RecordError | None = None


def read_message(
    headers: Headers,
    me: frozenset[str],
    *,
    source: str,
    path: str,
    line: int,
    fallback_date: Callable[[], dt.datetime | None] = lambda: None,
    subjects: bool = True,
) -> MailReading:
    """One message's headers by the rules of the module docstring. ``me``: my addresses,
    lower-cased. ``subjects=False`` leaves the subject out of the summary."""

    def skip(field: str, message: str) -> MailReading:
        return MailReading(skipped=RecordError(path, line, field, message))

    senders = addresses(headers.get_all("From") or [])
    sender = senders[0] if senders else Participant()
    reason = bulk_reason(headers, sender.email)
    if reason:
        return skip(*reason)
    raw_date = str(headers.get("Date") or "").strip()
    occurred_at = mail_date(raw_date) if raw_date else fallback_date()
    if occurred_at is None:
        message = (
            f"unreadable date {raw_date!r}"
            if raw_date
            else "no Date header, and no date on its From line"
        )
        return MailReading(error=RecordError(path, line, "Date", message))
    outbound = sender.email in me
    if outbound:
        found: dict[str, Participant] = {}
        for person in addresses((headers.get_all("To") or []) + (headers.get_all("Cc") or [])):
            known = found.get(person.email)
            if person.email in me or AUTOMATED.match(person.email):  # majordomo@ is no one
                continue
            if known is None or (person.name and not known.name):
                found[person.email] = person
        people = list(found.values())
    else:
        people = [sender] if sender.email else []
    if not people:
        return (
            skip("To", "no other participants") if outbound else skip("From", "no sender address")
        )
    external_id = message_id(str(headers.get("Message-ID") or "")) or fingerprint_of(headers)
    return MailReading(
        record=InteractionRecord(
            source=source,
            path=path,
            line=line,
            external_id=external_id,
            kind="email",
            occurred_at=occurred_at,
            direction="outbound" if outbound else "inbound",
            summary=text(str(headers.get("Subject") or "")) if subjects else "",
            participants=people,
        ),
    )


def bulk_reason(headers: Headers, sender: str) -> tuple[str, str] | None:
    """Why this message is bulk or automated mail, as (header, reason); None if it is not."""
    for name in ("List-Id", "List-Unsubscribe"):
        if headers.get(name) is not None:
            return name, "mailing-list or newsletter message"
    precedence = str(headers.get("Precedence") or "").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return "Precedence", f"bulk message (precedence {precedence})"
    submitted = str(headers.get("Auto-Submitted") or "").strip().lower()
    if submitted and submitted != "no":
        return "Auto-Submitted", f"automated message ({submitted})"
    if AUTOMATED.match(sender):
        return "From", f"automated sender {sender}"
    return None


def addresses(values: list[str]) -> list[Participant]:
    """The people an address field names (each of ``values`` a field's value)."""
    return [
        Participant(email=address, name=name)
        for value in values
        for address, name in _mailboxes(value)
    ]


@functools.lru_cache(maxsize=8192)
def _mailboxes(value: str) -> tuple[tuple[str, str], ...]:
    """(address, name) of each mailbox of one field's value: addresses lower-cased, names
    decoded, a name that only repeats the address left out."""
    if "@" not in value:
        value = OBFUSCATED.sub(r"\1@\2", value)
    found = []
    for name, address in _plain_mailboxes(value) or getaddresses([value]):
        address = text(address).lower()
        if "@" in address:
            name = text(name)
            found.append((address, "" if name.lower() == address else name))
    return tuple(found)


# An address of dot-atoms, and a name of atoms (no specials, no dot), as RFC 5322 writes
# them and getaddresses reads them; anything else is left to getaddresses.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_ADDRESS = rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
_WORD = r"[^\x00-\x20\x7f-\xa0()<>@,:;.\"\[\]\\]+"  # an atom of a name: no specials, no dot
_SPACE = r"[ \t\r\n]*"
_PLAIN = re.compile(rf"{_SPACE}(?:({_ADDRESS})|({_WORD}(?: +{_WORD})*)? *<({_ADDRESS})>){_SPACE}")
_QUOTED = re.compile(rf"{_SPACE}\"([^\"\\\r\n]*)\" *<({_ADDRESS})>{_SPACE}")


def _plain_mailboxes(value: str) -> list[tuple[str, str]] | None:
    """(name, address) of a value made only of plain mailboxes, as getaddresses gives
    them; None for anything else."""
    if '"' in value:
        quoted = _QUOTED.fullmatch(value)
        return [(quoted.group(1), quoted.group(2))] if quoted else None
    found = []
    for part in value.split(","):
        plain = _PLAIN.fullmatch(part)
        if plain is None:
            return None
        if plain.group(1):
            found.append(("", plain.group(1)))
        else:
            name = plain.group(2) or ""  # its words joined by one space, as getaddresses does
            found.append((" ".join(word for word in name.split(" ") if word), plain.group(3)))
    return found


def text(value: str) -> str:
    """A header value as text: encoded words decoded, 8-bit bytes as UTF-8 or latin-1."""
    if value.isascii() and "=?" not in value:  # what decoding would give: nothing to decode
        return " ".join(value.split())
    try:
        chunks = decode_header(value)
    except (email.errors.HeaderParseError, ValueError):
        chunks = [(value, None)]
    decoded = "".join(
        _decoded(chunk.encode("latin-1", "replace") if isinstance(chunk, str) else chunk, charset)
        for chunk, charset in chunks
    )
    return " ".join(decoded.split())


def _decoded(raw: bytes, charset: str | None) -> str:
    if charset and charset != "unknown-8bit":
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def mail_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000": the zone is unknown; the instant is UTC
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def message_id(value: str) -> str:
    found = re.search(r"<[^<>\s]+>", value)
    return found.group() if found else "".join(value.split())


def fingerprint_of(headers: Headers) -> str:
    parts = (str(headers.get(name) or "").strip() for name in ("From", "Date", "Subject"))
    return hashed("\0".join(parts))


def hashed(value: str) -> str:
    return "sha256:" + hashlib.sha256(value.encode("latin-1", "replace")).hexdigest()


def thread_of(headers: Headers, fallback: str) -> str:
    """The thread's first message: the first id References names, else In-Reply-To, else
    the message itself (``fallback``: its external id)."""
    references = re.findall(r"<[^<>\s]+>", str(headers.get("References") or ""))
    if references:
        return references[0]
    return message_id(str(headers.get("In-Reply-To") or "")) or fallback


def thread_day_id(thread: str, occurred_at: dt.datetime) -> str:
    """The external id of a thread's interaction on one (UTC) day."""
    return hashed(thread)[:23] + "@" + occurred_at.astimezone(dt.UTC).date().isoformat()
