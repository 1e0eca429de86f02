"""mbox import: real archives from ../shared/corpus/mbox read in place, and small made-up ones."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithkin.importers.mbox import generate_mbox, parse_mbox
from kithkin.importers.records import ImportFileError, ParseResult, Participant, RecordError

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
MBOX = sorted((CORPUS / "mbox").glob("*.mbox"))
NOBODY: frozenset[str] = frozenset()


@pytest.fixture(autouse=True)
def corpus() -> Path:
    if not (CORPUS / "mbox").is_dir():
        message = f"../shared/corpus is absent: {CORPUS} (the real files these tests read)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS / "mbox"


def parse(name: str, me: frozenset[str] = NOBODY) -> ParseResult:
    return parse_mbox(CORPUS / "mbox" / name, my_addresses=me)


def at(name: str, line: int, field: str, message: str) -> RecordError:
    return RecordError(str(CORPUS / "mbox" / name), line, field, message)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "mail.mbox"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_the_corpus_has_its_five_archives() -> None:
    assert len(MBOX) == 5


@pytest.mark.parametrize("path", MBOX, ids=[p.name for p in MBOX])
def test_every_real_archive_parses_into_sound_records(path: Path) -> None:
    result = parse_mbox(path, my_addresses=frozenset({"markov@atcomputing.nl", "bre@slinky"}))
    assert result.interactions
    ids = [record.external_id for record in result.interactions]
    assert len(ids) == len(set(ids)), "external ids must be unique within a file"
    for record in result.interactions:
        assert record.occurred_at.utcoffset() == dt.timedelta(0)
        assert record.external_id and len(record.external_id) <= 500
        assert record.line >= 1 and record.source == "email" and record.kind == "email"
        assert record.participants and all("@" in p.email for p in record.participants)
    assert all(entry.line >= 1 for entry in result.skipped + result.errors)


@pytest.mark.parametrize("path", MBOX, ids=[p.name for p in MBOX])
def test_parsing_twice_gives_the_same_records(path: Path) -> None:
    first = parse_mbox(path, my_addresses=NOBODY)
    assert [r.external_id for r in first.interactions] == [
        r.external_id for r in parse_mbox(path, my_addresses=NOBODY).interactions
    ]
    assert first == parse_mbox(path, my_addresses=NOBODY)


def test_pipermail_obfuscated_senders_and_encoded_names() -> None:
    result = parse("hyperkitty_pipermail_nonascii_headers.mbox")
    assert result.skipped == result.errors == []
    assert [r.line for r in result.interactions] == [1, 28, 69, 123, 163, 189]
    assert [r.participants for r in result.interactions] == [
        [Participant("vondruch@redhat.com", "Vít Ondruch")],  # ISO-8859-2 Q
        [Participant("vondruch@redhat.com", "Vít Ondruch")],  # UTF-8 B
        [Participant("bjorn@xn--rombobjrn-67a.se", "Björn Persson")],  # iso-8859-1 q
        [Participant("mmaslano@redhat.com", "Marcela Mašláňová")],
        [Participant("dan@danny.cz", "Dan Horák")],  # plain word, then an encoded one
        [Participant("bjorn@xn--rombobjrn-67a.se", "Björn Persson")],  # encoded, then plain
    ]
    subjects = [r.summary for r in result.interactions]
    assert subjects[2] == "[Fedora-fr-list] Compte-rendu de la réunion du 1 novembre 2009"
    assert subjects[3] == "Re: [Fedora-fr-list] Compte-rendu de la réunion du 1 novembre 2009"
    assert subjects[5] == '[Fedora-packaging] May binaries be built from generated "source" code?'
    assert result.interactions[0].occurred_at == utc(2012, 7, 10, 11, 29, 44)  # +0200
    assert result.interactions[5].occurred_at == utc(2012, 7, 29, 18, 57)  # no seconds
    assert {r.direction for r in result.interactions} == {"inbound"}
    assert result.interactions[0].external_id == "<4FFC1228.3060409@redhat.com>"


def test_my_own_list_posts_without_recipients_are_skipped() -> None:
    result = parse(
        "hyperkitty_pipermail_nonascii_headers.mbox", me=frozenset({"VONDRUCH@redhat.com"})
    )
    assert [(s.line, s.field, s.message) for s in result.skipped] == [
        (1, "To", "no other participants"),
        (28, "To", "no other participants"),
    ]
    assert len(result.interactions) == 4


def test_a_pipermail_date_with_a_zone_comment() -> None:
    (record,) = parse("hyperkitty_pipermail_payload_iso8859.mbox").interactions
    assert record.occurred_at == utc(2007, 4, 6, 22, 43, 55)  # 15:43:55 -0700 (PDT)
    assert record.participants == [Participant("test@example.com", "Dummy Person")]
    assert record.summary == "Dummy subject"


def test_a_mailing_list_archive_mostly_skipped_as_bulk() -> None:
    name = "mailbox_perl_imagemagick_list_2000.mbox"
    result = parse(name)
    assert len(result.interactions) + len(result.skipped) == 45 and result.errors == []
    reasons = [(s.field, s.message) for s in result.skipped]
    assert reasons.count(("Precedence", "bulk message (precedence bulk)")) == 21
    assert at(name, 1009, "From", "no sender address") in result.skipped
    assert at(name, 2572, "From", "automated sender majordomo@imagemagick.org") in result.skipped
    assert len(result.interactions) == 21
    carl = next(r for r in result.interactions if r.line == 1401)
    assert carl.participants == [Participant("cknoos@atg.com", "Carl Knoos")]
    assert carl.occurred_at == utc(2000, 4, 1, 20, 40, 32)


def test_what_i_sent_lists_everyone_in_to_and_cc() -> None:
    name = "mailbox_perl_imagemagick_list_2000.mbox"
    result = parse(name, me=frozenset({"markov@atcomputing.nl"}))
    sent = {r.line: r for r in result.interactions if r.direction == "outbound"}
    assert len(sent) == 11
    assert sent[1159].participants == [  # To: Carl Knoos, Cc: the list
        Participant("cknoos@atg.com", "Carl Knoos"),
        Participant("magick@wizards.dupont.com"),
    ]
    assert sent[1159].summary == "Re: Problem resizing images through perl script"
    assert at(name, 2540, "To", "no other participants") in result.skipped  # majordomo


def test_raw_8bit_subjects_and_list_mail_in_mailpile() -> None:
    name = "mailpile_tests.mbox"
    result = parse(name, me=frozenset({"bre@slinky"}))
    by_line = {r.line: r for r in result.interactions}
    assert by_line[2385].summary == "Testing encryption, raw ISO-8859-1: áéíóúýþæöðÁÉÍÓÚÝÞÆÖÐ"
    assert by_line[2385].direction == "outbound"
    assert by_line[2385].participants == [Participant("nobody@nowhere.com", "Nobody")]
    assert at(name, 2434, "To", "no other participants") in result.skipped  # to myself
    assert at(name, 185, "List-Unsubscribe", "mailing-list or newsletter message") in result.skipped
    assert at(name, 2815, "List-Id", "mailing-list or newsletter message") in result.skipped
    assert by_line[2478].participants == [Participant("hi@brennannovak.com", "Brennan Novak")]
    assert sorted(by_line) == [1, 2385, 2478, 2565, 2732]
    assert at(name, 2697, "To", "no other participants") in result.skipped


def test_raw_utf8_subject() -> None:
    by_line = {r.line: r for r in parse("mailpile_tests.mbox").interactions}
    assert by_line[2434].summary == "Testing signatures, raw UTF-8: áéíóúýþæöðÁÉÍÓÚÝÞÆÖÐ"
    assert by_line[2434].participants == [Participant("bre@slinky", "Bjarni Runar Einarsson")]


def test_crlf_archive_without_blank_lines_and_a_shared_message_id() -> None:
    result = parse("roundcube_import_crlf.mbox", me=frozenset({"test1@rc.net"}))
    assert [(r.line, r.summary, r.direction) for r in result.interactions] == [
        (1, "Import 1", "inbound"), (11, "Import 2", "outbound"), (21, "Import 3", "inbound"),
    ]  # fmt: skip
    ids = [r.external_id for r in result.interactions]
    assert ids[0] == "<de75@tester.local>"
    assert ids[1].startswith("<de75@tester.local>#") and ids[2].startswith("<de75@tester.local>#")
    assert len(set(ids)) == 3
    assert result.interactions[1].participants == [Participant("tb@tester.local", "Tom Tester")]
    assert result.interactions[0].occurred_at == utc(2014, 5, 23, 17, 44, 50)


SYNTHETIC = """\
From list@example.org Mon Mar  4 10:00:00 2024
From: Team List <team@lists.example.org>
To: me@example.com
Subject: [team] weekly digest
Date: Mon, 04 Mar 2024 10:00:00 +0000
List-Id: <team.lists.example.org>
Message-ID: <list-1@example.org>

From here on, a body line that is not a From_ line.

From noreply@example.net Mon Mar  4 11:00:00 2024
From: Service <no-reply@example.net>
To: me@example.com
Subject: Your receipt
Date: Mon, 04 Mar 2024 11:00:00 +0000
Message-ID: <receipt@example.net>

Thanks.
>From the escaped line.

From me@example.com Mon Mar  4 12:00:00 2024
From: Me Myself <Me@Example.com>
To: Ana Souza <ana@example.org>, =?UTF-8?Q?Bj=C3=B6rn_Persson?= <bjorn@example.org>
Cc: me@example.com
Subject: =?UTF-8?B?UsOpdW5pb24=?= on Friday
Date: Mon, 04 Mar 2024 13:00:00 +0100
Message-ID: <sent-1@example.com>

See you then.

From ana@example.org Mon Mar  4 14:00:00 2024
From: "Souza, Ana" <ana@example.org>
To: Me Myself <me@example.com>, Chen Wei <chen@example.org>
Subject: Re: Réunion on Friday
Date: Mon, 4 Mar 2024 14:00:00 -0000

No Message-ID in this one.

From broken@example.org Mon Mar  4 15:00:00 2024
From: broken@example.org
To: me@example.com
Subject: No date
Date: the day after tomorrow
Message-ID: <no-date@example.org>

x
"""


def test_a_small_archive_of_the_usual_kinds(tmp_path: Path) -> None:
    result = parse_mbox(write(tmp_path, SYNTHETIC), my_addresses=frozenset({"me@example.com"}))
    path = str(tmp_path / "mail.mbox")
    assert result.skipped == [
        RecordError(path, 1, "List-Id", "mailing-list or newsletter message"),
        RecordError(path, 11, "From", "automated sender no-reply@example.net"),
    ]
    assert result.errors == [
        RecordError(path, 39, "Date", "unreadable date 'the day after tomorrow'")
    ]
    sent, received = result.interactions
    assert (sent.line, sent.direction, sent.summary) == (21, "outbound", "Réunion on Friday")
    assert sent.participants == [
        Participant("ana@example.org", "Ana Souza"),
        Participant("bjorn@example.org", "Björn Persson"),
    ]
    assert sent.occurred_at == utc(2024, 3, 4, 12) and sent.external_id == "<sent-1@example.com>"
    assert (received.line, received.direction) == (31, "inbound")
    assert received.participants == [Participant("ana@example.org", "Souza, Ana")]  # sender only
    assert received.occurred_at == utc(2024, 3, 4, 14)  # -0000: UTC
    assert received.external_id.startswith("sha256:")  # no Message-ID: a hash, stable
    again = parse_mbox(write(tmp_path, SYNTHETIC), my_addresses=frozenset({"me@example.com"}))
    assert again.interactions[1].external_id == received.external_id


def test_the_same_message_twice_is_imported_once(tmp_path: Path) -> None:
    sent = "From me@" + SYNTHETIC.split("\n\nFrom me@")[1].split("\n\nFrom ana@")[0] + "\n\n"
    result = parse_mbox(write(tmp_path, sent + sent), my_addresses=frozenset({"me@example.com"}))
    assert len(result.interactions) == 1 and result.interactions[0].line == 1
    assert result.skipped == [
        RecordError(str(tmp_path / "mail.mbox"), 11, "Message-ID", "the same message as at line 1")
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n\n",
        b"hello\n",
        b"From: someone@example.com\nSubject: an .eml file\n\nbody\n",
        b"\x00\xff" * 50,
    ],
    ids=["empty", "blank", "text", "eml", "binary"],
)
def test_files_that_are_not_mbox_raise_import_file_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ImportFileError, match=r"mail\.mbox"):
        parse_mbox(write(tmp_path, data), my_addresses=NOBODY)


def test_a_missing_file_raises_import_file_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="cannot open"):
        parse_mbox(tmp_path / "nowhere.mbox", my_addresses=NOBODY)


def test_the_benchmark_archive_is_realistic_and_the_same_every_time(tmp_path: Path) -> None:
    count = generate_mbox(tmp_path / "a.mbox", 300_000)
    assert generate_mbox(tmp_path / "b.mbox", 300_000) == count
    assert (tmp_path / "a.mbox").read_bytes() == (tmp_path / "b.mbox").read_bytes()
    result = parse_mbox(tmp_path / "a.mbox", my_addresses=frozenset({"me@example.com"}))
    assert len(result.interactions) + len(result.skipped) + len(result.errors) == count
    assert {"inbound", "outbound"} == {r.direction for r in result.interactions}
    assert {"List-Id", "From"} == {s.field for s in result.skipped} and result.errors == []
    assert "Réunion de l'équipe" in {r.summary for r in result.interactions}


FRAGMENTS = [
    "From a@example.com Mon Jan  1 00:00:00 2024", "From a at example.com  Mon Jan  1 00:00:00 2024",
    "From - Tue Feb 29 12:00 2024", "From here on", ">From escaped", "", "\r", " continued",
    "From: a@example.com", "From: a at example.com (A)", "From: =?UTF-8?B?w6k=?= <e@example.com>",
    "From: =?bogus?Q?x?= <b@example.com>", "From: =?UTF-8?B?###?= <c@example.com>", "From:",
    "From: me@example.com", "To: b@example.com, me@example.com", "To: undisclosed-recipients:;",
    "Cc: \"Quoted, Name\" <q@example.com>", "Date: Mon, 01 Jan 2024 00:00:00 +0000", "Date: nonsense",
    "Date: Mon, 01 Jan 99999 00:00:00 +0000", "Date: 31 Feb 2024 10:00 +0100", "Subject: =?utf-8?q?=E2=9C=88?=",
    "Subject: caf\u00e9", "Message-ID: <x@y>", "Message-ID:", "List-Id: <l>", "Precedence: bulk",
    "Auto-Submitted: auto-replied", "Auto-Submitted: no", "Received: from x\n\tby y",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_raise_nothing_but_import_file_error(data: bytes) -> None:
    check_fuzzed(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40),
    st.sampled_from(["\r\n", "\n"]),
    st.sampled_from(["utf-8", "latin-1"]),
)
def test_mbox_shaped_text_raises_nothing_but_import_file_error(
    lines: list[str], newline: str, encoding: str
) -> None:
    text = newline.join(["From a@example.com Mon Jan  1 00:00:00 2024", *lines, ""])
    check_fuzzed(text.encode(encoding, "replace"))


def check_fuzzed(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fuzz.mbox"
        path.write_bytes(data)
        try:
            result = parse_mbox(path, my_addresses=frozenset({"me@example.com"}))
        except ImportFileError:
            return
    ids = [r.external_id for r in result.interactions]
    assert len(ids) == len(set(ids))
    for record in result.interactions:
        assert record.occurred_at.tzinfo is not None and record.external_id and record.line >= 1
        assert record.participants and "me@example.com" not in {
            p.email for p in record.participants
        }
