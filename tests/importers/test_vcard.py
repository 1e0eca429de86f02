"""vCard files: every real file of ../shared/corpus/vcard, cards written here, and anything
at all. The expectations come from reading each file's bytes (see the corpus MANIFEST)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult
from kithkin.importers.vcard import parse_vcards

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
VCARDS = sorted(p.name for p in (CORPUS / "vcard").glob("*.vcf")) or ["<absent>"]


def corpus_file(name: str) -> Path:
    if not CORPUS.is_dir():
        message = f"../shared/corpus is absent: these tests read real vCard files from {CORPUS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS / "vcard" / name


def parse(name: str) -> ParseResult:
    path = corpus_file(name)
    return parse_vcards(path.read_bytes(), str(path))


def only(name: str) -> ContactRecord:
    (contact,) = parse(name).contacts
    return contact


def parse_or_refusal(data: bytes, path: str) -> ParseResult | ImportFileError:
    """What parse_vcards returns, or the one exception it may raise."""
    try:
        return parse_vcards(data, path)
    except ImportFileError as exc:
        return exc


def card(*lines: str, end: str = "\r\n") -> bytes:
    return end.join(("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", "")).encode()


# Every file of the corpus -------------------------------------------------------------


@pytest.mark.parametrize("name", VCARDS)
def test_every_corpus_file_reads_into_named_records(name: str) -> None:
    path = corpus_file(name)
    result = parse_or_refusal(path.read_bytes(), str(path))
    if isinstance(result, ImportFileError):
        assert result.path == str(path) and result.message
        return
    for contact in result.contacts:
        assert contact.full_name and contact.full_name == " ".join(contact.full_name.split())
        assert contact.line >= 1 and contact.source == "vcard" and contact.path == str(path)
    for note in result.errors + result.skipped:
        assert note.line >= 1 and note.field and note.message and note.path == str(path)


# (contacts, errors, skipped) of each file, counted by reading it
COUNTS = {
    "aosp_v21_android_custom_prop.vcf": (0, 1, 0),  # only X-ANDROID-CUSTOM: no name at all
    "aosp_v21_backslash.vcf": (1, 0, 0),
    "aosp_v21_complicated.vcf": (1, 0, 0),
    "aosp_v21_invalid_comment_line.vcf": (1, 0, 0),
    "aosp_v21_japanese_2.vcf": (1, 0, 0),
    "aosp_v21_malformed_photo.vcf": (
        1,
        1,
        0,
    ),  # its PHOTO is no base64: the person imports without it
    "aosp_v21_multiple_entry.vcf": (3, 0, 0),
    "aosp_v21_nest.vcf": (1, 0, 2),  # the two nested cards are notes, not people
    "aosp_v21_winmo_65.vcf": (1, 0, 0),
    "aosp_v30_ios_613_multiline.vcf": (1, 0, 0),
    "ezvcard_John_Doe_ANDROID.vcf": (
        6,
        1,
        0,
    ),  # its PHOTO's base64 is cut short: the person imports without it
    "ezvcard_John_Doe_BLACK_BERRY.vcf": (
        1,
        1,
        0,
    ),  # its JPEG is cut short: the person imports without it
    "ezvcard_John_Doe_EVOLUTION.vcf": (1, 0, 0),
    "ezvcard_John_Doe_GMAIL.vcf": (1, 0, 0),
    "ezvcard_John_Doe_IPHONE.vcf": (1, 0, 0),
    "ezvcard_John_Doe_LOTUS_NOTES.vcf": (1, 0, 0),
    "ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf": (1, 0, 0),
    "ezvcard_John_Doe_MS_OUTLOOK.vcf": (1, 0, 0),
    "ezvcard_gmail-list.vcf": (3, 0, 0),
    "ezvcard_outlook-2003.vcf": (1, 0, 0),
    "ezvcard_outlook-2007.vcf": (1, 0, 0),
    "ezvcard_rfc6350-example.vcf": (1, 0, 0),
    "ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf": (1, 0, 0),
    "khard_labels.vcf": (1, 0, 0),
    "khard_photov3.vcf": (1, 0, 0),
    "khard_text-bday.vcf": (1, 0, 1),  # BDAY;VALUE=text:circa 1800
    "khard_unparsable.vcf": (0, 1, 0),  # no END:VCARD
    "radicale_broken-vcards2-no_uid.vcf": (2, 0, 0),
    "radicale_contact4-with-bday-no-year.vcf": (1, 0, 0),
    "radicale_contact_photo_with_data_uri_v4.vcf": (1, 0, 0),
    "rcmcarddav_IM-GoogleContacts.vcf": (1, 0, 0),
    "rcmcarddav_IM-eMClient.vcf": (1, 0, 0),
    "rcmcarddav_IM-iOS.vcf": (1, 0, 0),
    "rcmcarddav_XAbLabelAppleBuiltin.vcf": (1, 0, 0),
    "roundcube_johndoe.vcf": (1, 0, 0),
    "roundcube_photo.vcf": (1, 0, 0),
    "roundcube_thebat.vcf": (1, 0, 0),
    "roundcube_utf-16_sample.vcf": (1, 0, 0),
    "vobject_photo-test.vcf": (1, 0, 0),
    "vobject_vcard40_group.vcf": (0, 0, 1),  # KIND:group is not a person
    "vobject_vcard40_multilang.vcf": (1, 0, 0),
}


@pytest.mark.parametrize(("name", "counts"), COUNTS.items())
def test_what_each_corpus_file_holds(name: str, counts: tuple[int, int, int]) -> None:
    result = parse(name)
    assert (len(result.contacts), len(result.errors), len(result.skipped)) == counts


def test_every_corpus_file_has_counts() -> None:
    corpus_file("")
    assert set(VCARDS) == set(COUNTS), "a vCard was added to or removed from the corpus"


# What particular files say ------------------------------------------------------------


def test_shift_jis_bytes_and_quoted_printable_in_shift_jis() -> None:
    contact = only("aosp_v21_japanese_2.vcf")
    assert (contact.full_name, contact.family_name, contact.given_name) == (
        "安藤 ロイド 1",
        "安藤",
        "ロイド1",
    )
    assert contact.notes == "メモ"  # NOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=83=81=83=82


def test_three_shift_jis_cards_separated_by_blank_lines() -> None:
    result = parse("aosp_v21_multiple_entry.vcf")
    assert [(c.line, c.full_name) for c in result.contacts] == [
        (1, "安藤ロイド3"),
        (12, "安藤ロイド4"),
        (23, "安藤ロイド5"),
    ]
    assert result.contacts[0].phones == [("9", ""), ("10", ""), ("11", ""), ("12", "home fax")]


def test_windows_1252_bytes_named_by_charset() -> None:
    contact = only("roundcube_johndoe.vcf")
    assert (contact.full_name, contact.family_name) == ("John Doë", "Doë")
    assert contact.emails == [("inbox@roundcube.net", "work"), ("roundcube@gmail.com", "home")]
    assert contact.phones == [("+123456789", "work"), ("+987654321", "mobile")]
    assert (contact.organization, contact.location) == ("roundcube.net", "Hometown, Cayman Islands")


def test_quoted_printable_without_charset_reads_as_central_european() -> None:
    contact = only("roundcube_thebat.vcf")  # =F1 is ń in ISO-8859-2 and Windows-1250
    assert (contact.full_name, contact.family_name) == ("Piotr Iksiński", "Iksiński")


def test_utf16_big_endian_without_byte_order_mark() -> None:
    contact = only("roundcube_utf-16_sample.vcf")
    assert (contact.full_name, contact.given_name, contact.family_name) == (
        "Ǽgean ĽdaMonté",
        "Ǽgean",
        "ĽdaMonté",
    )
    assert contact.location == "LaPaz, Conceptión, Perú"


def test_apple_builtin_label_of_a_grouped_email() -> None:
    contact = only("rcmcarddav_XAbLabelAppleBuiltin.vcf")
    assert contact.emails == [("special@maxmu.de", "friend")]
    assert contact.external_id == "B92B8FDB-E918-481F-AD6F-9713D5324AC5"


def test_ios_cr_cr_lf_line_ends_and_a_folded_photo() -> None:
    result = parse("aosp_v30_ios_613_multiline.vcf")
    (contact,) = result.contacts
    assert (contact.line, contact.full_name, contact.organization) == (
        1,
        "Bob Smith",
        "Smith Auto Repair",
    )
    assert contact.emails == [("bob@smithauto.com", "")]
    assert contact.phones == [("(650) 555-1212", "mobile")]
    assert contact.urls == ["www.smithauto.com"]
    assert result.skipped == []  # the photo's folded lines are read as its value


def test_iphone_labels_address_and_birthday() -> None:
    contact = only("ezvcard_John_Doe_IPHONE.vcf")
    assert contact.phones[-3:] == [
        ("905-999-1234", "work fax"),
        ("905-111-1234", "pager"),
        ("905-222-1234", "assistant phone"),  # item2.X-ABLabel:_$!<AssistantPhone>!$_
    ]
    assert contact.location == "New York, New York, United States of America"
    assert contact.birthday == (2012, 6, 6)


def test_rfc6350_example() -> None:
    contact = only("ezvcard_rfc6350-example.vcf")
    assert (contact.full_name, contact.given_name, contact.family_name) == (
        "Simon Perreault",
        "Simon",
        "Perreault",
    )
    assert contact.birthday == (None, 2, 3)  # BDAY:--0203
    assert contact.phones == [
        ("+1-418-656-9254 ext. 102", "work"),  # tel:+1-418-656-9254;ext=102
        ("+1-418-262-6501", "work mobile"),
    ]
    assert contact.emails == [("simon.perreault@viagenie.ca", "work")]
    assert (contact.organization, contact.location) == ("Viagenie", "Quebec, QC, Canada")
    assert contact.urls == ["http://nomis80.org"]


def test_cardbook_year_1604_means_no_year() -> None:
    contact = only("radicale_contact4-with-bday-no-year.vcf")
    assert contact.birthday == (None, 1, 1)
    assert (contact.given_name, contact.family_name) == ("", "")  # N:;;;;


def test_free_text_birthday_is_left_out_with_a_note() -> None:
    result = parse("khard_text-bday.vcf")
    assert result.contacts[0].birthday is None
    (note,) = result.skipped
    assert (note.line, note.field) == (5, "BDAY") and "circa 1800" in note.message


def test_card_cut_short_is_an_error_naming_its_line() -> None:
    result = parse("khard_unparsable.vcf")
    assert result.contacts == []
    (error,) = result.errors
    assert (error.line, error.field) == (1, "END")
    assert "line 1" in error.message and "END:VCARD" in error.message


def test_cards_without_n_fn_or_uid() -> None:
    result = parse("radicale_broken-vcards2-no_uid.vcf")
    assert [(c.line, c.full_name, c.emails, c.external_id) for c in result.contacts] == [
        (
            1,
            "Test Example",
            [("test-misses-N-or-FN@example.com", "work")],
            "C68582D2-2E60-0001-C2C0-000000000000.vcf",
        ),
        (10, "test-misses-N-or-FN", [("test-misses-N-or-FN@example1.com", "work")], None),
    ]


def test_outlook_quoted_printable_note_with_line_breaks() -> None:
    contact = only("ezvcard_outlook-2003.vcf")
    assert contact.notes == "This is the note field!!\nSecond line\n\nThird line is empty"
    assert contact.organization == "Company, The"  # ORG:Company, The;TheDepartment
    assert contact.title == "The Job Title"  # TITLE wins over ROLE
    assert contact.birthday == (1980, 3, 21)
    assert contact.phones[-1] == ("BusinessFaxPhone", "work fax")


def test_outlook_2007_note_with_tabs_and_soft_breaks() -> None:
    contact = only("ezvcard_outlook-2007.vcf")
    assert contact.notes.splitlines() == [
        "This is the NOTE field",
        "I assume it encodes this text inside a NOTE vCard type.",
        "But I'm not sure because there's text formatting going on here.",
        "It does not preserve the formatting",
    ]
    assert contact.urls == ["http://mikeangstadt.name"]  # URL;HOME and URL;WORK, the same


def test_quoted_printable_continuation_starting_with_hash() -> None:
    contact = only("aosp_v21_invalid_comment_line.vcf")
    assert contact.notes == (
        "This is an (sharp ->#<- sharp) example. This message must NOT be ignored."
    )
    assert (contact.full_name, contact.external_id) == ("Conference Call", "357")


def test_soft_break_followed_by_an_indented_line_and_two_notes() -> None:
    contact = only("aosp_v21_complicated.vcf")
    assert contact.notes == (
        "The following note is the example from RFC 2045.\n\n"
        "Now's the time for all folk to come to the aid of their country."
    )
    assert (contact.full_name, contact.given_name, contact.family_name) == (
        "Joe Due",
        "Forrest",
        "Gump",
    )
    assert (contact.organization, contact.title) == ("Gump Shrimp Co.", "Shrimp Man")
    assert contact.birthday == (1980, 1, 1)


def test_nested_cards_are_not_people() -> None:
    result = parse("aosp_v21_nest.vcf")
    (contact,) = result.contacts
    assert (contact.full_name, contact.phones) == ("parent", [("1", "")])
    assert [(n.line, n.field) for n in result.skipped] == [(4, "AGENT"), (8, "AGENT")]


def test_android_cards_named_by_email_and_by_utf8_quoted_printable() -> None:
    result = parse("ezvcard_John_Doe_ANDROID.vcf")
    assert [(c.line, c.full_name) for c in result.contacts[:3]] == [
        (1, "john.doe"),
        (6, "jane.doe"),
        (11, "Ñ Ñ Ñ Ñ Ñ"),
    ]
    assert [c.line for c in result.contacts] == [1, 6, 11, 18, 36, 71]
    assert result.contacts[5].organization == "Ñ" * 44  # four QP lines, then a blank line


def test_escaped_and_folded_values_of_evolution() -> None:
    contact = only("ezvcard_John_Doe_EVOLUTION.vcf")
    assert contact.full_name == "Mr. John Richter, James Doe Sr."
    assert contact.emails == [("john.doe@ibm.com", "work")]  # folded inside the address
    assert contact.urls == ["http://www.ibm.com"]  # folded inside the URL
    assert contact.phones == [("905-666-1234", "mobile"), ("905-555-1234", "work")]
    assert contact.location == "Albaney, New York, United States of America"


def test_unescaped_commas_do_not_cut_values() -> None:
    contact = only("ezvcard_John_Doe_GMAIL.vcf")
    assert contact.full_name == "Mr. John Richter, James Doe Sr."
    assert contact.urls == ["http://www.ibm.com"]  # http\://www.ibm.com
    assert contact.notes.startswith("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONT")
    assert contact.notes.endswith("SUCH DAMAGE.\nFavotire Color: Blue")
    outlook = only("ezvcard_John_Doe_MS_OUTLOOK.vcf")
    assert len(outlook.notes) == 731 and outlook.notes.endswith("POSSIBILITY OF SUCH DAMAGE.")


def test_two_space_folds_and_mixed_line_ends() -> None:
    result = parse("roundcube_photo.vcf")
    (contact,) = result.contacts
    assert (contact.full_name, contact.given_name, contact.family_name) == (
        "Apple Computer AG",
        "Jörg",
        "Müller",
    )
    assert result.skipped == []


def test_backslashes_of_vcard_21() -> None:
    contact = only("aosp_v21_backslash.vcf")
    assert contact.given_name == "A;B\\"  # N:;A\;B\\;C\\\;;D;\:E;\\\\;
    assert contact.full_name == "A;B\\C;D:E\\"  # FN:A;B\C\;D:E\\ ("\C" is no escape)


def test_malformed_photo_does_not_break_the_card() -> None:
    result = parse("aosp_v21_malformed_photo.vcf")
    assert [(c.full_name, c.family_name) for c in result.contacts] == [("fullname", "name")]
    assert result.skipped == []
    assert result.contacts[0].photo is None
    [error] = result.errors
    assert (error.line, error.field) == (5, "PHOTO") and "not valid base64" in error.message


def test_first_of_several_language_versions() -> None:
    contact = only("vobject_vcard40_multilang.vcf")
    assert (contact.full_name, contact.given_name, contact.family_name) == (
        "Yamada Taro",
        "Taro",
        "Yamada",
    )


@pytest.mark.django_db
def test_categories_are_tags_and_come_back_from_an_export(network, owner):
    from kithkin.exporters.vcard import export_vcards
    from kithkin.importers.apply import apply_plan
    from kithkin.importers.plan import plan_import
    from kithkin.models import Person

    card = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\n"
        b"CATEGORIES:Mathematics,Friends\\, old,mathematics\r\nCATEGORIES:Engines\r\n"
        b"END:VCARD\r\n"
    )
    (record,) = parse_vcards(card, "ada.vcf").contacts
    assert record.tags == ["Mathematics", "Friends, old", "mathematics", "Engines"]
    apply_plan(network, owner, plan_import(network, parse_vcards(card, "ada.vcf")))
    ada = Person.objects.get(network=network, full_name="Ada Lovelace")
    tags = sorted(ada.tags.values_list("name", flat=True))
    assert tags == ["Engines", "Friends, old", "Mathematics"]  # one tag, case aside
    again = plan_import(network, parse_vcards(export_vcards(network).encode(), "out.vcf"))
    assert [c.changes for c in again.contacts if c.changes] == []
