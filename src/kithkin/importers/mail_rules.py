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
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.header import decode_header
from email.message import Message
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


def parse_headers(block: bytes) -> Message:
    return HEADERS.parsestr(block.decode("latin-1"))


@dataclass
class MailReading:
    """What one message became: an interaction (``record``, its ``fingerprint`` for
    telling two messages with one Message-ID apart), or a reason it became none:
    ``skipped`` (bulk, no one else in it) or ``error`` (an unreadable date)."""

    record: InteractionRecord | None = None
    fingerprint: str = ""
    skipped: RecordError | None = None
    error: RecordError | None = None


def read_message(
    headers: Message,
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
    fingerprint = fingerprint_of(headers)
    external_id = message_id(str(headers.get("Message-ID") or "")) or fingerprint
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
        fingerprint=fingerprint,
    )


def bulk_reason(headers: Message, sender: str) -> tuple[str, str] | None:
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
    values = [str(v) if "@" in str(v) else OBFUSCATED.sub(r"\1@\2", str(v)) for v in values]
    found = []
    for name, address in getaddresses(values):
        address = text(address).lower()
        if "@" in address:
            name = text(name)
            found.append(Participant(email=address, name="" if name.lower() == address else name))
    return found


def text(value: str) -> str:
    """A header value as text: encoded words decoded, 8-bit bytes as UTF-8 or latin-1."""
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


def fingerprint_of(headers: Message) -> str:
    parts = (str(headers.get(name) or "").strip() for name in ("From", "Date", "Subject"))
    return hashed("\0".join(parts))


def hashed(value: str) -> str:
    return "sha256:" + hashlib.sha256(value.encode("latin-1", "replace")).hexdigest()


def thread_of(headers: Message, fallback: str) -> str:
    """The thread's first message: the first id References names, else In-Reply-To, else
    the message itself (``fallback``: its external id)."""
    references = re.findall(r"<[^<>\s]+>", str(headers.get("References") or ""))
    if references:
        return references[0]
    return message_id(str(headers.get("In-Reply-To") or "")) or fallback


def thread_day_id(thread: str, occurred_at: dt.datetime) -> str:
    """The external id of a thread's interaction on one (UTC) day."""
    return hashed(thread)[:23] + "@" + occurred_at.astimezone(dt.UTC).date().isoformat()
