"""vCard parsing on cards written here: broken, nested, odd, and fuzzed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vobject.base import VObjectError
from vobject.base import line_re as vobject_line

from kithkin.importers import vcard
from kithkin.importers.records import ImportFileError, RecordError
from kithkin.importers.vcard import parse_vcards
from kithkin.importers.vcard_text import CONTENT_LINE, CardText, Property
from tests.importers.test_vcard import card, parse, parse_or_refusal


def test_card_with_nothing_to_name_it_is_an_error() -> None:
    (error,) = parse("aosp_v21_android_custom_prop.vcf").errors
    assert (error.line, error.field, error.message) == (
        1,
        "FN",
        "card has no name, email or organization",
    )


def test_group_card_is_left_out() -> None:
    (note,) = parse("vobject_vcard40_group.vcf").skipped
    assert (note.line, note.field) == (1, "KIND")


# Cards written here -------------------------------------------------------------------


def test_three_cards_one_cut_short_in_the_middle() -> None:
    data = (
        card("FN:Ann Lee", "EMAIL;TYPE=WORK:ann@example.org")
        + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Never ends\r\n"
        + card("FN:Cy Young")
    )
    result = parse_vcards(data, "three.vcf")
    assert [(c.line, c.full_name) for c in result.contacts] == [(1, "Ann Lee"), (9, "Cy Young")]
    assert result.errors == [
        RecordError(
            "three.vcf",
            6,
            "END",
            "the card starting at line 6 has no END:VCARD (is the file cut short?)",
        )
    ]


def test_three_cards_one_without_a_name_in_the_middle() -> None:
    data = card("FN:Ann") + card("NOTE:who is this?") + card("N:Young;Cy;;;")
    result = parse_vcards(data, "three.vcf")
    assert [(c.line, c.full_name) for c in result.contacts] == [(1, "Ann"), (9, "Cy Young")]
    assert [(e.line, e.field) for e in result.errors] == [(5, "FN")]


def test_a_line_that_is_no_property_is_a_note_and_the_card_stays() -> None:
    junk = "X;A=" + "," * 26 + '"'  # makes vobject's own line pattern backtrack for seconds
    result = parse_vcards(card("FN:Ann", junk, "this is no property", "TEL:123"), "a.vcf")
    assert [(c.full_name, c.phones) for c in result.contacts] == [("Ann", [("123", "")])]
    assert [(n.line, n.field) for n in result.skipped] == [(4, "vCard"), (5, "vCard")]


def test_names_from_n_then_organization_then_email() -> None:
    data = (
        card("N:  Lee ; Ann  Marie ;B.;Dr.;")
        + card("ORG:Acme\\, Inc.;Sales")
        + card("EMAIL:solo@example.org")
    )
    contacts = parse_vcards(data, "x.vcf").contacts
    assert [(c.full_name, c.given_name, c.family_name) for c in contacts] == [
        ("Ann Marie B. Lee", "Ann Marie", "Lee"),
        ("Acme, Inc.", "", ""),
        ("solo", "", ""),
    ]


def test_apple_label_line_may_come_before_its_property() -> None:
    data = card(
        "FN:Ann",
        "item2.X-ABLabel:_$!<HomeFAX>!$_",
        "item1.X-ABLabel:Gym",
        "TEL;TYPE=CELL:1",
        "item1.EMAIL;TYPE=INTERNET:ann@gym.example",
        "item2.TEL:2",
    )
    (contact,) = parse_vcards(data, "x.vcf").contacts
    assert contact.emails == [("ann@gym.example", "gym")]
    assert contact.phones == [("1", "mobile"), ("2", "home fax")]


def test_profiles_title_from_role_location_and_uid() -> None:
    data = card(
        "FN:Ann",
        "ROLE:Organizer",
        "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/ann",
        "IMPP:xmpp:ann@example.org",
        "ADR;TYPE=home:;;1 Road;Lyon;;;France",
        "ADR;TYPE=work,pref:;;Str. 5;Berlin;;10115;Germany",
        "UID:  urn:uuid:1234  ",
    )
    (contact,) = parse_vcards(data, "x.vcf").contacts
    assert contact.urls == ["https://www.linkedin.com/in/ann"]
    assert (contact.title, contact.location) == ("Organizer", "Berlin, Germany")
    assert contact.external_id == "urn:uuid:1234"


def test_vcard21_base64_lines_without_indent_belong_to_the_photo() -> None:
    data = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann\r\n"
        b"PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\nSkZJRgABAQ\r\nAAAQABAAD==\r\n\r\n"
        b"TEL:123\r\nEND:VCARD\r\n"
    )
    result = parse_vcards(data, "x.vcf")
    assert result.contacts[0].phones == [("123", "")]
    assert result.skipped == []


def test_the_charset_a_value_names_wins_over_utf8() -> None:
    # Half-width katakana ﾅｵ (Nao) is C5 B5 in Shift_JIS, which is also UTF-8 for "ŵ".
    data = card("FN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=C5=B5", "N:;;;;")
    assert parse_vcards(data, "x.vcf").contacts[0].full_name == "ﾅｵ"


def test_a_card_that_cannot_be_read_is_an_error_and_the_others_stay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = vcard.read_properties

    def read_or_fail(card: CardText) -> tuple[list[Property], list[tuple[int, str]]]:
        if any("Boom" in text for _line, text in card.lines):
            raise VObjectError("something vobject did not expect")
        return real(card)

    monkeypatch.setattr(vcard, "read_properties", read_or_fail)
    result = parse_vcards(card("FN:Ann") + card("FN:Boom") + card("FN:Cy"), "x.vcf")
    assert [c.full_name for c in result.contacts] == ["Ann", "Cy"]
    (error,) = result.errors
    assert (error.line, error.field) == (5, "vCard")
    assert "something vobject did not expect" in error.message


@pytest.mark.parametrize(
    ("value", "birthday"),
    [
        ("BDAY:19800322", (1980, 3, 22)),
        ("BDAY:1980-03-22", (1980, 3, 22)),
        ("BDAY;VALUE=date:1980-03-22T00:00:00Z", (1980, 3, 22)),
        ("BDAY:--0229", (None, 2, 29)),
        ("BDAY:--02-03", (None, 2, 3)),
        ("BDAY:1604-03-22", (None, 3, 22)),
        ("BDAY;X-APPLE-OMIT-YEAR=1900:1900-03-22", (None, 3, 22)),
        ("BDAY:1980-02-30", None),
        ("BDAY:next spring", None),
    ],
)
def test_birthdays(value: str, birthday: tuple[int | None, int, int] | None) -> None:
    result = parse_vcards(card("FN:Ann", value), "x.vcf")
    assert result.contacts[0].birthday == birthday
    assert len(result.skipped) == (birthday is None)


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffBEGIN:VCARD\r\nFN:Ann Lee\r\nEND:VCARD\r\n".encode(),
        "\ufeffBEGIN:VCARD\r\nFN:Ann Lee\r\nEND:VCARD\r\n".encode("utf-16-le"),
        "BEGIN:VCARD\nFN:Ann Lee\nEND:VCARD".encode("utf-16-le"),
        b"BEGIN:VCARD\rFN:Ann\r\n  Lee\rEND:VCARD\r",
        b"begin:vcard\r\r\nfn:Ann\r\r\n  Lee\r\r\nend:vcard\r\r\n",
    ],
)
def test_byte_order_marks_and_line_ends(data: bytes) -> None:
    (contact,) = parse_vcards(data, "x.vcf").contacts
    assert (contact.line, contact.full_name) == (1, "Ann Lee")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b" \r\n\r\n", "the file is empty"),
        (b"FN:Ann\r\nEND:VCARD\r\n", "no BEGIN:VCARD line"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "no BEGIN:VCARD line"),
    ],
)
def test_files_that_are_no_vcard(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as raised:
        parse_vcards(data, "contacts.vcf")
    assert str(raised.value).startswith("contacts.vcf: ") and message in str(raised.value)


# Anything at all ----------------------------------------------------------------------


def check_anything(data: bytes) -> None:
    result = parse_or_refusal(data, "any.vcf")
    if isinstance(result, ImportFileError):
        assert result.path == "any.vcf" and result.message
        return
    for contact in result.contacts:
        assert contact.full_name and contact.line >= 1
    for note in result.errors + result.skipped:
        assert note.line >= 1 and note.field and note.message


@settings(max_examples=300, deadline=1000)
@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    check_anything(data)


FRAGMENTS = [
    "BEGIN:VCARD\r\n",
    "BEGIN:VCARD\n",
    "END:VCARD\r\n",
    "VERSION:3.0\r\n",
    "VERSION:2.1\r\n",
    "FN:",
    "N:;;",
    "EMAIL;TYPE=INTERNET:",
    "TEL;CELL:",
    "BDAY:",
    "--0203",
    "ADR:;;",
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=",
    "=\r\n",
    "=C3=",
    "item1.",
    "X-ABLabel:_$!<",
    ";",
    ",",
    ":",
    '"',
    "\\",
    "\r\n ",
    "\r\r\n",
    "#",
    "KIND:group\r\n",
]


@settings(max_examples=300, deadline=1000)
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60),
    st.sampled_from(["utf-8", "utf-16-be", "utf-16", "cp1252", "shift_jis"]),
)
def test_anything_that_looks_like_a_vcard(fragments: list[str], encoding: str) -> None:
    check_anything("".join(fragments).encode(encoding, errors="replace"))


NAMES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30
).filter(lambda name: name.split() != [])


@settings(max_examples=200, deadline=1000)
@given(
    st.lists(NAMES, min_size=1, max_size=5),
    st.sampled_from(["\r\n", "\n", "\r\r\n"]),
    st.integers(min_value=1, max_value=40),
)
def test_written_names_come_back(names: list[str], end: str, fold_at: int) -> None:
    """Escaped and folded the way RFC 6350 says, any name reads back as written."""
    lines: list[str] = []
    starts = []
    for name in names:
        escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
        line = f"FN:{escaped}"
        folded = [line[i : i + fold_at] for i in range(0, len(line), fold_at)]
        starts.append(len(lines) + 1)
        lines += ["BEGIN:VCARD", "VERSION:4.0", folded[0], *(f" {f}" for f in folded[1:])]
        lines.append("END:VCARD")
    result = parse_vcards(end.join(lines).encode(), "x.vcf")
    assert [c.full_name for c in result.contacts] == [" ".join(n.split()) for n in names]
    assert [c.line for c in result.contacts] == starts


@settings(max_examples=500)
@given(st.text(alphabet='Ab1.;:=,"- ', max_size=12))
def test_the_line_guard_accepts_what_vobject_accepts(line: str) -> None:
    """CONTENT_LINE runs in linear time; vobject's pattern may take minutes to say no."""
    assert bool(CONTENT_LINE.match(line)) == bool(vobject_line.match(line))
