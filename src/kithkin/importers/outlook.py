"""Outlook's "Comma Separated Values" contact export, English or German, read by header
name through an alias table: Outlook translates its headers and reorders its columns by
language and version (2000: "PO Box"; 2007+: "Business Country/Region", "E-mail Type";
2013 German: "Vorname", "E-Mail-Adresse", "E-Mail 2: Adresse" ...). Google's "Outlook CSV"
flavour is read here too (google.py sends it, with source "google").

Outlook writes "0/0/00" (German "0.0.00") for an empty birthday: no birthday. A birthday
"5/14/1990" is month first, as the English Outlook writes it, unless the first number
cannot be a month; "14.5.1990" is day first.
"""

from __future__ import annotations

from kithkin.importers.csv_text import (
    Table,
    find_header,
    one_line,
    parse_birthday,
    read_rows,
    table_at,
)
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult, RecordError

# field -> header names accepted for it, lower-cased (csv_text.header_key)
ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": ("first name", "vorname"),
    "middle_name": ("middle name", "weitere vornamen"),
    "family_name": ("last name", "nachname"),
    "suffix": ("suffix",),
    "nickname": ("nickname", "spitzname"),
    "organization": ("company", "firma"),
    "title": ("job title", "position"),
    "birthday": ("birthday", "geburtstag"),
    "notes": ("notes", "notizen"),
    "categories": ("categories", "kategorien"),
    "web_page": ("web page", "webseite"),
    "display_name": ("e-mail display name", "e-mail: angezeigter name"),
    "business_city": ("business city", "ort geschäftlich"),
    "business_country": ("business country", "business country/region", "land/region geschäftlich"),
    "home_city": ("home city", "ort privat"),
    "home_country": ("home country", "home country/region", "land/region privat"),
}
# (address aliases, type aliases) per e-mail slot
EMAILS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("e-mail address", "e-mail-adresse"), ("e-mail type", "e-mail-typ")),
    (("e-mail 2 address", "e-mail 2: adresse"), ("e-mail 2 type", "e-mail 2: typ")),
    (("e-mail 3 address", "e-mail 3: adresse"), ("e-mail 3 type", "e-mail 3: typ")),
)
# (aliases, label) per phone column
PHONES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("primary phone", "haupttelefon"), "main"),
    (("mobile phone", "mobiltelefon"), "mobile"),
    (("mobile phone 2", "mobiltelefon 2"), "mobile"),
    (("business phone", "telefon geschäftlich"), "work"),
    (("business phone 2", "telefon geschäftlich 2"), "work"),
    (("company main phone", "telefon firma"), "work"),
    (("home phone", "telefon (privat)", "telefon privat"), "home"),
    (("home phone 2", "telefon (privat 2)", "telefon privat 2"), "home"),
    (("other phone", "weiteres telefon"), "other"),
    (("assistant's phone", "telefon assistent"), "assistant"),
    (("car phone", "autotelefon"), "car"),
    (("callback", "rückmeldung"), "callback"),
    (("pager",), "pager"),
    (("isdn",), "isdn"),
    (("radio phone", "funktelefon"), "radio"),
    (("tty/tdd phone", "telefon für hörbehinderte"), "tty"),
    (("business fax", "fax geschäftlich"), "work fax"),
    (("home fax", "fax privat"), "home fax"),
    (("other fax", "weiteres fax"), "fax"),
)
# Google's flavour puts its system groups among the categories.
_SYSTEM_CATEGORIES = {"mycontacts", "my contacts", "starred"}
_RECOGNISED = {
    *ALIASES["given_name"],
    *ALIASES["family_name"],
    *ALIASES["organization"],
    *(name for addresses, _ in EMAILS for name in addresses),
}


def parse_outlook_csv(data: bytes, path: str) -> ParseResult:
    """Contacts from an Outlook CSV export (any language the alias table knows)."""
    return parse_outlook_rows(data, path, source="outlook")


def parse_outlook_rows(data: bytes, path: str, source: str) -> ParseResult:
    rows = read_rows(data, path)
    header = find_header(rows, lambda keys: bool(keys & _RECOGNISED), search=5)
    if header is None:
        raise ImportFileError(
            path,
            "no 'First Name', 'Last Name' or 'E-mail Address' column (German: 'Vorname', "
            "'Nachname', 'E-Mail-Adresse'): is this an Outlook CSV export?",
        )
    table = table_at(rows, header)
    result = ParseResult(skipped=list(table.notes))
    for line, cells in table.rows:
        contact = _contact(table, line, cells, source, result)
        if contact is not None:
            result.contacts.append(contact)
    return result


def _get(table: Table, cells: list[str], field: str) -> str:
    return table.get(cells, *ALIASES[field])


def _contact(
    table: Table, line: int, cells: list[str], source: str, result: ParseResult
) -> ContactRecord | None:
    given, middle, family, suffix = (
        one_line(_get(table, cells, name))
        for name in ("given_name", "middle_name", "family_name", "suffix")
    )
    contact = ContactRecord(
        source=source,
        path=table.path,
        line=line,
        full_name=" ".join(part for part in (given, middle, family, suffix) if part),
        given_name=" ".join(part for part in (given, middle) if part),
        family_name=family,
        nickname=one_line(_get(table, cells, "nickname")),
        organization=one_line(_get(table, cells, "organization")),
        title=one_line(_get(table, cells, "title")),
        notes=_get(table, cells, "notes"),
        location=_location(table, cells),
        emails=_emails(table, cells),
        phones=_phones(table, cells),
        tags=[
            tag
            for tag in (part.strip() for part in _get(table, cells, "categories").split(";"))
            if tag and tag.lower() not in _SYSTEM_CATEGORIES
        ],
    )
    web_page = _get(table, cells, "web_page")
    if web_page:
        contact.urls.append(web_page)
    if not contact.full_name:
        contact.full_name = contact.nickname or _display_name(table, cells) or contact.organization
        contact.full_name = contact.full_name or next(iter(e for e, _ in contact.emails), "")
    if not contact.full_name:
        message = "no name, company or e-mail address: nothing to call this contact by"
        result.errors.append(RecordError(table.path, line, "First Name", message))
        return None
    birthday = _get(table, cells, "birthday")
    try:
        contact.birthday = parse_birthday(birthday)
    except ValueError:
        message = f"{birthday!r} is not a date; {contact.full_name} is imported without it"
        result.errors.append(RecordError(table.path, line, "Birthday", message))
    return contact


def _emails(table: Table, cells: list[str]) -> list[tuple[str, str]]:
    found = []
    for addresses, types in EMAILS:
        address = table.get(cells, *addresses)
        kind = table.get(cells, *types).upper()
        # Exchange accounts export an X.500 path ("/o=Org/ou=..."), not an address.
        if address and kind != "EX" and not address.startswith("/"):
            found.append((address, ""))
    return found


def _phones(table: Table, cells: list[str]) -> list[tuple[str, str]]:
    """Each number once, with the label of the first column that holds it."""
    found: dict[str, str] = {}
    for aliases, label in PHONES:
        number = table.get(cells, *aliases)
        if number:
            found.setdefault(number, label)
    return list(found.items())


def _display_name(table: Table, cells: list[str]) -> str:
    """ "Ada Lovelace (ada@example.com)" -> "Ada Lovelace"; an address alone is no name."""
    shown = one_line(_get(table, cells, "display_name")).split(" (")[0].strip()
    return "" if "@" in shown else shown


def _location(table: Table, cells: list[str]) -> str:
    for city, country in (("business_city", "business_country"), ("home_city", "home_country")):
        parts = [one_line(_get(table, cells, city)), one_line(_get(table, cells, country))]
        if any(parts):
            return ", ".join(part for part in parts if part)
    return ""
