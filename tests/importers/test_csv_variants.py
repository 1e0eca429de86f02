"""Every CSV variant the issue found in real files (issue 11, "Read every real variant"),
on the real files of ../shared/corpus where they carry the case and on the re-created files
of tests/importers/files/ (its README says which program writes each): Google's BOM +
Windows-1252 "Outlook CSV", Google's current layout, Outlook in seven languages, another
program's CSV given to the wrong importer, spreadsheet placeholders, titles without a
company, postal addresses and chat handles, and a LinkedIn ZIP bomb."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kithkin.importers import csv_text
from kithkin.importers.apply import apply_plan
from kithkin.importers.formats import ImportContext, parse
from kithkin.importers.google import parse_google_csv
from kithkin.importers.linkedin import parse_connections, parse_linkedin
from kithkin.importers.outlook import parse_outlook_csv
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult
from kithkin.models import ContactPoint, Person

FILES = Path(__file__).parent / "files"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CONTEXT = ImportContext(
    my_addresses=frozenset({"me@example.com"}), until=dt.datetime(2026, 2, 20, tzinfo=dt.UTC)
)
Parser = Callable[[bytes, str], ParseResult]


def corpus_file(*parts: str) -> Path:
    if not CORPUS.is_dir():
        message = f"../shared/corpus is absent: these tests read real exports from {CORPUS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS.joinpath(*parts)


def read(parser: Parser, path: Path) -> ParseResult:
    return parser(path.read_bytes(), str(path))


def named(result: ParseResult, full_name: str) -> ContactRecord:
    (contact,) = [c for c in result.contacts if c.full_name == full_name]
    return contact


# Google: a byte-order mark, then Windows-1252 ------------------------------------------


def test_a_utf8_mark_followed_by_windows_1252_is_read() -> None:
    path = FILES / "google" / "google_outlookcsv_bom_cp1252.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"Zo\xeb" in path.read_bytes()
    result = read(parse_google_csv, path)
    assert result.errors == [] and result.skipped == []
    zoe, jose = result.contacts
    assert (zoe.full_name, zoe.organization, zoe.title) == (
        "Zoë Müller",
        "Café Ltd",
        "Directrice générale",
    )
    assert zoe.notes == "Né à Besançon \u2013 café"
    assert zoe.addresses == [("12 rue de l'Église\nOrléans\n45000\nFrance", "home")]
    assert zoe.tags == ["Amis"]
    # a title without a company is the headline
    assert (jose.full_name, jose.organization, jose.title, jose.headline) == (
        "José Núñez",
        "",
        "",
        "Ingeniero",
    )


def test_what_is_not_utf_16_names_the_byte_offset() -> None:
    data = (
        b"\xff\xfe" + "First Name,Last Name\n".encode("utf-16-le") + b"\x00\xd8"
    )  # lone surrogate
    with pytest.raises(ImportFileError, match=r"byte offset \d+"):
        parse_outlook_csv(data, "contacts.csv")


# Google: the current layout ------------------------------------------------------------


def test_google_current_layout_every_field() -> None:
    path = FILES / "google" / "google_current_2024.csv"
    header = path.read_bytes().split(b"\r\n")[0].decode()
    assert header.startswith("First Name,Middle Name,Last Name,Phonetic First Name")
    assert "Labels,E-mail 1 - Label,E-mail 1 - Value" in header
    result = read(parse_google_csv, path)
    zoe = named(result, "Zoë Müller")
    assert zoe.emails == [("zoe@cafe.example", "work"), ("z@home.example", "work")]  # N/A dropped
    assert zoe.phones == [("+44 7700 900123", "mobile")]  # "-" dropped
    assert (zoe.organization, zoe.title, zoe.headline) == ("Café Ltd", "CTO", "")
    assert zoe.birthday == (None, 5, 14)
    assert zoe.notes == "Met at PyCon,\nloves tea"
    assert zoe.tags == ["Friends"]
    assert zoe.addresses == [("1 Bean Street\nLondon EC1A 1BB\nGB", "work")]
    assert zoe.chats == [("zoe.cafe", "skype", "work")]
    assert zoe.urls == ["https://www.linkedin.com/in/zoe"]
    sam = named(result, "Sam Spade")
    assert (sam.organization, sam.title, sam.headline) == ("", "", "Detective")
    assert sam.addresses == [("221B Baker St\nLondon\nUnited Kingdom", "home")]
    assert sam.chats == [("sam@gmail.com", "xmpp", "")]
    # "Na" is a family name; "NA" "N/A" "none" "-" "n/a" are nothing at all
    minjun = named(result, "Min-jun Na")
    assert (minjun.organization, minjun.title, minjun.headline) == ("", "", "")
    assert [c.full_name for c in result.contacts] == ["Zoë Müller", "Sam Spade", "Min-jun Na"]
    assert [(e.line, e.field) for e in result.errors] == [(7, "Name")]  # NA N/A, none


def test_google_legacy_addresses_and_chats_from_the_corpus() -> None:
    path = corpus_file("google", "google_legacy_roundcube_gmail.csv")
    (contact,) = read(parse_google_csv, path).contacts
    assert contact.addresses and all(
        label in {"home", "work", "other", ""} for _, label in contact.addresses
    )
    assert all(text.strip() and "\n\n" not in text for text, _ in contact.addresses)
    export = corpus_file("google", "google_legacy_export_2018_baneeishaque_pseudonymized.csv")
    (chatty,) = [c for c in read(parse_google_csv, export).contacts if c.chats]
    # one IM slot holding three handles: "AIM ::: MSN ::: Yahoo!" in the same order
    assert [(service, label) for _, service, label in chatty.chats] == [
        ("aim", "other"),
        ("msn", "other"),
        ("yahoo", "other"),
    ]
    legacy = read(parse_google_csv, corpus_file("google", "google_legacy_tine20.csv"))
    assert any("\n" in text for c in legacy.contacts for text, _ in c.addresses)  # multi-line


@pytest.mark.parametrize(
    "placeholder", ["NA", "n/a", "N/A", "-", "--", "none", "None", "NULL", "#N/A", " n/a "]
)
def test_placeholders_are_no_value(placeholder: str) -> None:
    assert csv_text.placeholder(placeholder)
    assert csv_text.real(placeholder) == ""


@pytest.mark.parametrize("name", ["Na", "Nil", "Ada", "X", "Ng", "O"])
def test_names_that_only_look_like_placeholders_stay(name: str) -> None:
    assert not csv_text.placeholder(name)


# Outlook in the languages it ships -----------------------------------------------------

LANGUAGES = {  # file: (full name, organization, job title, e-mail, mobile, birthday, city)
    "outlook_fr.csv": (
        "Étienne Lefèvre",
        "Société Générale d'Études",
        "Directeur",
        "etienne@example.fr",
        "+33 6 12 34 56 78",
        (1980, 5, 14),
        "Paris, France",
    ),
    "outlook_es.csv": (
        "José Núñez",
        "Compañía Ñandú",
        "Director",
        "jose@example.es",
        "+34 600 000 000",
        (1980, 5, 14),
        "Madrid, España",
    ),
    "outlook_it.csv": (
        "Niccolò Bianchi",
        "Caffè Srl",
        "Direttore",
        "niccolo@example.it",
        "+39 333 0000000",
        (1980, 5, 14),
        "Milano, Italia",
    ),
    "outlook_pt_br.csv": (
        "João Gonçalves",
        "Café São Paulo Ltda",
        "Diretor",
        "joao@example.com.br",
        "+55 11 90000-0000",
        (1980, 5, 14),
        "São Paulo, Brasil",
    ),
    "outlook_nl.csv": (
        "Sjoerd van Dijk",
        "Koffie B.V.",
        "Directeur",
        "sjoerd@example.nl",
        "+31 6 00000000",
        (1980, 5, 14),
        "",
    ),
}


@pytest.mark.parametrize("name", sorted(LANGUAGES))
def test_outlook_headers_in_every_language(name: str) -> None:
    full_name, organization, title, email, mobile, birthday, location = LANGUAGES[name]
    result = read(parse_outlook_csv, FILES / "outlook" / name)
    assert result.errors == []
    (contact,) = result.contacts
    assert (contact.full_name, contact.organization, contact.title) == (
        full_name,
        organization,
        title,
    )
    assert contact.emails == [(email, "")]  # the second address is empty or a placeholder
    assert (mobile, "mobile") in contact.phones and len(contact.phones) == 2
    assert contact.birthday == birthday
    assert contact.location == location
    assert contact.notes and contact.tags and contact.urls


def test_french_outlook_reads_the_second_titre_as_the_job_title() -> None:
    (contact,) = read(parse_outlook_csv, FILES / "outlook" / "outlook_fr.csv").contacts
    assert contact.title == "Directeur"  # not "M.", the first "Titre"
    assert contact.addresses == [
        ("3 rue de la Paix\nBâtiment B\nParis\nÎle-de-France\n75002\nFrance", "work")
    ]


def test_outlook_2000_and_german_2013_addresses_from_the_corpus() -> None:
    (frank,) = read(
        parse_outlook_csv, corpus_file("outlook", "outlook2000_en_projectopen_sample.csv")
    ).contacts
    assert frank.addresses and frank.addresses[0][1] == "work"
    assert "Barcelona" in frank.addresses[0][0]
    german = read(parse_outlook_csv, corpus_file("outlook", "outlook2013_de_tine20.csv"))
    christian = named(german, "Christian Baumann")
    assert any("Hamburg" in text for text, _ in christian.addresses)


def test_outlook_error_names_the_languages_it_reads() -> None:
    with pytest.raises(ImportFileError, match="French, Spanish, Italian, Portuguese or Dutch"):
        parse_outlook_csv(b"Foo,Bar\n1,2\n", "contacts.csv")


# Another program's CSV, given to the wrong importer -----------------------------------


@pytest.mark.parametrize(
    ("parser", "path", "looks_like"),
    [
        (parse_google_csv, FILES / "thunderbird" / "thunderbird_addressbook.csv", "Thunderbird"),
        (parse_outlook_csv, FILES / "thunderbird" / "thunderbird_addressbook.csv", "Thunderbird"),
        (parse_connections, FILES / "thunderbird" / "thunderbird_addressbook.csv", "Thunderbird"),
        (parse_outlook_csv, FILES / "google" / "google_current_2024.csv", "Google Contacts"),
        (parse_connections, FILES / "google" / "google_current_2024.csv", "Google Contacts"),
        (parse_connections, FILES / "outlook" / "outlook_fr.csv", None),
        (
            parse_outlook_csv,
            FILES / "linkedin" / "Connections_placeholders_edited_in_excel.csv",
            "LinkedIn Connections.csv",
        ),
        (
            parse_google_csv,
            FILES / "linkedin" / "Connections_placeholders_edited_in_excel.csv",
            "LinkedIn Connections.csv",
        ),
    ],
)
def test_another_programs_csv_is_refused_naming_what_it_looks_like(
    parser: Parser, path: Path, looks_like: str | None
) -> None:
    with pytest.raises(ImportFileError) as caught:
        read(parser, path)
    message = str(caught.value)
    assert message.startswith(f"{path}")
    if looks_like:
        assert "looks like" in message and looks_like in message


def test_google_current_without_email_columns_given_to_outlook_is_refused() -> None:
    header = "First Name,Middle Name,Last Name,Phonetic First Name,Organization Name,Labels"
    data = f"{header}\nAda,,Lovelace,,Engines,* myContacts\n".encode()
    with pytest.raises(ImportFileError, match="looks like a Google Contacts CSV export"):
        parse_outlook_csv(data, "contacts.csv")
    (ada,) = parse_google_csv(data, "contacts.csv").contacts
    assert (ada.full_name, ada.organization) == ("Ada Lovelace", "Engines")


def test_outlook_english_given_to_linkedin_is_refused() -> None:
    path = corpus_file("outlook", "outlook2000_en_projectopen_sample.csv")
    with pytest.raises(ImportFileError, match="looks like an Outlook CSV export"):
        read(parse_connections, path)


# LinkedIn: placeholders, positions without a company, the ZIP bomb --------------------


def test_linkedin_placeholders_and_positions_without_a_company() -> None:
    path = FILES / "linkedin" / "Connections_placeholders_edited_in_excel.csv"
    result = read(parse_connections, path)
    ada = named(result, "Ada Lovelace")
    assert (ada.emails, ada.organization, ada.title, ada.headline) == ([], "", "", "Analyst")
    minjun = named(result, "Min-jun Na")
    assert (minjun.emails, minjun.organization, minjun.title) == ([], "Samsung", "")
    assert [(e.line, e.field) for e in result.errors] == [(6, "First Name")]  # "NA N/A"
    assert "N/A" in result.errors[0].message


def zip_bomb(tmp_path: Path, rows: int) -> Path:
    """A LinkedIn-looking ZIP whose Connections.csv is ``rows`` identical rows: tiny on disk."""
    path = tmp_path / "Basic_LinkedInDataExport.zip"
    row = b"Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Analyst,09 Oct 2024\n"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("Connections.csv", "w") as member,
    ):
        member.write(b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        chunk = row * 10_000
        for _ in range(rows // 10_000):
            member.write(chunk)
    return path


def test_a_zip_bomb_is_refused_unread(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path, 800_000)  # about 60 MB unpacked
    assert path.stat().st_size < 400_000
    with pytest.raises(ImportFileError) as caught:
        parse_linkedin(path)
    message = str(caught.value)
    assert "Connections.csv" in message and "ZIP bomb" in message and "not imported" in message


def test_a_zip_member_with_more_rows_than_linkedin_allows_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kithkin.importers import export_files

    monkeypatch.setattr(export_files, "MAX_COMPRESSION_RATIO", 10**6)  # the ratio lets it by
    path = zip_bomb(tmp_path, 60_000)
    with pytest.raises(
        ImportFileError, match=r"60,001 lines: more than a LinkedIn connections.csv"
    ):
        parse_linkedin(path)


def test_a_real_sized_export_zip_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    source = corpus_file("linkedin", "Connections_synthetic_YANG-DB_linked-knowledge.csv")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", source.read_bytes())
    assert len(parse_linkedin(path).contacts) > 1000


# Every variant file: imported once, and only once; all or nothing ---------------------

IMPORTABLE = [
    ("google", FILES / "google" / "google_current_2024.csv"),
    ("google", FILES / "google" / "google_outlookcsv_bom_cp1252.csv"),
    *(("outlook", FILES / "outlook" / name) for name in sorted(LANGUAGES)),
    ("linkedin", FILES / "linkedin" / "Connections_placeholders_edited_in_excel.csv"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "path"), IMPORTABLE, ids=lambda v: getattr(v, "name", v))
def test_every_variant_imports_once_and_only_once(network, owner, fmt: str, path: Path) -> None:
    parsed = parse(fmt, path, CONTEXT)
    plan = plan_import(network, parsed)
    apply_plan(network, owner, plan)
    people = Person.objects.filter(network=network, is_self=False).count()
    points = ContactPoint.objects.filter(person__network=network).count()
    assert people == len(parsed.contacts) and people > 0
    again = plan_import(network, parse(fmt, path, CONTEXT))
    assert not again.changes_anything, [c.changes for c in again.contacts if c.changes]
    apply_plan(network, owner, again)
    assert Person.objects.filter(network=network, is_self=False).count() == people
    assert ContactPoint.objects.filter(person__network=network).count() == points


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "path"), IMPORTABLE, ids=lambda v: getattr(v, "name", v))
def test_every_variant_imports_all_or_nothing(network, owner, fmt: str, path: Path) -> None:
    plan = plan_import(network, parse(fmt, path, CONTEXT))
    steps: list[str] = []

    def fail_on_the_second_step(step: str) -> None:
        steps.append(step)
        if len(steps) == 2:
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        apply_plan(network, owner, plan, fail_on_the_second_step)
    assert not Person.objects.filter(network=network, is_self=False).exists()
    assert not ContactPoint.objects.filter(person__network=network, person__is_self=False).exists()


def test_the_re_created_files_are_small_and_documented() -> None:
    """Each file is named in a README beside it or in a folder above it."""
    for path in FILES.rglob("*"):
        if path.is_file() and path.name != "README.md":
            assert path.stat().st_size < 20_000
            readmes = [
                folder / "README.md"
                for folder in path.relative_to(FILES).parents
                if (FILES / folder / "README.md").exists()
            ]
            documented = (FILES / readme for readme in readmes)
            assert any(path.name in readme.read_text() for readme in documented), path
    assert not list(FILES.rglob("*.zip"))  # the ZIP bombs are made by the tests, in tmp
