"""Google Contacts and Outlook CSV exports: the real files of ../shared/corpus, Google's
current layout and Outlook's languages written here; the dates and lines every CSV reader
shares; and anything at all, given to every CSV parser (LinkedIn's too)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithkin.importers import csv_text
from kithkin.importers.google import parse_google_csv
from kithkin.importers.linkedin import parse_connections, parse_invitations, parse_messages
from kithkin.importers.outlook import parse_outlook_csv
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
Parser = Callable[[bytes, str], ParseResult]
FILES = [
    (folder, p.name)
    for folder in ("google", "outlook")
    for p in sorted((CORPUS / folder).glob("*.csv"))
] or [("google", "<absent>")]
PARSER: dict[str, Parser] = {"google": parse_google_csv, "outlook": parse_outlook_csv}


def corpus_file(*parts: str) -> Path:
    if not CORPUS.is_dir():
        message = f"../shared/corpus is absent: these tests read real exports from {CORPUS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS.joinpath(*parts)


def parse(folder: str, name: str) -> ParseResult:
    path = corpus_file(folder, name)
    return PARSER[folder](path.read_bytes(), str(path))


def at_line(result: ParseResult, line: int) -> ContactRecord:
    (contact,) = [c for c in result.contacts if c.line == line]
    return contact


# Every file of the corpus -------------------------------------------------------------


@pytest.mark.parametrize(("folder", "name"), FILES)
def test_every_corpus_file_parses_and_lines_point_at_the_row(folder: str, name: str) -> None:
    path = corpus_file(folder, name)
    result = PARSER[folder](path.read_bytes(), str(path))
    assert result.contacts and not result.errors
    text, _ = csv_text.decode(path.read_bytes(), str(path))
    lines = re.split(r"\r\n|\r|\n", text)
    for contact in result.contacts:
        assert contact.full_name.strip() and contact.line >= 1
        assert contact.source == folder and contact.path == str(path)
        row = lines[contact.line - 1]
        assert (contact.given_name or contact.full_name).split()[0] in row


EXPECTED = {  # contacts per file, counted by hand
    ("google", "google_legacy_export_2018_baneeishaque_pseudonymized.csv"): 35,
    ("google", "google_legacy_roundcube_gmail.csv"): 1,
    ("google", "google_legacy_tine20.csv"): 5,
    ("google", "google_outlookcsv_export_2018_progteam_pseudonymized.csv"): 17,
    ("outlook", "outlook2000_en_projectopen_sample.csv"): 1,
    ("outlook", "outlook2013_de_tine20.csv"): 2,
    ("outlook", "outlook_emailcols_roundcube.csv"): 1,
}


def test_every_corpus_file_has_expectations() -> None:
    corpus_file("google")
    assert set(FILES) == set(EXPECTED)


@pytest.mark.parametrize(("where", "count"), EXPECTED.items())
def test_contacts_per_corpus_file(where: tuple[str, str], count: int) -> None:
    result = parse(*where)
    assert (len(result.contacts), len(result.errors), len(result.skipped)) == (count, 0, 0)


# Google ---------------------------------------------------------------------------------


def test_google_legacy_export_splits_multiple_values_and_drops_system_groups() -> None:
    result = parse("google", "google_legacy_export_2018_baneeishaque_pseudonymized.csv")
    assert all(c.tags == [] for c in result.contacts)  # only "* myContacts" there
    first = result.contacts[0]
    assert (first.line, first.full_name, first.phones) == (
        2,
        "+186447010597",
        [("+186447010597", "mobile")],
    )
    rich = at_line(result, 18)
    assert rich.full_name == "CFNVS UGZMJCP H"
    assert (rich.given_name, rich.family_name) == ("SVGNX PHPBKGA", "D")
    assert rich.emails == [
        ("Ghrnwlmsejqn@gmail.com", "other"),  # "* Other": the primary mark is dropped
        ("Ghrnwlmsejqn@hotmail.com", "work"),
        ("T.pmhragcpqzhb@yahoo.com", "work"),
        ("isel@bedzgqpktdjp.com", "other"),
        ("Ghrnwlmsejqn@zokqzks.com", "other"),
        ("Eckamholwnta@cyv.com", "other"),
        ("Ghrnwlmsejqn@moswmm.com", "other"),
    ]
    assert rich.phones == [
        ("+123971009229", "mobile"),
        ("+558060306166", "home"),
        ("+092004877206", "home"),
    ]
    assert rich.birthday == (1970, 9, 28)
    assert rich.organization == "Badgz Ydicm OX Tvtrdluoj, ECP Mybkpjizz, Cwema Td-sxnlr"
    assert rich.urls == ["juvx://lxtdjqlmevdc.breemwmb.mxz"]
    assert at_line(result, 5).emails == [
        ("hdoxs-jal@6ian8.com", ""),  # type INTERNET says nothing
        ("nolwhwc@6ian8.com", ""),
        ("vagerjb@6ian8.com", ""),
    ]


def test_google_legacy_roundcube_every_field() -> None:
    (contact,) = parse("google", "google_legacy_roundcube_gmail.csv").contacts
    assert contact.full_name == "Prefix Firstname Middle Lastname Suffix"
    assert (contact.given_name, contact.family_name, contact.nickname) == (
        "Firstname Middle",
        "Lastname",
        "nick",
    )
    assert contact.emails == [
        ("home@aaa.pl", "home"),
        ("work@email.pl", "work"),
        ("unknown@email.com", ""),
        ("other@email.com", "other"),
    ]
    assert ("workfax", "work fax") in contact.phones and len(contact.phones) == 7
    assert contact.urls == ["test.com", "home.page.com"]
    assert (contact.organization, contact.title) == ("company", "jobtitle")
    assert contact.notes == 'note"note'
    assert contact.birthday == (1975, 12, 12)
    assert contact.tags == ["Test"]  # "* My Contacts ::: Test"
    assert contact.location == "home_city, home_country"


def test_google_legacy_tine20_multi_line_address_and_groups() -> None:
    result = parse("google", "google_legacy_tine20.csv")
    assert [c.line for c in result.contacts] == [2, 3, 4, 5, 6]
    axel = at_line(result, 5)
    assert (axel.tags, axel.emails, axel.notes) == (["kunden"], [("abc@here.de", "other")], "rutan")
    assert at_line(result, 6).location == "Winsen"


def test_google_outlook_flavour_goes_to_the_outlook_reader() -> None:
    result = parse("google", "google_outlookcsv_export_2018_progteam_pseudonymized.csv")
    first = result.contacts[0]
    assert (first.source, first.line, first.full_name) == ("google", 2, "Zmxb Jgo")
    assert first.emails == [("isgr@ylmbh.edu", "")]
    assert (first.organization, first.title) == ("FPPH", "CBWE-QCVQFLBQH")
    assert first.tags == ["VNEQ midmdaon"]  # "VNEQ midmdaon;myContacts"
    assert at_line(result, 6).given_name == "Nvga Efnjmqiuwy"  # first + middle


GOOGLE_CURRENT = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Website 1 - Label,"
    "Website 1 - Value\n"
    'Zoë,,Müller,,,,,,,,Café Ltd,CTO,,--05-14,"Met at PyCon,\nloves tea",,'
    "* myContacts ::: * starred ::: Friends ::: PyCon,* Work,zoe@cafe.example ::: z@home.example,"
    ",,Mobile,+44 7700 900123,Profile,https://www.linkedin.com/in/zoe\n"
    ",,,,,,,,,,,,,1990-05-14,,,* myContacts,,only@mail.example,,,,,,\n"
    ",,,,,,,,,,,,,,just a note,,* myContacts,,,,,,,,\n"
    "Bad,Birthday,,,,,,,,,,,,someday,,,,,,,,,,,\n"
)


def test_google_current_layout() -> None:
    result = parse_google_csv(GOOGLE_CURRENT.encode(), "contacts.csv")
    zoe, nameless, bad = result.contacts
    assert (zoe.line, zoe.full_name, zoe.given_name, zoe.family_name) == (
        2,
        "Zoë Müller",
        "Zoë",
        "Müller",
    )
    assert zoe.emails == [("zoe@cafe.example", "work"), ("z@home.example", "work")]
    assert zoe.phones == [("+44 7700 900123", "mobile")]
    assert zoe.urls == ["https://www.linkedin.com/in/zoe"]
    assert (zoe.organization, zoe.title) == ("Café Ltd", "CTO")
    assert zoe.birthday == (None, 5, 14)
    assert zoe.notes == "Met at PyCon,\nloves tea"
    assert zoe.tags == ["Friends", "PyCon"]
    # called by its e-mail address, as Google lists it; on the line after Zoë's two
    assert (nameless.line, nameless.full_name, nameless.birthday) == (
        4,
        "only@mail.example",
        (1990, 5, 14),
    )
    assert (bad.full_name, bad.birthday) == ("Bad Birthday", None)
    assert [(e.line, e.field) for e in result.errors] == [(5, "Name"), (6, "Birthday")]


# Outlook ------------------------------------------------------------------------------


def test_outlook_2000_english_cp1252() -> None:
    path = corpus_file("outlook", "outlook2000_en_projectopen_sample.csv")
    text, _ = csv_text.decode(path.read_bytes(), str(path))
    assert "Ronda Sant Antoní 51, 1° 2ª" in text  # Windows-1252, decoded right
    (frank,) = parse("outlook", "outlook2000_en_projectopen_sample.csv").contacts
    assert (frank.line, frank.full_name, frank.organization, frank.title) == (
        2,
        "Frank Bergmann",
        "Project/Open",
        "Managing Director",
    )
    assert frank.emails == [("frank.bergmann@project-open.com", "")]
    assert frank.phones == [  # each number once, first label wins
        ("+34 609 953 751", "mobile"),
        ("+34 93 325 0914", "work"),
        ("+34 93 289 0729", "work fax"),
    ]
    assert frank.birthday is None  # "0/0/00"
    assert (frank.notes, frank.tags, frank.location) == (
        "Founder of Project/Open",
        ["PO"],
        "Barcelona, Spain",
    )


def test_outlook_2013_german_headers() -> None:
    result = parse("outlook", "outlook2013_de_tine20.csv")
    christian, cornelius = result.contacts
    assert (christian.line, cornelius.line) == (2, 4)  # a quoted newline between them
    assert (christian.full_name, christian.organization, christian.title) == (
        "Christian Baumann",
        "unittest",
        "Vertrieb",
    )
    assert christian.emails == [("c.baumann@unittest.de", "")]
    assert christian.phones == [("+49 (0) 40 6432131-550", "work")]
    assert (christian.birthday, christian.notes, christian.location) == (
        None,
        "",
        "Hamburg, Deutschland",
    )
    assert cornelius.full_name == "Cornelius Weiß"
    # the same number as business and private phone: once, with the first label
    assert cornelius.phones == [("0176 164321545", "mobile"), ("040 6432131545", "work")]


def test_outlook_with_email_columns_only() -> None:
    (contact,) = parse("outlook", "outlook_emailcols_roundcube.csv").contacts
    assert contact.full_name == "test1@domain.tld"
    assert [e for e, _ in contact.emails] == [
        "test1@domain.tld",
        "test2@domain.tld",
        "test3@domain.tld",
    ]


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (
            '"First Name","Last Name","E-mail Address","E-mail Type","E-mail 2 Address",'
            '"Company","Job Title","Mobile Phone","Birthday","Categories","Web Page"',
            '"Zoë","Müller","zoe@cafe.example","SMTP","/o=Cafe/ou=Exchange/cn=zoe",'
            '"Café Ltd","CTO","+44 7700 900123","5/14/1990","Friends;PyCon","cafe.example"',
        ),
        (
            '"Vorname","Nachname","E-Mail-Adresse","E-Mail-Typ","E-Mail 2: Adresse",'
            '"Firma","Position","Mobiltelefon","Geburtstag","Kategorien","Webseite"',
            '"Zoë","Müller","zoe@cafe.example","SMTP","/o=Cafe/ou=Exchange/cn=zoe",'
            '"Café Ltd","CTO","+44 7700 900123","14.5.1990","Friends;PyCon","cafe.example"',
        ),
    ],
)
@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-16"])
def test_outlook_languages_and_encodings(header: str, row: str, encoding: str) -> None:
    result = parse_outlook_csv(f"{header}\r\n{row}\r\n".encode(encoding), "contacts.csv")
    (zoe,) = result.contacts
    assert (zoe.full_name, zoe.organization, zoe.title) == ("Zoë Müller", "Café Ltd", "CTO")
    assert zoe.emails == [("zoe@cafe.example", "")]  # an Exchange path is no address
    assert zoe.phones == [("+44 7700 900123", "mobile")]
    assert zoe.birthday == (1990, 5, 14)
    assert zoe.tags == ["Friends", "PyCon"]
    assert zoe.urls == ["cafe.example"]


def test_outlook_bad_birthday_keeps_the_contact() -> None:
    data = b"First Name,Last Name,Birthday\nAda,Lovelace,the tenth\n"
    result = parse_outlook_csv(data, "contacts.csv")
    assert [c.full_name for c in result.contacts] == ["Ada Lovelace"]
    assert [(e.line, e.field) for e in result.errors] == [(2, "Birthday")]


# Reading CSV text: dates and lines -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12 Jan 2024", dt.date(2024, 1, 12)),
        ("01/12/2024", dt.date(2024, 1, 12)),  # LinkedIn and Outlook write US month first
        ("25/12/2024", dt.date(2024, 12, 25)),  # ... unless the first number cannot be one
        ("2018-04-01", dt.date(2018, 4, 1)),
        ("23-Nov-21", dt.date(2021, 11, 23)),
        ("1/8/18, 6:14 PM", dt.date(2018, 1, 8)),
        ("14.05.1990", dt.date(1990, 5, 14)),
        ("Jan 2020", dt.date(2020, 1, 1)),
        ("Nov 20, 2018", dt.date(2018, 11, 20)),
    ],
)
def test_dates_as_exports_write_them(text: str, day: dt.date) -> None:
    assert csv_text.parse_date(text) == day


@pytest.mark.parametrize("text", ["31 Feb 2024", "13/13/2024", "12 Foo 2024", "0/0/00", "soon"])
def test_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 -- any ValueError is the contract
        csv_text.parse_date(text)


@pytest.mark.parametrize(
    ("text", "birthday"),
    [("--05-14", (None, 5, 14)), ("1990-05-14", (1990, 5, 14)), ("0/0/00", None), ("", None)],
)
def test_birthdays(text: str, birthday: tuple[int | None, int, int] | None) -> None:
    assert csv_text.parse_birthday(text) == birthday


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2024-01-15 14:30:00 UTC", dt.datetime(2024, 1, 15, 14, 30, tzinfo=dt.UTC)),
        ("2024-01-15T16:30:00+02:00", dt.datetime(2024, 1, 15, 14, 30, tzinfo=dt.UTC)),
        ("1/19/26, 9:15 AM", dt.datetime(2026, 1, 19, 9, 15, tzinfo=dt.UTC)),
        ("1/19/26, 12:05 AM", dt.datetime(2026, 1, 19, 0, 5, tzinfo=dt.UTC)),
        ("07/22/2026 16:02", dt.datetime(2026, 7, 22, 16, 2, tzinfo=dt.UTC)),
    ],
)
def test_moments_are_aware_utc(text: str, moment: dt.datetime) -> None:
    assert csv_text.parse_datetime(text) == moment


def test_rows_start_on_their_physical_line() -> None:
    # \r\n, \r and \n each end a line; a quoted newline moves the next row down
    rows = csv_text.read_rows(b'a,b\r\n"x\ny",z\rq,w\n', "f.csv").rows
    assert [line for line, _ in rows] == [1, 2, 4]


# Not these formats -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parser", "data", "message"),
    [
        (parse_google_csv, b"", "empty"),
        (parse_outlook_csv, b"", "empty"),
        (parse_google_csv, b"First Name,Last Name,URL,Email Address\nAda,L,,\n", "Google Contacts"),
        (parse_outlook_csv, b"Name,Given Name,E-mail 1 - Value\nAda,Ada,a@b\n", "Outlook CSV"),
        (parse_outlook_csv, b"\x00\x01\x02\x03\x00\x00binary\x00", "binary"),
        (parse_google_csv, b"BEGIN:VCARD\r\nEND:VCARD\r\n", "a vCard file.*import it as vcard"),
        (parse_outlook_csv, b"\xef\xbb\xbfBEGIN:VCALENDAR\r\n", "iCalendar.*import it as ics"),
    ],
)
def test_not_this_format(parser: Parser, data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        parser(data, "contacts.csv")


HEADERS = [
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    'Notes:\n"When exporting, you may notice..."\n\nFirst Name,Last Name,Email Address,Connected On',
    "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT",
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
    GOOGLE_CURRENT.splitlines()[0],
    "Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Value",
    '"First Name","Last Name","E-mail Address","Birthday","Categories","Business Phone"',
    '"Vorname","Nachname","E-Mail-Adresse","Geburtstag","Kategorien"',
    "",
]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            '"',
            '""',
            ",",
            ";",
            "12 Jan 2024",
            "1/8/18, 6:14 PM",
            "2024-01-15 14:30:00 UTC",
            "https://www.linkedin.com/in/ada",
            "https://[x",
            "OUTGOING",
            "TRUE",
            "\n",
            "\r",
            " ::: ",
            "* myContacts ::: Friends",
            "a@x.com ::: b@y.com",
            "0/0/00",
            "--05-14",
            "--13-45",
            "1990-02-30",
            "5/14/1990",
            "ýý",
            "/o=Org",
            "* ",
        ]
    ),
)
CSV_LIKE = st.builds(
    lambda header, rows, newline, encoding: newline.join([header, *rows]).encode(
        encoding, "replace"
    ),
    st.sampled_from(HEADERS),
    st.lists(st.lists(CELLS, max_size=9).map(",".join), max_size=6),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)


PARSERS = [
    parse_connections,
    parse_messages,
    parse_invitations,
    parse_google_csv,
    parse_outlook_csv,
]


def check_only_import_file_error(parser: Parser, data: bytes) -> None:
    try:
        result = parser(data, "export.csv")
    except ImportFileError:
        return
    for contact in result.contacts:
        assert contact.full_name.strip() and contact.line >= 1
    for interaction in result.interactions:
        assert interaction.occurred_at.tzinfo is not None and interaction.line >= 1


@pytest.mark.parametrize("parser", PARSERS)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_raise_nothing_but_import_file_error(parser: Parser, data: bytes) -> None:
    check_only_import_file_error(parser, data)


@pytest.mark.parametrize("parser", PARSERS)
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=CSV_LIKE)
def test_csv_looking_text_raises_nothing_but_import_file_error(parser: Parser, data: bytes) -> None:
    check_only_import_file_error(parser, data)
