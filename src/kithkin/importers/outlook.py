"""Outlook's "Comma Separated Values" contact export, read by header name through an alias
table: Outlook translates its headers and reorders its columns by language and version
(2000: "PO Box"; 2007+: "Business Country/Region", "E-mail Type"; 2013 German: "Vorname",
"E-Mail-Adresse", "E-Mail 2: Adresse" ...). Google's "Outlook CSV" flavour is read here too
(google.py sends it, with source "google").

The languages, and where their header names come from:

* English (Outlook 2000 and 2007+) and German (Outlook 2013): real exports in the corpus;
* French: a real French Outlook export header (the column list Polytechnique.org's platal
  writes for French Outlook), which names two columns "Titre": the courtesy title, then
  the job title;
* Spanish, Italian, Portuguese (Brazil): Roundcube's csv2vcard localisation maps, built
  from Outlook exports but not checked here against a file of each;
* Dutch: the names Dutch Outlook shows, not verified against an export.

Outlook writes "0/0/00" (German "0.0.00") for an empty birthday: no birthday. A birthday
"5/14/1990" is month first, as the English Outlook writes it, unless the first number
cannot be a month; "14.5.1990" is day first.

Postal addresses (business, home, other: streets, city, state, postal code, country, PO
box) are kept one part a line; a job title without a company is the headline; spreadsheet
placeholders (``N/A``, ``-``...) are no value. A file another program wrote (Thunderbird,
LinkedIn, Google's own layout) is refused, naming what it looks like.
"""

from __future__ import annotations

from kithkin.importers.csv_text import (
    Table,
    find_header,
    header_key,
    parse_birthday,
    placeholder,
    read_rows,
    real,
    refuse_other_formats,
    refuse_other_programs,
    table_at,
)
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult, RecordError

WHAT = "an Outlook CSV export"
LANGUAGES = "English, German, French, Spanish, Italian, Portuguese or Dutch"

# field -> header names accepted for it (csv_text.header_key), in the order
# en, de, fr, es, it, pt, nl
ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": (
        "first name",
        "vorname",
        "prénom",
        "nombre",
        "nome",
        "primeiro nome",
        "voornaam",
    ),
    "middle_name": (
        "middle name",
        "weitere vornamen",
        "deuxième prénom",
        "segundo nombre",
        "secondo nome",
        "nome do meio",
        "middelste naam",
    ),
    "family_name": (
        "last name",
        "nachname",
        "nom",
        "apellidos",
        "cognome",
        "último nome",
        "achternaam",
    ),
    "suffix": ("suffix", "suffixe", "sufijo", "suffisso", "sufixo", "achtervoegsel"),
    "nickname": ("nickname", "spitzname", "surnom"),
    "organization": (
        "company",
        "firma",
        "société",
        "organización",
        "società",
        "empresa",
        "bedrijf",
    ),
    "title": ("job title", "position", "titre#2", "puesto", "qualifica", "cargo", "functie"),
    "birthday": (
        "birthday",
        "geburtstag",
        "anniversaire",
        "cumpleaños",
        "compleanno",
        "aniversário",
        "verjaardag",
    ),
    "notes": ("notes", "notizen", "notas", "note", "notities"),
    "categories": (
        "categories",
        "kategorien",
        "catégories",
        "categorías",
        "categorie",
        "categorias",
        "categorieën",
    ),
    "web_page": ("web page", "webseite", "page web", "página web", "pagina web", "webpagina"),
    "display_name": (
        "e-mail display name",
        "e-mail: angezeigter name",
        "nom complet de l'adresse de messagerie",
        "weergavenaam e-mail",
    ),
    "business_city": (
        "business city",
        "ort geschäftlich",
        "ville (bureau)",
        "ciudad de trabajo",
        "città di lavoro",
        "cidade comercial",
    ),
    "business_country": (
        "business country",
        "business country/region",
        "land/region geschäftlich",
        "pays (bureau)",
        "pays/région (bureau)",
        "país o región del trabajo",
        "nazione/regione di lavoro",
        "região/país comercial",
    ),
    "home_city": (
        "home city",
        "ort privat",
        "ville (domicile)",
        "città di residenza",
        "cidade de casa",
    ),
    "home_country": (
        "home country",
        "home country/region",
        "land/region privat",
        "pays (domicile)",
        "pays/région (domicile)",
        "país o región del domicilio",
        "nazione/regione di casa",
        "região/país de casa",
    ),
}
# (address aliases, type aliases) per e-mail slot
EMAILS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (
            "e-mail address",
            "e-mail-adresse",
            "adresse de messagerie",
            "dirección de correo electrónico",
            "indirizzo e-mail",
            "endereço de e-mail",
            "e-mailadres",
        ),
        ("e-mail type", "e-mail-typ", "type de messagerie", "e-mailtype"),
    ),
    (
        (
            "e-mail 2 address",
            "e-mail 2: adresse",
            "adresse de messagerie 2",
            "dirección de correo electrónico 2",
            "indirizzo e-mail 2",
            "endereço de e-mail 2",
            "e-mailadres 2",
        ),
        ("e-mail 2 type", "e-mail 2: typ", "type de messagerie 2", "e-mailtype 2"),
    ),
    (
        (
            "e-mail 3 address",
            "e-mail 3: adresse",
            "adresse de messagerie 3",
            "dirección del correo electrónico 3",
            "dirección de correo electrónico 3",
            "indirizzo e-mail 3",
            "endereço de e-mail 3",
            "e-mailadres 3",
        ),
        ("e-mail 3 type", "e-mail 3: typ", "type de messagerie 3", "e-mailtype 3"),
    ),
)
# (aliases, label) per phone column
PHONES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "primary phone",
            "haupttelefon",
            "téléphone principal",
            "teléfono principal",
            "telefono principale",
            "fone primario",
        ),
        "main",
    ),
    (
        (
            "mobile phone",
            "mobiltelefon",
            "tél. mobile",
            "teléfono móvil",
            "telefono mobile",
            "cellulare",
            "celular",
            "mobiele telefoon",
        ),
        "mobile",
    ),
    (("mobile phone 2", "mobiltelefon 2"), "mobile"),
    (
        (
            "business phone",
            "telefon geschäftlich",
            "téléphone (bureau)",
            "teléfono del trabajo",
            "telefono di lavoro",
            "fone comercial",
            "telefoon op werk",
        ),
        "work",
    ),
    (
        (
            "business phone 2",
            "telefon geschäftlich 2",
            "téléphone 2 (bureau)",
            "telefono di lavoro 2",
            "fone comercial 2",
        ),
        "work",
    ),
    (("company main phone", "telefon firma", "téléphone société"), "work"),
    (
        (
            "home phone",
            "telefon (privat)",
            "telefon privat",
            "téléphone (domicile)",
            "particular",
            "telefono di casa",
            "fone de casa",
            "telefoon thuis",
        ),
        "home",
    ),
    (
        (
            "home phone 2",
            "telefon (privat 2)",
            "telefon privat 2",
            "téléphone 2 (domicile)",
            "telefono di casa 2",
            "fone de casa 2",
        ),
        "home",
    ),
    (
        (
            "other phone",
            "weiteres telefon",
            "téléphone (autre)",
            "otro teléfono",
            "phone altro",
            "outro fone",
        ),
        "other",
    ),
    (
        (
            "assistant's phone",
            "telefon assistent",
            "téléphone de l'assistant(e)",
            "telefono dell'assistente",
            "fone do assistente",
        ),
        "assistant",
    ),
    (
        ("car phone", "autotelefon", "téléphone (voiture)", "telefono dell'auto", "fone do carro"),
        "car",
    ),
    (("callback", "rückmeldung", "rappel"), "callback"),
    (("pager", "récepteur de radiomessagerie", "numero cercapersone"), "pager"),
    (("isdn", "rnis"), "isdn"),
    (("radio phone", "funktelefon", "radio téléphone"), "radio"),
    (("tty/tdd phone", "telefon für hörbehinderte", "téléphone tdd/tty"), "tty"),
    (
        (
            "business fax",
            "fax geschäftlich",
            "télécopie (bureau)",
            "fax di lavoro",
            "fax comercial",
            "fax op werk",
        ),
        "work fax",
    ),
    (
        (
            "home fax",
            "fax privat",
            "télécopie (domicile)",
            "fax di casa",
            "fax de casa",
            "fax thuis",
        ),
        "home fax",
    ),
    (
        ("other fax", "weiteres fax", "télécopie (autre)", "otro fax", "fax altro", "outro fax"),
        "fax",
    ),
)
# label -> (part -> header names) for each postal address; parts in the order written.
ADDRESSES: dict[str, dict[str, tuple[str, ...]]] = {
    "work": {
        "formatted": ("business address",),
        "street": (
            "business street",
            "straße geschäftlich",
            "rue (bureau)",
            "calle del trabajo",
            "indirizzo di lavoro",
            "rua comercial",
        ),
        "street 2": ("business street 2", "straße geschäftlich 2", "rue (bureau) 2"),
        "street 3": ("business street 3", "straße geschäftlich 3", "rue (bureau) 3"),
        "po box": ("business address po box", "postfach geschäftlich", "b.p. professionnelle"),
        "city": ALIASES["business_city"],
        "state": (
            "business state",
            "region geschäftlich",
            "dép/région (bureau)",
            "provincia o estado de trabajo",
            "provincia di lavoro",
            "estado comercial",
        ),
        "postal code": (
            "business postal code",
            "postleitzahl geschäftlich",
            "code postal (bureau)",
            "código postal del trabajo",
            "cap di lavoro",
            "código postal comercial",
        ),
        "country": ALIASES["business_country"],
    },
    "home": {
        "formatted": ("home address",),
        "street": (
            "home street",
            "straße privat",
            "rue (domicile)",
            "indirizzo di casa",
            "rua de casa",
        ),
        "street 2": ("home street 2", "straße privat 2", "rue (domicile) 2"),
        "street 3": ("home street 3", "straße privat 3", "rue (domicile) 3"),
        "po box": ("home address po box", "postfach privat", "boîte postale du domicile"),
        "city": ALIASES["home_city"],
        "state": (
            "home state",
            "bundesland/kanton privat",
            "dép/région (domicile)",
            "provincia di residenza",
            "estado de casa",
        ),
        "postal code": (
            "home postal code",
            "postleitzahl privat",
            "code postal (domicile)",
            "cap di casa",
            "código postal de casa",
        ),
        "country": ALIASES["home_country"],
    },
    "other": {
        "formatted": ("other address",),
        "street": (
            "other street",
            "weitere straße",
            "rue (autre)",
            "otra calle",
            "via altro",
            "outra rua",
        ),
        "street 2": ("other street 2", "weitere straße 2", "rue (autre) 2"),
        "street 3": ("other street 3", "weitere straße 3", "rue (autre) 3"),
        "po box": ("other address po box", "po box", "weiteres postfach", "autre boîte postale"),
        "city": (
            "other city",
            "weiterer ort",
            "ville (autre)",
            "otra ciudad",
            "città altro",
            "outra cidade",
        ),
        "state": (
            "other state",
            "weiteres/r bundesland/kanton",
            "dép/région (autre)",
            "otra provincia o estado",
            "stato altro",
            "outro estado",
        ),
        "postal code": (
            "other postal code",
            "weitere postleitzahl",
            "code postal (autre)",
            "otro código postal",
            "cap postale altro",
            "outro código postal",
        ),
        "country": (
            "other country",
            "other country/region",
            "weiteres/e land/region",
            "pays (autre)",
            "pays/région (autre)",
            "otro país o región",
            "nazione/regione altro",
            "outro país/região",
        ),
    },
}
# Google's flavour puts its system groups among the categories.
_SYSTEM_CATEGORIES = {"mycontacts", "my contacts", "starred"}
_RECOGNISED = {
    *ALIASES["given_name"],
    *ALIASES["family_name"],
    *ALIASES["organization"],
    *(name for addresses, _ in EMAILS for name in addresses),
}


def parse_outlook_csv(data: bytes, path: str) -> ParseResult:
    """Contacts from an Outlook CSV export, in any of the LANGUAGES the alias table knows."""
    return parse_outlook_rows(data, path, source="outlook")


def parse_outlook_rows(data: bytes, path: str, source: str) -> ParseResult:
    refuse_other_formats(data, path)
    rows = read_rows(data, path)
    header = find_header(rows, lambda keys: bool(keys & _RECOGNISED), search=5)
    expected = WHAT if source == "outlook" else "a Google Contacts CSV export"
    for line, cells in rows.rows[: 5 if header is None else header + 1]:
        keys = {header_key(cell) for cell in cells}
        refuse_other_programs(keys, path, line, expected, also=(WHAT,))
    if header is None:
        raise ImportFileError(
            path,
            "no 'First Name', 'Last Name' or 'E-mail Address' column in any language Kithkin "
            f"reads ({LANGUAGES}; German: 'Vorname', 'Nachname', 'E-Mail-Adresse'): is this "
            "an Outlook CSV export?",
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
        real(_get(table, cells, name))
        for name in ("given_name", "middle_name", "family_name", "suffix")
    )
    contact = ContactRecord(
        source=source,
        path=table.path,
        line=line,
        full_name=" ".join(part for part in (given, middle, family, suffix) if part),
        given_name=" ".join(part for part in (given, middle) if part),
        family_name=family,
        nickname=real(_get(table, cells, "nickname")),
        organization=real(_get(table, cells, "organization")),
        title=real(_get(table, cells, "title")),
        notes=_get(table, cells, "notes"),
        location=_location(table, cells),
        emails=_emails(table, cells),
        phones=_phones(table, cells),
        addresses=_addresses(table, cells),
        tags=[
            tag
            for tag in (part.strip() for part in _get(table, cells, "categories").split(";"))
            if tag and tag.lower() not in _SYSTEM_CATEGORIES
        ],
    )
    web_page = _get(table, cells, "web_page")
    if web_page and not placeholder(web_page):
        contact.urls.append(web_page)
    if contact.title and not contact.organization:  # a title alone says what they do
        contact.headline, contact.title = contact.title, ""
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
        if placeholder(address):
            continue
        if address and kind != "EX" and not address.startswith("/"):
            found.append((address, ""))
    return found


def _phones(table: Table, cells: list[str]) -> list[tuple[str, str]]:
    """Each number once, with the label of the first column that holds it."""
    found: dict[str, str] = {}
    for aliases, label in PHONES:
        number = table.get(cells, *aliases)
        if number and not placeholder(number):
            found.setdefault(number, label)
    return list(found.items())


def _display_name(table: Table, cells: list[str]) -> str:
    """ "Ada Lovelace (ada@example.com)" -> "Ada Lovelace"; an address alone is no name."""
    shown = real(_get(table, cells, "display_name")).split(" (")[0].strip()
    return "" if "@" in shown else shown


def _location(table: Table, cells: list[str]) -> str:
    for city, country in (("business_city", "business_country"), ("home_city", "home_country")):
        parts = [real(_get(table, cells, city)), real(_get(table, cells, country))]
        if any(parts):
            return ", ".join(part for part in parts if part)
    return ""


def _addresses(table: Table, cells: list[str]) -> list[tuple[str, str]]:
    """(address, label) for the business, home and other addresses: the formatted text
    Google's flavour writes, else the parts Outlook writes, one a line."""
    found = []
    for label, parts in ADDRESSES.items():
        formatted = table.get(cells, *parts["formatted"])
        lines = formatted.splitlines() if formatted else []
        if not formatted:
            lines = [
                table.get(cells, *names) for part, names in parts.items() if part != "formatted"
            ]
        text = "\n".join(line.strip() for line in lines if line.strip() and not placeholder(line))
        if text:
            found.append((text, label))
    return found
