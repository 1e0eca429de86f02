"""Every mailbox variant the issue found in real files (issue 11, "Read every real
variant"): mboxo, mboxrd, mboxcl2 (Content-Length), Thunderbird's "From - " lines, Gmail's
"From 1844…@xxx" lines with and without a date, CRLF and CR-only line ends, messages
without a Date header. Real files of ../shared/corpus where they carry the case, and the
re-created files of tests/importers/files/mbox (its README says which program writes each)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kithkin.importers.apply import apply_plan
from kithkin.importers.formats import ImportContext, parse
from kithkin.importers.mbox import parse_mbox
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ImportFileError, ParseResult
from kithkin.models import Interaction, Person

FILES = Path(__file__).parent / "files" / "mbox"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ME = frozenset({"me@example.com"})
CONTEXT = ImportContext(my_addresses=ME, until=dt.datetime(2026, 2, 20, tzinfo=dt.UTC))


def read(name: str) -> ParseResult:
    return parse_mbox(FILES / name, my_addresses=ME)


def summary(result: ParseResult) -> list[tuple[int, str, str, str, list[str]]]:
    return [
        (
            r.line,
            r.occurred_at.isoformat(),
            r.direction,
            r.summary,
            [p.email for p in r.participants],
        )
        for r in result.interactions
    ]


def test_thunderbird_from_dash_lines_and_mboxrd_escaping() -> None:
    result = read("thunderbird_from_dash.mbox")
    assert summary(result) == [
        (1, "2024-01-08T10:00:00+00:00", "inbound", "Engines", ["ada@example.org"]),
        (14, "2024-01-09T09:30:00+00:00", "outbound", "Re: Engines", ["ada@example.org"]),
    ]
    assert result.errors == result.skipped == []


def test_gmail_takeout_lines_with_and_without_a_date() -> None:
    result = read("gmail_takeout.mbox")
    assert summary(result) == [
        (1, "2024-01-10T14:23:45+00:00", "inbound", "Compilers", ["grace@example.net"]),
        # "From 1844…@xxx" alone, then a header: a message (not the body of the one before)
        (14, "2024-01-11T08:00:00+00:00", "outbound", "Re: Compilers", ["grace@example.net"]),
        # no Date header: the From_ line's "Fri Jan 12 07:15:00 +0000 2024"
        (25, "2024-01-12T07:15:00+00:00", "inbound", "No Date header here", ["grace@example.net"]),
    ]
    assert result.errors == result.skipped == []


def test_mboxcl2_bodies_are_skipped_by_their_content_length() -> None:
    result = read("mboxcl2.mbox")
    # the forwarded "From alan@example.org Mon Jan 15 ..." line inside the first body is
    # body, not a message of Alan's
    assert summary(result) == [
        (1, "2024-01-15T10:00:00+00:00", "inbound", "Forwarding Alan", ["ada@example.org"]),
        (17, "2024-01-16T10:00:00+00:00", "inbound", "Lunch", ["bob@example.org"]),
    ]


def test_a_wrong_content_length_falls_back_to_from_lines(tmp_path: Path) -> None:
    data = (FILES / "mboxcl2.mbox").read_bytes().replace(b"Content-Length: 6", b"Content-Length: 2")
    path = tmp_path / "wrong.mbox"
    path.write_bytes(data)
    assert [r.summary for r in parse_mbox(path, my_addresses=ME).interactions] == [
        "Forwarding Alan",
        "Lunch",
    ]


def test_cr_only_line_ends() -> None:
    result = read("classic_mac_cr.mbox")
    assert summary(result) == [
        (1, "2024-01-15T10:00:00+00:00", "inbound", "Old Mac", ["ada@example.org"]),
        (10, "2024-01-16T10:00:00+00:00", "inbound", "Also old", ["bob@example.org"]),
    ]


def test_a_cr_only_file_that_imports_nothing_says_why() -> None:
    result = read("classic_mac_cr_list_only.mbox")
    assert result.interactions == []
    assert [(s.line, s.field, s.message) for s in result.skipped] == [
        (1, "List-Id", "mailing-list or newsletter message")
    ]


def test_a_cr_only_file_without_messages_says_so(tmp_path: Path) -> None:
    path = tmp_path / "mac.mbox"
    path.write_bytes(b"\r\rFrom ada@example.org Mon Jan 15 10:00:00 2024")
    result = parse_mbox(path, my_addresses=ME)
    assert [(e.field, e.message) for e in result.errors] == [
        (
            "file",
            "no message in it: it ends on its first From_ line "
            "(its lines end with CR alone, as classic Mac OS wrote them)",
        )
    ]


def test_crlf_and_a_from_line_with_an_rfc_2822_date() -> None:
    assert summary(read("crlf_rfc2822_from_line.mbox")) == [
        (1, "2024-01-15T10:00:00+00:00", "inbound", "Windows", ["ada@example.org"]),
    ]


def test_the_real_crlf_archive_from_the_corpus() -> None:
    path = CORPUS / "mbox" / "roundcube_import_crlf.mbox"
    if not path.is_file():
        message = f"../shared/corpus is absent: {CORPUS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = parse_mbox(path, my_addresses=ME)
    assert result.interactions and result.errors == []


@pytest.mark.parametrize(
    "first_line",
    [
        b"From - Mon Jan 08 10:00:00 2024",
        b"From 1844123456789012345@xxx Wed Jan 10 14:23:45 +0000 2024",
        b"From 1844123456789012345@xxx",
        b"From ada@example.org Mon, 15 Jan 2024 10:00:00 +0000",
        b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011",
        b"From someone@example.org  Sat Jan  3 01:05:34 1996",
        b"From ada@example.org sometime last week",  # any first From_ line with headers
    ],
)
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_a_valid_file_is_never_called_not_an_mbox_file(
    tmp_path: Path, first_line: bytes, newline: bytes
) -> None:
    path = tmp_path / "one.mbox"
    headers = [
        b"From: Ada <ada@example.org>",
        b"Subject: Hello",
        b"Date: Mon, 15 Jan 2024 10:00:00 +0000",
    ]
    path.write_bytes(newline.join([first_line, *headers, b"", b"Body.", b""]))
    (record,) = parse_mbox(path, my_addresses=ME).interactions
    assert (record.summary, record.participants[0].email) == ("Hello", "ada@example.org")


def test_what_is_not_an_mbox_still_says_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Shopping list\nFrom the market: apples\n")
    with pytest.raises(ImportFileError, match="not an mbox file"):
        parse_mbox(path, my_addresses=ME)


VARIANTS = sorted(p.name for p in FILES.glob("*.mbox"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", VARIANTS)
def test_every_variant_imports_once_and_only_once(network, owner, name: str) -> None:
    parsed = parse("mbox", FILES / name, CONTEXT)
    apply_plan(network, owner, plan_import(network, parsed, create_people=True))
    people = Person.objects.filter(network=network).count()
    interactions = Interaction.objects.filter(network=network).count()
    assert interactions == len(parsed.interactions)
    again = plan_import(network, parse("mbox", FILES / name, CONTEXT), create_people=True)
    assert not again.changes_anything
    apply_plan(network, owner, again)
    assert Person.objects.filter(network=network).count() == people
    assert Interaction.objects.filter(network=network).count() == interactions


@pytest.mark.django_db
def test_a_mailbox_import_is_all_or_nothing(network, owner) -> None:
    parsed = parse("mbox", FILES / "gmail_takeout.mbox", CONTEXT)
    plan = plan_import(network, parsed, create_people=True)
    steps: list[str] = []

    def fail_late(step: str) -> None:  # once the people and the e-mails are written
        steps.append(step)
        if len(steps) == 6:
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        apply_plan(network, owner, plan, fail_late)
    assert "interactions" in steps
    assert not Interaction.objects.filter(network=network).exists()
    assert not Person.objects.filter(network=network, is_self=False).exists()
