"""The LinkedIn export parser, on the real Connections.csv files of ../shared/corpus and on
exports written here with LinkedIn's own headers."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import pytest

from kithkin.importers import csv_text
from kithkin.importers.linkedin import (
    LinkedInResult,
    Position,
    parse_connections,
    parse_invitations,
    parse_linkedin,
    parse_messages,
)
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
LINKEDIN_FILES = sorted(p.name for p in (CORPUS / "linkedin").glob("*.csv")) or ["<absent>"]
TRIMMED = "Connections_2021-11_importJL_excelResaved_trimmedCols.csv"


def corpus_file(*parts: str) -> Path:
    if not CORPUS.is_dir():
        message = f"../shared/corpus is absent: these tests read real exports from {CORPUS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS.joinpath(*parts)


def connections(name: str) -> ParseResult:
    path = corpus_file("linkedin", name)
    return parse_connections(path.read_bytes(), str(path))


def at_line(result: ParseResult, line: int) -> ContactRecord:
    (contact,) = [c for c in result.contacts if c.line == line]
    return contact


def physical_lines(path: Path) -> list[str]:
    text, _ = csv_text.decode(path.read_bytes(), str(path))
    return re.split(r"\r\n|\r|\n", text)


# Every file of the corpus -------------------------------------------------------------


@pytest.mark.parametrize("name", LINKEDIN_FILES)
def test_every_corpus_file_parses_or_says_why(name: str) -> None:
    path = corpus_file("linkedin", name)
    if name == TRIMMED:
        with pytest.raises(ImportFileError, match="no 'First Name' and 'Last Name' columns"):
            parse_linkedin(path)
        return
    result = parse_linkedin(path)
    assert isinstance(result, LinkedInResult)
    assert result.contacts
    lines = physical_lines(path)
    for contact in result.contacts:
        assert contact.full_name.strip() and contact.line >= 1
        assert contact.source == "linkedin" and contact.path == str(path)
        # the line number points at the physical line the row is on
        assert contact.given_name.split()[0] in lines[contact.line - 1]


# (contacts, errors, skipped) as counted by hand from each file
EXPECTED = {
    "Connections_2018-04_abhishekmathur_oldformat_pseudo.csv": (20, 0, 0),
    "Connections_2018-11_stanislavz_noURLcol_pseudo.csv": (30, 0, 0),
    "Connections_2021-06_mxkilian_userEdited_noheader_pseudo.csv": (24, 0, 0),
    "Connections_2024-05_jasontoups_pseudo.csv": (28, 2, 0),
    "Connections_2024-10_chrhartm_notion-crm_pseudo.csv": (37, 3, 0),
    "Connections_2025-12_tombarr_hello-again_pseudo.csv": (1, 0, 0),
    "Connections_2026-01_ericmpastore_excelResaved_brokenEncoding_pseudo.csv": (28, 0, 1),
    "Connections_synthetic_YANG-DB_linked-knowledge.csv": (1869, 0, 0),
}


def test_every_corpus_file_has_expectations() -> None:
    corpus_file("linkedin")
    assert set(LINKEDIN_FILES) == {*EXPECTED, TRIMMED}


@pytest.mark.parametrize(("name", "counts"), EXPECTED.items())
def test_counts_per_corpus_file(name: str, counts: tuple[int, int, int]) -> None:
    result = connections(name)
    assert (len(result.contacts), len(result.errors), len(result.skipped)) == counts


def test_2018_complete_export_has_emails_no_urls_and_us_dates_with_times() -> None:
    result = connections("Connections_2018-04_abhishekmathur_oldformat_pseudo.csv")
    first = result.contacts[0]
    assert (first.line, first.full_name, first.given_name, first.family_name) == (
        2,
        "Uyyix Mpakc",
        "Uyyix",
        "Mpakc",
    )
    assert first.emails == [("svrfv.cxocd@bvxbapcxw.dk", "")]
    assert first.connected_on == dt.date(2018, 1, 8)  # "1/8/18, 6:14 PM": month first
    assert (first.organization, first.title) == ("ApproveIT", "Owner")
    assert all(c.urls == [] and c.external_id is None for c in result.contacts)
    quoted = at_line(result, 12)
    assert quoted.organization == "The Startup Edge-Entrepreneurship Cell, Ramjas College."
    assert quoted.connected_on == dt.date(2017, 5, 15)
    assert at_line(result, 16).given_name == "Prjzsofs"  # "Prjzsofs " trimmed


def test_2018_file_without_url_column_decodes_accents_and_splits_headline() -> None:
    result = connections("Connections_2018-11_stanislavz_noURLcol_pseudo.csv")
    assert all(c.urls == [] for c in result.contacts)
    first = result.contacts[0]
    assert (first.given_name, first.family_name, first.headline) == (
        "Bvtnj Bghfwpdnwcta",
        "Ozxtsc Zywbq",
        "Mlfbup-Ibuhrnmvvz Ogdxv",
    )
    assert at_line(result, 3).family_name == "IÄvwyv-Qgcðroeok"
    assert at_line(result, 28).organization == "Индивидуальный предприниматель"
    assert at_line(result, 23).organization == 'ZAO "Orion Service"'
    assert at_line(result, 16).family_name == "Alttmx, Zk."
    assert result.contacts[-1].connected_on == dt.date(2010, 5, 4)


def test_user_edited_file_without_header_is_recognised_by_its_rows() -> None:
    result = connections("Connections_2021-06_mxkilian_userEdited_noheader_pseudo.csv")
    first = result.contacts[0]
    assert (first.line, first.full_name, first.organization, first.title) == (
        1,
        "Vgnkz Xxcldh",
        "Capgemini",
        "Lead Business Analyst",
    )
    assert first.connected_on == dt.date(2021, 6, 11)
    # whole rows a spreadsheet wrapped into one quoted cell are split again
    wrapped = at_line(result, 6)
    assert (wrapped.full_name, wrapped.organization, wrapped.title) == (
        "Asgaz Hpmjnd",
        "Interhyp Gruppe",
        "Digital Products & Technology, Working Student",
    )
    assert wrapped.connected_on == dt.date(2021, 5, 7)
    assert at_line(result, 19).organization == "Café Roma, Maximilienstr. 33"
    assert at_line(result, 7).given_name == "Rûum V."


def test_file_whose_name_columns_were_deleted_says_so() -> None:
    with pytest.raises(ImportFileError, match="no 'First Name' and 'Last Name' columns"):
        connections(TRIMMED)


def test_current_export_skips_the_notes_preamble() -> None:
    result = connections("Connections_2025-12_tombarr_hello-again_pseudo.csv")
    (only,) = result.contacts
    assert (only.line, only.full_name, only.organization, only.title) == (
        5,
        "Geop Pthlrotn",
        "Schneider Electric",
        "Software Engineer",
    )
    assert only.urls == ["https://www.linkedin.com/in/qdliiegqghon"]
    assert only.external_id == "https://www.linkedin.com/in/qdliiegqghon"
    assert only.connected_on == dt.date(2025, 12, 22)


def test_2024_export_rows_without_name_are_errors_with_their_line() -> None:
    result = connections("Connections_2024-05_jasontoups_pseudo.csv")
    assert [(e.line, e.field) for e in result.errors] == [(19, "First Name"), (24, "First Name")]
    assert "no name" in result.errors[0].message
    curly = at_line(result, 13)
    assert curly.family_name == "W\u2019Zarza"
    # The key is decoded (issue 11): the same profile written raw elsewhere matches it.
    assert curly.external_id == "https://www.linkedin.com/in/mwk-g\u2019kkopx-597138231"
    assert at_line(result, 10).emails == [("gdrlngdaot638080@gmail.com", "")]
    assert at_line(result, 15).title == "Manager, Product Experience Design"


def test_2024_export_keeps_emoji_and_credentials_in_names() -> None:
    result = connections("Connections_2024-10_chrhartm_notion-crm_pseudo.csv")
    assert [e.line for e in result.errors] == [36, 42, 44]
    assert at_line(result, 6).family_name == "Vvrlxcprp-Ikcbvcargm \U0001f340"
    assert at_line(result, 40).family_name == "Euazga, YhP"
    assert at_line(result, 32).given_name == "Cdtu"  # "Cdtu " trimmed
    assert sum(bool(c.emails) for c in result.contacts) == 2


def test_broken_encoding_drops_what_excel_destroyed_and_says_so() -> None:
    # Not UTF-8: runs of 0xFD where emoji were, U+FFFD cut to EF BF. Read as UTF-8 with
    # the lost characters left out, instead of cp1252 mojibake ("ýýýý Bvb", "Qxdï¿").
    result = connections("Connections_2026-01_ericmpastore_excelResaved_brokenEncoding_pseudo.csv")
    (note,) = result.skipped
    assert (note.line, note.field) == (5, "encoding")
    assert at_line(result, 5).family_name == "Uuf Qxd"
    assert at_line(result, 12).full_name == "Bvb Zkkke"
    assert at_line(result, 10).family_name == "Enxfljizm, SBDD"
    assert at_line(result, 27).title == ""  # a title made only of destroyed characters
    for contact in result.contacts:
        assert not {"ý", "ï", "¿", "\ufffd"} & set(contact.full_name + contact.title)
    assert result.contacts[0].connected_on == dt.date(2026, 1, 5)  # "5-Jan-26"
    assert at_line(result, 29).connected_on == dt.date(2012, 10, 24)


def test_synthetic_export_with_crlf() -> None:
    result = connections("Connections_synthetic_YANG-DB_linked-knowledge.csv")
    first, last = result.contacts[0], result.contacts[-1]
    assert (first.line, first.full_name, first.connected_on) == (
        2,
        "Lauren Robinson",
        dt.date(2010, 1, 21),
    )
    assert (last.line, last.full_name, last.organization) == (1870, "Megan Williams", "Box")


# Encodings, delimiters and bad values, written here ------------------------------------

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ZOE = "Zoë,Müller-Łukasiewicz,https://de.linkedin.com/in/Zoe-M/,zoe@example.com,Café Ltd,CTO,12 Jan 2024\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_with_and_without_bom(encoding: str) -> None:
    result = parse_connections((HEADER + ZOE).encode(encoding), "Connections.csv")
    (zoe,) = result.contacts
    assert (zoe.full_name, zoe.organization) == ("Zoë Müller-Łukasiewicz", "Café Ltd")
    assert zoe.external_id == "https://www.linkedin.com/in/zoe-m"
    assert zoe.urls == ["https://de.linkedin.com/in/Zoe-M/"]
    assert zoe.connected_on == dt.date(2024, 1, 12)


def test_excel_resave_in_cp1252_with_semicolons() -> None:
    data = (HEADER + 'Zoë,Müller,,,Café Ltd,"CTO; founder",12 Jan 2024\n').replace(",", ";")
    result = parse_connections(data.encode("cp1252"), "Connections.csv")
    (zoe,) = result.contacts
    assert (zoe.full_name, zoe.organization, zoe.title) == (
        "Zoë Müller",
        "Café Ltd",
        "CTO; founder",
    )


def test_bad_date_keeps_the_person_without_it() -> None:
    data = HEADER + "Ada,Lovelace,,,,,sometime in 1843\nGrace,Hopper,,,,,2018-04-01\n"
    result = parse_connections(data.encode(), "Connections.csv")
    assert [c.full_name for c in result.contacts] == ["Ada Lovelace", "Grace Hopper"]
    assert result.contacts[0].connected_on is None
    assert result.contacts[1].connected_on == dt.date(2018, 4, 1)
    (error,) = result.errors
    assert (error.line, error.field) == (2, "Connected On")
    assert "imported without it" in error.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n \n", "empty"),
        (b"BEGIN:VCARD\nFN:Ada\nEND:VCARD\n", "is this a LinkedIn Connections.csv"),
        (b"PK\x03\x04\x00\x00\x00binary", "binary"),
        (b"\xff\xfe\x00\xd8", "UTF-16"),
    ],
)
def test_not_a_connections_file(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        parse_connections(data, "Connections.csv")


# A whole export, as a folder and as a ZIP -----------------------------------------------

OLIVE, ADA, GRACE = (
    f"https://www.linkedin.com/in/{slug}"
    for slug in ("olive-owner", "ada-lovelace", "grace-hopper")
)
EXPORT = {
    "Connections.csv": (
        'Notes:\n"When exporting your connection data, you may notice that some of the '
        'email addresses are missing."\n\n'
        + HEADER
        + f"Ada,Lovelace,{ADA},,Analytical Engines,Founder,10 Sep 2020\n"
        + f"Grace,Hopper,{GRACE}/,,Navy,Rear Admiral,01 Jan 2019\n"
    ),
    "messages.csv": (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
        f"c1,,Olive Owner,{OLIVE},Ada Lovelace,{ADA},2024-01-15 14:30:00 UTC,,Hello Ada,INBOX\n"
        f'c1,,Ada Lovelace,{ADA},Olive Owner,{OLIVE},2024-01-15 15:00:00 UTC,,"Hi, Olive",INBOX\n'
        f"c2,,Grace Hopper,{GRACE},Olive Owner,{OLIVE},2024-02-01 09:00:00 UTC,Talk?,{'x' * 300},INBOX\n"
        f'c3,Team,Olive Owner,{OLIVE},"Ada Lovelace,Grace Hopper","{ADA},{GRACE}",'
        f"2024-03-01 10:00:00 UTC,,{'y' * 300},INBOX\n"
        f"c1,,Ada Lovelace,{ADA},Olive Owner,{OLIVE},last Tuesday,,lost,INBOX\n"
    ),
    "Invitations.csv": (
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
        f'Olive Owner,Ada Lovelace,"1/19/26, 9:15 AM","Hi Ada, shall we connect?",OUTGOING,{OLIVE},{ADA}\n'
        f'Grace Hopper,Olive Owner,"2/3/26, 4:10 PM",,INCOMING,{GRACE},{OLIVE}\n'
    ),
    "Positions.csv": (
        "Company Name,Title,Description,Location,Started On,Finished On\n"
        'Acme,Engineer,"Builds things, mostly",Paris,Jan 2020,\n'
        "Initech,Intern,,,Jun 2018,Dec 2019\n"
    ),
    "Endorsement_Received_Info.csv": (
        "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,Endorsement Status\n"
        "2024/01/02 10:00:00 UTC,Python,Ada,Lovelace,www.linkedin.com/in/ada-lovelace,ACCEPTED\n"
    ),
}


def write_folder(folder: Path) -> Path:
    folder.mkdir()
    for name, text in EXPORT.items():
        # LinkedIn's names, except one lower-cased: files are found whatever their case
        (folder / (name.lower() if name == "Connections.csv" else name)).write_text(
            text, encoding="utf-8"
        )
    return folder


def write_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in EXPORT.items():
            archive.writestr(f"Basic_LinkedInDataExport_01-02-2026/{name}", text)
    return path


def check_export(result: LinkedInResult) -> None:
    assert [c.full_name for c in result.contacts] == ["Ada Lovelace", "Grace Hopper"]
    assert [c.external_id for c in result.contacts] == [ADA, GRACE]
    messages = [i for i in result.interactions if not i.summary.startswith("LinkedIn invitation")]
    assert [(m.line, m.direction) for m in messages] == [
        (2, "outbound"),
        (3, "inbound"),
        (4, "inbound"),
        (5, "outbound"),
    ]
    assert messages[0].external_id == "c1/2024-01-15T14:30:00Z"
    assert messages[0].occurred_at == dt.datetime(2024, 1, 15, 14, 30, tzinfo=dt.UTC)
    assert [(p.name, p.profile_url) for p in messages[0].participants] == [("Ada Lovelace", ADA)]
    assert [p.name for p in messages[1].participants] == ["Ada Lovelace"]
    assert messages[1].summary == "Hi, Olive"
    assert messages[2].summary == "Talk?"  # the subject, when there is one
    assert messages[3].summary == "y" * 200  # else the first 200 characters
    assert [(p.name, p.profile_url) for p in messages[3].participants] == [
        ("Ada Lovelace", ADA),
        ("Grace Hopper", GRACE),
    ]
    assert all(i.kind == "message" and i.source == "linkedin" for i in result.interactions)
    (bad_date,) = [e for e in result.errors if e.path.endswith("messages.csv")]
    assert (bad_date.line, bad_date.field) == (6, "DATE")
    sent, received = [i for i in result.interactions if i.summary.startswith("LinkedIn invitation")]
    assert (sent.direction, sent.summary) == (
        "outbound",
        "LinkedIn invitation: Hi Ada, shall we connect?",
    )
    assert sent.occurred_at == dt.datetime(2026, 1, 19, 9, 15, tzinfo=dt.UTC)
    assert [p.profile_url for p in sent.participants] == [ADA]
    assert (received.direction, received.summary) == ("inbound", "LinkedIn invitation")
    assert [p.name for p in received.participants] == ["Grace Hopper"]
    assert result.my_positions == [
        Position("Acme", "Engineer", dt.date(2020, 1, 1), None),
        Position("Initech", "Intern", dt.date(2018, 6, 1), dt.date(2019, 12, 1)),
    ]
    assert result.skipped == []
    (endorsement,) = result.values
    assert (endorsement.kind, endorsement.description, endorsement.occurred_on) == (
        "endorsement",
        "Python",
        dt.date(2024, 1, 2),
    )
    assert endorsement.giver.name == "Ada Lovelace"


def test_export_folder(tmp_path: Path) -> None:
    result = parse_linkedin(write_folder(tmp_path / "export"))
    check_export(result)
    assert result.contacts[0].path == str(tmp_path / "export" / "connections.csv")
    assert result.contacts[0].line == 5


def test_export_unpacked_into_a_folder_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "download").mkdir()
    write_folder(tmp_path / "download" / "Basic_LinkedInDataExport_01-02-2026")
    check_export(parse_linkedin(tmp_path / "download"))


def test_export_zip(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "export.zip")
    result = parse_linkedin(archive)
    check_export(result)
    assert (
        result.contacts[0].path == f"{archive}/Basic_LinkedInDataExport_01-02-2026/Connections.csv"
    )


def test_external_ids_are_stable_across_parses_and_containers(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "export")
    archive = write_zip(tmp_path / "export.zip")
    ids = [
        [i.external_id for i in parse_linkedin(p).interactions] for p in (folder, folder, archive)
    ]
    assert ids[0] == ids[1] == ids[2]
    assert len(set(ids[0])) == len(ids[0]) == 6


def test_one_unreadable_file_does_not_lose_the_others(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "export")
    (folder / "connections.csv").write_bytes(corpus_file("linkedin", TRIMMED).read_bytes())
    result = parse_linkedin(folder)
    assert result.contacts == []
    assert any(e.field == "file" and "no 'First Name'" in e.message for e in result.errors)
    assert len(result.interactions) == 6 and len(result.my_positions) == 2


def test_owner_of_a_single_conversation_is_the_side_that_is_no_connection() -> None:
    header, olive_to_ada, ada_to_olive = EXPORT["messages.csv"].splitlines()[:3]
    data = "\n".join([header, ada_to_olive, olive_to_ada]).encode()
    connections = parse_connections(EXPORT["Connections.csv"].encode(), "Connections.csv")
    result = parse_messages(data, "messages.csv", connections.contacts)
    assert [i.direction for i in result.interactions] == ["inbound", "outbound"]
    # without the connections, a tie goes to the sender of the first row
    result = parse_messages(data, "messages.csv")
    assert [i.direction for i in result.interactions] == ["outbound", "inbound"]


def test_drafts_are_skipped(tmp_path: Path) -> None:
    data = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT\n"
        f"c1,,Olive Owner,{OLIVE},Ada Lovelace,{ADA},2024-01-15 14:30:00 UTC,,Hi,INBOX,FALSE\n"
        f"c1,,Olive Owner,{OLIVE},Ada Lovelace,{ADA},2024-01-16 14:30:00 UTC,,Unsent,INBOX,TRUE\n"
    )
    result = parse_messages(data.encode(), "messages.csv")
    assert [i.summary for i in result.interactions] == ["Hi"]
    assert [(s.line, s.field) for s in result.skipped] == [(3, "IS MESSAGE DRAFT")]


def test_single_files_and_what_is_no_export(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "export")
    assert len(parse_linkedin(folder / "messages.csv").interactions) == 4
    assert len(parse_linkedin(folder / "Positions.csv").my_positions) == 2
    assert len(parse_linkedin(folder / "Endorsement_Received_Info.csv").values) == 1
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportFileError, match="is this a LinkedIn data export"):
        parse_linkedin(tmp_path / "empty")
    with pytest.raises(ImportFileError, match="no such file"):
        parse_linkedin(tmp_path / "missing.zip")
    with pytest.raises(ImportFileError, match="'From', 'To', 'Sent At', 'Direction'"):
        parse_invitations(EXPORT["Positions.csv"].encode(), "Invitations.csv")


# 30,000 connections, LinkedIn's cap ----------------------------------------------------


def test_thirty_thousand_connections_parse_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER.strip().split(","))
        for n in range(30_000):
            writer.writerow(
                [
                    f"Given{n}",
                    f"Family, {n}",
                    f"https://www.linkedin.com/in/person-{n}",
                    f"p{n}@example.com" if n % 50 == 0 else "",
                    f"Company {n % 700}",
                    "Engineer, Platform",
                    f"{n % 28 + 1:02d} Mar {2004 + n % 20}",
                ]
            )
    data = path.read_bytes()
    result = parse_connections(data, str(path))  # its time is measured in bench/
    assert len(result.contacts) == 30_000 and not result.errors
    assert result.contacts[-1].line == 30_004
    assert result.contacts[-1].external_id == "https://www.linkedin.com/in/person-29999"
