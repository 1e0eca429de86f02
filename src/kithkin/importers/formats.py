"""The formats `kith import` understands, each a parser from importers/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kithkin.importers.records import ImportFileError, ParseResult
from kithkin.models import ContactPoint, Network, User


@dataclass(frozen=True)
class ImportContext:
    my_addresses: frozenset[str]  # my own emails: left out of participants, decide direction
    until: dt.datetime  # recurring events are expanded up to here


def context_for(
    network: Network, user: User, *, until: dt.datetime, extra: Iterable[str] = ()
) -> ImportContext:
    """My addresses: *me*'s emails in this network, my login's email, and any others given."""
    mine = set(
        ContactPoint.objects.filter(
            person__network=network, person__is_self=True, kind=ContactPoint.Kind.EMAIL
        ).values_list("normalized", flat=True)
    )
    if user.email:
        mine.add(user.email.lower())
    mine |= {address.strip().lower() for address in extra if address.strip()}
    return ImportContext(my_addresses=frozenset(mine), until=until)


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise ImportFileError(str(path), "is a folder; give a file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc


def _linkedin(path: Path, context: ImportContext) -> ParseResult:
    from kithkin.importers.linkedin import parse_linkedin
    from kithkin.importers.records import MyJob

    result = parse_linkedin(path)
    result.my_jobs = [MyJob(p.company, p.title, p.start, p.end) for p in result.my_positions]
    return result


def _google(path: Path, context: ImportContext) -> ParseResult:
    from kithkin.importers.google import parse_google_csv

    return parse_google_csv(_read(path), str(path))


def _outlook(path: Path, context: ImportContext) -> ParseResult:
    from kithkin.importers.outlook import parse_outlook_csv

    return parse_outlook_csv(_read(path), str(path))


def _vcard(path: Path, context: ImportContext) -> ParseResult:
    from kithkin.importers.vcard import parse_vcards

    return parse_vcards(_read(path), str(path))


def _ics(path: Path, context: ImportContext) -> ParseResult:
    from kithkin.importers.icalendar_events import parse_calendar

    return parse_calendar(
        _read(path), str(path), my_addresses=context.my_addresses, until=context.until
    )


def _mbox(path: Path, context: ImportContext) -> ParseResult:
    from kithkin.importers.mbox import parse_mbox

    if not path.is_file():
        raise ImportFileError(str(path), "no such file")
    return parse_mbox(path, my_addresses=context.my_addresses)


FORMATS: dict[str, tuple[str, Callable[[Path, ImportContext], ParseResult]]] = {
    "linkedin": ("LinkedIn data export: the folder, the ZIP, or Connections.csv", _linkedin),
    "google": ("Google Contacts CSV (current or legacy layout)", _google),
    "outlook": (
        "Outlook CSV: English, German, French, Spanish, Italian, Portuguese or Dutch",
        _outlook,
    ),
    "vcard": ("vCard 2.1, 3.0 or 4.0 (.vcf), one or many cards", _vcard),
    "ics": ("iCalendar (.ics): meetings become interactions", _ics),
    "mbox": (
        "Mail archive (mbox, mboxrd, mboxcl2; Thunderbird, Gmail): headers only, become email "
        "interactions",
        _mbox,
    ),
}


def parse(format_name: str, path: Path, context: ImportContext) -> ParseResult:
    if format_name not in FORMATS:
        raise ImportFileError(
            str(path), f"unknown format {format_name!r}; use one of {', '.join(FORMATS)}"
        )
    if not path.exists():
        raise ImportFileError(str(path), "no such file or folder")
    return FORMATS[format_name][1](path, context)
