"""mbox archives -> e-mails: one InteractionRecord per message, read from its headers only.

- Messages are found by scanning a memory-mapped file for From_ lines: a line
  "From <sender> <asctime date>" (mboxo, mboxrd, Thunderbird's "From - <date>", Gmail's
  "From 1844...@xxx <date>", or an RFC 2822 date). Like mutt, the line's shape is checked
  rather than the blank line before it: an unescaped "From here on..." in a body starts
  nothing, while a From_ line right after a body line (Roundcube writes those) still
  starts a message. A From_ line without a date ("From 1844...@xxx" alone, as some Gmail
  exports write) starts a message only when a header line follows it.
- mboxcl and mboxcl2 write each body's length in a Content-Length header and do not escape
  "From " lines in bodies: when the header's length lands on the next From_ line, the
  body is skipped by it, so a quoted message in a body starts nothing.
- Line ends: LF, CRLF, or CR alone (classic Mac OS), which is read as LF (the file is
  then copied in memory).
- Only each header block is decoded; bodies are skipped unread, except that their line
  ends are counted so every record points at the line of its From_ line.
- A message without a Date header is dated by its From_ line.
- Each message's headers become an interaction by the rules of ``importers.mail_rules``,
  which a synced mail box (``kithkin.sync.mail``) follows too: bulk and automated mail
  left out, decoding, who the message was with, its external id (the Message-ID).
- The same Message-ID twice in a file: the same message again is skipped, a different one
  gets "#" and its hash of From, Date and Subject appended, so ids stay unique and stable.
"""

from __future__ import annotations

import datetime as dt
import mmap
import random
import re
import textwrap
import time
from collections.abc import Iterator
from email.utils import format_datetime
from pathlib import Path

from kithkin.importers import mail_rules
from kithkin.importers.records import (
    ImportFileError,
    ParseResult,
    RecordError,
)

_DAY, _MONTH = (
    rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)",
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
FROM_LINE = re.compile(  # asctime ("Mon Jan  1 10:00") or RFC 2822 ("Mon, 1 Jan 2024 10:00")
    rb"From [^\r\n]*?\b"
    + _DAY
    + rb",? +(?:"
    + _MONTH
    + rb" +\d{1,2}|\d{1,2} +"
    + _MONTH
    + rb" +\d{4}) +\d{1,2}:\d\d"
)
# A From_ line without a date: one word, then a header line. Also how the first line of a
# file is accepted whatever its date looks like.
BARE_FROM_LINE = re.compile(rb"From (?:-|[^\s@]*@[^\s@]*)[ \t]*\r?\n[!-9;-~]+:")
FIRST_FROM_LINE = re.compile(rb"From [^\r\n]*\r?\n[!-9;-~]+:")
_ASCTIME = re.compile(
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +"
    r"(\d{1,2}) +(\d{1,2}):(\d\d)(?::(\d\d))?(?: +([+-]\d{4}|[A-Za-z]{1,5}))? +(\d{4})"
    r"(?: +([+-]\d{4}))?"
)
_RFC2822 = re.compile(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), +\d{1,2} +\w{3} +\d{4} +[\d:]+.*$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEADER_END = re.compile(rb"\n\r?\n|\nFrom ")
CONTENT_LENGTH = re.compile(
    rb"^Content-Length:[ \t]*(\d{1,12})[ \t]*\r?$", re.MULTILINE | re.IGNORECASE
)
MAX_HEADER = 256 * 1024  # a header block longer than this is cut (no blank line after it)


def parse_mbox(path: Path, *, my_addresses: frozenset[str]) -> ParseResult:
    """Every e-mail with someone in an mbox file; see the module docstring."""
    me = frozenset(address.lower() for address in my_addresses)
    result = ParseResult()
    seen: dict[str, tuple[int, str]] = {}  # external id -> (line, fingerprint)
    try:
        file = path.open("rb")
    except OSError as error:
        raise ImportFileError(str(path), f"cannot open the file: {error}") from error
    with file:
        if not file.seek(0, 2):
            raise ImportFileError(str(path), "empty file")
        try:
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as error:  # not a regular file (a pipe...)
            raise ImportFileError(str(path), f"cannot read the file: {error}") from error
        with data:
            text: mmap.mmap | bytes = data
            head = data[:65536]
            if b"\r" in head and b"\n" not in head:  # CR alone ends lines: classic Mac OS
                text = data[:].replace(b"\r", b"\n")
            for line, from_line, block in _header_blocks(text, str(path)):
                _read_message(line, from_line, block, str(path), me, seen, result)
    if not (result.interactions or result.skipped or result.errors):
        message = "no message in it: it ends on its first From_ line"
        if text is not data:
            message += " (its lines end with CR alone, as classic Mac OS wrote them)"
        result.errors.append(RecordError(str(path), 1, "file", message))
    return result


def _header_blocks(data: mmap.mmap | bytes, path: str) -> Iterator[tuple[int, bytes, bytes]]:
    """(line of the From_ line, the From_ line, header bytes) for every message, bodies
    left unread."""
    start = len(data[:4096]) - len(data[:4096].lstrip())  # blank lines before the first
    if not (
        FROM_LINE.match(data, start, start + 1024)
        or FIRST_FROM_LINE.match(data, start, start + 1024)
    ):
        raise ImportFileError(path, 'not an mbox file (it does not begin with a "From " line)')
    line, counted = 1 + data[:start].count(b"\n"), start
    while start != -1:
        line += data[counted:start].count(b"\n")
        counted = start
        headers = data.find(b"\n", start)
        if headers == -1:
            return  # a From_ line ending the file
        end = HEADER_END.search(data, headers, headers + MAX_HEADER)
        stop = end.start() + 1 if end else min(len(data), headers + MAX_HEADER)
        block = data[headers + 1 : stop]
        yield line, data[start:headers], block
        following = _after_content_length(data, block, end) if end else -1
        start = following if following is not None else _next_from_line(data, stop - 1)


def _after_content_length(
    data: mmap.mmap | bytes, block: bytes, end: re.Match[bytes]
) -> int | None:
    """Where the next message starts by the block's Content-Length (mboxcl, mboxcl2): -1 at
    the end of the file, None when there is no such header or it does not land on a
    From_ line (then the From_ lines are looked for)."""
    found = CONTENT_LENGTH.search(block)
    if found is None or end.group().endswith(b"From "):
        return None
    body_end = end.end() + int(found[1])
    if body_end > len(data):
        return None
    for blank in (b"", b"\n", b"\r\n", b"\n\n", b"\r\n\r\n"):
        at = body_end + len(blank)
        if data[body_end:at] != blank:
            continue
        if at == len(data):
            return -1
        if data[at : at + 5] == b"From " and _from_line_at(data, at):
            return at
    return None


def _from_line_at(data: mmap.mmap | bytes, at: int) -> bool:
    return bool(FROM_LINE.match(data, at, at + 1024) or BARE_FROM_LINE.match(data, at, at + 1024))


def _next_from_line(data: mmap.mmap | bytes, position: int) -> int:
    while (found := data.find(b"\nFrom ", position)) != -1:
        if _from_line_at(data, found + 1):
            return found + 1
        position = found + 1
    return -1


def _from_line_date(from_line: bytes) -> dt.datetime | None:
    """The date a From_ line carries (asctime, else RFC 2822); UTC unless it names an
    offset. None when it has none."""
    text = from_line.decode("latin-1")
    found = _ASCTIME.search(text)
    if found is None:
        rfc = _RFC2822.search(text)
        return mail_rules.mail_date(rfc.group()) if rfc else None
    zone = found[9] or found[7] or ""
    try:
        moment = dt.datetime(
            int(found[8]),
            _MONTHS.index(found[2]) + 1,
            int(found[3]),
            int(found[4]),
            int(found[5]),
            int(found[6] or 0),
        )
    except ValueError:
        return None
    offset = dt.timedelta(0)
    if zone[:1] in ("+", "-"):
        offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        offset = -offset if zone[0] == "-" else offset
    return (moment - offset).replace(tzinfo=dt.UTC)


def _read_message(
    line: int,
    from_line: bytes,
    block: bytes,
    path: str,
    me: frozenset[str],
    seen: dict[str, tuple[int, str]],
    result: ParseResult,
) -> None:
    headers = mail_rules.parse_headers(block)
    read = mail_rules.read_message(
        headers,
        me,
        source="email",
        path=path,
        line=line,
        fallback_date=lambda: _from_line_date(from_line),
    )
    if read.skipped is not None:
        result.skipped.append(read.skipped)
        return
    if read.error is not None or read.record is None:
        result.errors.extend([read.error] if read.error else [])
        return
    record, fingerprint = read.record, mail_rules.fingerprint_of(headers)
    external_id = record.external_id
    # Synced over IMAP first, the message is part of its thread's interaction of that day.
    thread = mail_rules.thread_of(headers, external_id)
    record.aliases = (mail_rules.thread_day_id(thread, record.occurred_at),)
    if external_id in seen:
        first_line, first_fingerprint = seen[external_id]
        if first_fingerprint == fingerprint:
            result.skipped.append(
                RecordError(path, line, "Message-ID", f"the same message as at line {first_line}")
            )
            return
        external_id = f"{external_id}#{fingerprint[-12:]}"
    seen[external_id] = (line, fingerprint)
    record.external_id = external_id if len(external_id) <= 500 else mail_rules.hashed(external_id)
    result.interactions.append(record)


# The benchmark archive: realistic enough to cost what real mail costs to parse.

_WORDS = ["the", "meeting", "next", "week", "budget", "review", "thanks", "for", "your", "note",
          "draft", "slides", "before", "Friday", "could", "we", "move", "the", "call", "to",
          "Tuesday", "please", "find", "attached", "numbers", "from", "last", "quarter", "I",
          "think", "best", "regards", "cheers", "see", "you", "soon", "a", "and", "of"]  # fmt: skip
_NAMES = ["Ana Souza", "Björn Persson", "Chen Wei", "Dana Levi", "Émile Roux", "Femi Ade"]
_SUBJECTS = ["Quarterly numbers", "Lunch on Thursday?", "Draft for review", "Re: Intro"]
_ENCODED = ["=?UTF-8?B?UsOpdW5pb24gZGUgbCfDqXF1aXBl?=", "=?ISO-8859-1?Q?Caf=E9_demain?="]


def generate_mbox(path: Path, size_bytes: int, seed: int = 7) -> int:
    """Write a synthetic mbox of about `size_bytes` and return how many messages it holds:
    varied headers, 1-20 KB bodies, encoded subjects, list mail, no-reply senders, bodies
    with escaped and unescaped "From " lines. Same seed, same bytes."""
    rng = random.Random(seed)
    prose = textwrap.fill(" ".join(rng.choices(_WORDS, k=200_000)), 72).encode() + b"\n"
    when = dt.datetime(2015, 1, 1, 9, tzinfo=dt.UTC)
    count = written = 0
    with path.open("wb") as out:
        while written < size_bytes:
            count += 1
            when += dt.timedelta(minutes=rng.randint(1, 600))
            message = _message(rng, count, when, prose)
            out.write(message)
            written += len(message)
    return count


def _message(rng: random.Random, number: int, when: dt.datetime, prose: bytes) -> bytes:
    person = rng.choice(_NAMES)
    address = person.split()[0].lower().replace("ö", "o").replace("é", "e") + "@example.org"
    kind = rng.random()
    sender = "Me <me@example.com>" if kind < 0.3 else f'"{person}" <{address}>'
    sender = "GitHub <noreply@github.com>" if 0.3 <= kind < 0.35 else sender
    subject = rng.choice(_ENCODED if rng.random() < 0.2 else _SUBJECTS)
    received = [
        f"Received: from mx{i}.example.net (mx{i}.example.net [192.0.2.{i}])\n"
        f"\tby mail.example.com with ESMTPS id {number:x}{i}; {format_datetime(when)}"
        for i in range(rng.randint(2, 5))
    ]
    recipients = [f"{n} <{n[:4].lower()}@example.net>" for n in rng.sample(_NAMES, 3)]
    lines = [
        f"From {address} {time.asctime(when.timetuple())}",  # English whatever the locale
        *received,
        f"From: {sender}",
        "To: " + ", ".join(recipients[: rng.randint(1, 3)]),
        *(["Cc: Dana Levi <dana@example.net>"] if rng.random() < 0.3 else []),
        f"Subject: {subject}",
        f"Date: {format_datetime(when)}",
        f"Message-ID: <{number}.{rng.getrandbits(40):x}@example.org>",
        *(["List-Id: <team.lists.example.org>", "Precedence: list"] if 0.35 <= kind < 0.5 else []),
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="utf-8"',
    ]
    offset = rng.randrange(0, len(prose) - 21_000)
    body = prose[offset : offset + rng.randint(1_000, 20_000)]
    if rng.random() < 0.1:
        body += b"\n>From the archive, escaped\nFrom here on, an unescaped line\n"
    return "\n".join(lines).encode() + b"\n\n" + body + b"\n\n"
