"""What real contacts programs send, replayed (from their documentation and public bug
reports): one test per quirk, named after it."""

from __future__ import annotations

import base64
import io
import re

import pytest

from kithkin.models import ContactPoint, Person, Photo
from kithkin.services.people import PersonChanges, update_person
from tests import factories
from tests.dav.helpers import PROPFIND_ETAGS, SYNC, DavClient, card

MULTIGET = """<?xml version="1.0"?>
<card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
<d:prop><d:getetag/><card:address-data {attrs}/></d:prop><d:href>{href}</d:href>
</card:addressbook-multiget>"""

CTAG = """<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">
<d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>"""


@pytest.fixture
def dav(owner):
    return DavClient(owner)


def _put(dav, network, name, text, **headers):
    return dav.request(
        "PUT", dav.book(network.pk) + name, text, content_type="text/vcard", **headers
    )


def _get(dav, network, name, **headers):
    response = dav.request("GET", dav.book(network.pk) + name, **headers)
    assert response.status_code == 200
    return response.content.decode(), response["ETag"]


def _sync(dav, network, token=""):
    response = dav.request("REPORT", dav.book(network.pk), SYNC.format(token=token))
    assert response.status_code == 207
    text = response.content.decode()
    return text, re.search(r"<d:sync-token>([^<]+)</d:sync-token>", text).group(1)


def test_ios_labels_arriving_as_quoted_cell(dav, network):
    """iOS writes TYPE="CELL" (quoted, and with VOICE, pref): still a mobile phone."""
    body = card(
        "ios-1",
        "Tim Cook",
        'TEL;TYPE="CELL","VOICE","pref":+1 (408) 555-0101',
        "item1.EMAIL;TYPE=INTERNET:tim@example.org",
        "item1.X-ABLabel:_$!<Work>!$_",
    )
    assert _put(dav, network, "ios-1.vcf", body).status_code == 201
    person = Person.objects.get(network=network, full_name="Tim Cook")
    phone = person.contact_points.get(kind=ContactPoint.Kind.PHONE)
    assert phone.normalized == "+14085550101"
    assert "mobile" in phone.label
    assert person.contact_points.get(kind=ContactPoint.Kind.EMAIL).label == "work"


def test_edits_that_create_duplicates(dav, owner, network):
    """DAVx5 and iOS send an edit to the address the card was read from, with its UID:
    the same person changes, nobody new appears -- also when a program re-creates the card
    at a new address with the same UID."""
    ada = factories.make_person(network, "Ada Lovelace")
    text, etag = _get(dav, network, f"{ada.pk}.vcf")
    edited = text.replace("FN:Ada Lovelace", "FN:Ada King")
    assert _put(dav, network, f"{ada.pk}.vcf", edited, If_Match=etag).status_code == 204
    assert _put(dav, network, "moved-elsewhere.vcf", edited).status_code == 201
    assert Person.objects.filter(network=network, is_self=False).count() == 1
    ada.refresh_from_db()
    assert ada.full_name == "Ada King"


def test_edit_with_a_stale_etag_is_refused(dav, owner, network):
    ada = factories.make_person(network, "Ada Lovelace")
    text, etag = _get(dav, network, f"{ada.pk}.vcf")
    update_person(network, owner, ada, PersonChanges(notes="changed in Kithkin"))
    stale = _put(dav, network, f"{ada.pk}.vcf", text.replace("Ada", "Augusta"), If_Match=etag)
    assert stale.status_code == 412
    create_only = _put(dav, network, f"{ada.pk}.vcf", text, If_None_Match="*")
    assert create_only.status_code == 412
    ada.refresh_from_db()
    assert ada.full_name == "Ada Lovelace"


def test_deletes_that_dont_propagate(dav, network):
    """A card deleted on one phone disappears from the others: it archives the person,
    and the next sync-collection names the card as gone (404), its address kept."""
    other = DavClient(dav.user)
    assert _put(dav, network, "x-1.vcf", card("x-1", "Grace Hopper")).status_code == 201
    _, token = _sync(other, network)
    assert dav.request("DELETE", dav.book(network.pk) + "x-1.vcf").status_code == 204
    person = Person.objects.get(network=network, full_name="Grace Hopper")
    assert person.archived_at is not None
    report, _ = _sync(other, network, token)
    assert re.search(r"x-1\.vcf</d:href><d:status>HTTP/1.1 404", report)
    assert dav.request("GET", dav.book(network.pk) + "x-1.vcf").status_code == 404


def test_notes_that_never_sync(dav, owner, network):
    """A note from the phone reaches Kithkin (escaped commas and new lines as written),
    Kithkin's edit reaches the phone, and a note cleared on the phone is cleared."""
    body = card("n-1", "Alan Turing", "NOTE:Met at Bletchley\\, 1941\\nLikes running")
    _put(dav, network, "n-1.vcf", body)
    alan = Person.objects.get(network=network, full_name="Alan Turing")
    assert alan.notes == "Met at Bletchley, 1941\nLikes running"
    _, token = _sync(dav, network)
    update_person(network, owner, alan, PersonChanges(notes="Ran a marathon in 2:46"))
    report, _ = _sync(dav, network, token)
    assert "NOTE:Ran a marathon in 2:46" in report
    text, etag = _get(dav, network, "n-1.vcf")
    cleared = "\r\n".join(line for line in text.splitlines() if not line.startswith("NOTE"))
    _put(dav, network, "n-1.vcf", cleared + "\r\n", If_Match=etag)
    alan.refresh_from_db()
    assert alan.notes == ""


def test_macos_not_syncing(dav, owner, network):
    """macOS Contacts syncs only when getctag changes: an edit made in Kithkin changes
    it (and the sync token)."""
    ada = factories.make_person(network, "Ada Lovelace")
    before = dav.request("PROPFIND", dav.book(network.pk), CTAG, HTTP_DEPTH="0").content
    update_person(network, owner, ada, PersonChanges(headline="Mathematician"))
    after = dav.request("PROPFIND", dav.book(network.pk), CTAG, HTTP_DEPTH="0").content
    ctag = re.compile(rb"<cs:getctag>([^<]+)</cs:getctag>")
    assert ctag.search(before).group(1) != ctag.search(after).group(1)


def test_apple_birthday_without_a_year(dav, network):
    """iOS writes a birthday without a year as 1604 with X-APPLE-OMIT-YEAR; vCard 4.0
    clients get --0415."""
    body = card("b-1", "Ada Lovelace", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15")
    _put(dav, network, "b-1.vcf", body)
    ada = Person.objects.get(network=network, full_name="Ada Lovelace")
    assert (ada.birthday_year, ada.birthday_month, ada.birthday_day) == (None, 4, 15)
    text, _ = _get(dav, network, "b-1.vcf")
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15" in text
    report = dav.request(
        "REPORT",
        dav.book(network.pk),
        MULTIGET.format(
            attrs='content-type="text/vcard" version="4.0"', href=dav.book(network.pk) + "b-1.vcf"
        ),
    ).content.decode()
    assert "VERSION:4.0" in report and "BDAY:--0415" in report


def test_vcard_4_through_accept(dav, network):
    ada = factories.make_person(network, "Ada Lovelace")
    text, _ = _get(dav, network, f"{ada.pk}.vcf", HTTP_ACCEPT="text/vcard; version=4.0")
    assert "VERSION:4.0" in text
    text, _ = _get(dav, network, f"{ada.pk}.vcf")
    assert "VERSION:3.0" in text


def test_thunderbird_categories_are_tags(dav, owner, network):
    """Thunderbird (and DAVx5's "categories" groups) say groups as CATEGORIES."""
    _put(dav, network, "t-1.vcf", card("t-1", "Linus", "CATEGORIES:Kernel,Finland"))
    linus = Person.objects.get(network=network, full_name="Linus")
    assert sorted(linus.tags.values_list("name", flat=True)) == ["Finland", "Kernel"]
    text, etag = _get(dav, network, "t-1.vcf")
    assert re.search(r"CATEGORIES:(Kernel,Finland|Finland,Kernel)", text)
    _put(
        dav, network, "t-1.vcf", text.replace("Finland,", "").replace(",Finland", ""), If_Match=etag
    )
    assert list(linus.tags.values_list("name", flat=True)) == ["Kernel"]


def test_current_job_is_org_and_title(dav, network):
    _put(dav, network, "j-1.vcf", card("j-1", "Grace Hopper", "ORG:US Navy", "TITLE:Rear Admiral"))
    text, etag = _get(dav, network, "j-1.vcf")
    assert "ORG:US Navy" in text and "TITLE:Rear Admiral" in text
    moved = text.replace("ORG:US Navy", "ORG:Remington Rand").replace("Rear Admiral", "Director")
    _put(dav, network, "j-1.vcf", moved, If_Match=etag)
    text, _ = _get(dav, network, "j-1.vcf")
    assert "ORG:Remington Rand" in text and "TITLE:Director" in text


def test_properties_kithkin_does_not_model_come_back_unchanged(dav, network):
    body = card(
        "u-1",
        "Ada Lovelace",
        "X-PHONETIC-FIRST-NAME:Ay-da",
        "item2.X-ABDATE;type=pref:1835-07-08",
        "item2.X-ABLabel:_$!<Anniversary>!$_",
        "item3.EMAIL:ada@example.org",
        "item3.X-ABLabel:Analytical",
    )
    _put(dav, network, "u-1.vcf", body)
    text, _ = _get(dav, network, "u-1.vcf")
    assert "X-PHONETIC-FIRST-NAME:Ay-da" in text
    assert "item2.X-ABDATE;type=pref:1835-07-08" in text
    assert "item2.X-ABLabel:_$!<Anniversary>!$_" in text
    assert text.upper().count("X-ABLABEL") == 2  # the email's label written once, by the exporter
    assert "UID:u-1" in text


def test_phone_numbers_removed_on_the_phone_are_removed(dav, network):
    _put(
        dav,
        network,
        "p-1.vcf",
        card("p-1", "Ada", "TEL;TYPE=CELL:+44 20 7946 0000", "TEL;TYPE=HOME:+44 20 7946 0001"),
    )
    text, etag = _get(dav, network, "p-1.vcf")
    kept = "\r\n".join(line for line in text.splitlines() if "0001" not in line) + "\r\n"
    _put(dav, network, "p-1.vcf", kept, If_Match=etag)
    ada = Person.objects.get(network=network, full_name="Ada")
    assert list(ada.contact_points.values_list("normalized", flat=True)) == ["+442079460000"]


def test_a_sync_token_from_elsewhere_starts_over(dav, network):
    response = dav.request("REPORT", dav.book(network.pk), SYNC.format(token="http://x/1"))
    assert response.status_code == 403
    assert b"valid-sync-token" in response.content


def test_listing_gives_every_card_an_etag(dav, network):
    factories.make_person(network, "Ada Lovelace")
    factories.make_person(network, "Grace Hopper")
    listing = dav.request("PROPFIND", dav.book(network.pk), PROPFIND_ETAGS, HTTP_DEPTH="1")
    cards = re.findall(rb"\.vcf</d:href><d:propstat><d:prop><d:getetag>", listing.content)
    assert len(cards) == 2


def test_davx5_groups_as_separate_vcards(dav, network):
    """DAVx5's "groups are separate vCards" (and Apple's groups) write a group card whose
    members are UIDs: its name is a tag, its members the people who have it."""
    _put(dav, network, "a.vcf", card("uid-a", "Ada Lovelace"))
    _put(dav, network, "b.vcf", card("uid-b", "Grace Hopper"))
    group = card(
        "group-1",
        "Pioneers",
        "X-ADDRESSBOOKSERVER-KIND:group",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-a",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-b",
    )
    assert _put(dav, network, "group-1.vcf", group).status_code == 201
    tagged = Person.objects.filter(network=network, tags__name="Pioneers")
    assert sorted(tagged.values_list("full_name", flat=True)) == ["Ada Lovelace", "Grace Hopper"]
    text, etag = _get(dav, network, "group-1.vcf")
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-a" in text
    assert "FN:Ada Lovelace" in _get(dav, network, "a.vcf")[0]
    assert "CATEGORIES:Pioneers" in _get(dav, network, "a.vcf")[0]
    four = dav.request(
        "REPORT",
        dav.book(network.pk),
        MULTIGET.format(attrs='version="4.0"', href=dav.book(network.pk) + "group-1.vcf"),
    ).content.decode()
    assert "KIND:group" in four and "MEMBER:urn:uuid:uid-b" in four
    # Grace leaves the group on the phone
    smaller = "\r\n".join(line for line in text.splitlines() if "uid-b" not in line) + "\r\n"
    assert _put(dav, network, "group-1.vcf", smaller, If_Match=etag).status_code == 204
    assert list(tagged.values_list("full_name", flat=True)) == ["Ada Lovelace"]
    # the group deleted: nobody has the tag, and a sync says the card is gone
    _, token = _sync(dav, network)
    assert dav.request("DELETE", dav.book(network.pk) + "group-1.vcf").status_code == 204
    assert not tagged.exists()
    report, _ = _sync(dav, network, token)
    assert re.search(r"group-1\.vcf</d:href><d:status>HTTP/1.1 404", report)


def test_vcard_4_groups_with_kind_and_member(dav, network):
    _put(dav, network, "a.vcf", card("uid-a", "Ada Lovelace", version="4.0"))
    group = card("g-4", "Friends", "KIND:group", "MEMBER:urn:uuid:uid-a", version="4.0")
    assert _put(dav, network, "g-4.vcf", group).status_code == 201
    assert Person.objects.get(full_name="Ada Lovelace").tags.get().name == "Friends"


def test_a_listing_renders_only_the_cards_changed_since_the_last(dav, owner, network):
    """vdirsyncer and Thunderbird list every ETag on every sync: the stored ETags are
    used, and only the people changed since are rendered again -- and the listing always
    says what a GET of the card says."""
    ada = factories.make_person(network, "Ada Lovelace")
    grace = factories.make_person(network, "Grace Hopper")

    def listed() -> dict[str, str]:
        body = dav.request("PROPFIND", dav.book(network.pk), PROPFIND_ETAGS, HTTP_DEPTH="1")
        found = re.findall(
            r"/(\d+\.vcf)</d:href><d:propstat><d:prop><d:getetag>([^<]+)<", body.content.decode()
        )
        return {href: etag.replace("&quot;", '"') for href, etag in found}

    first = listed()
    assert set(first) == {f"{ada.pk}.vcf", f"{grace.pk}.vcf"}
    update_person(network, owner, ada, PersonChanges(notes="changed"))
    second = listed()
    assert second[f"{grace.pk}.vcf"] == first[f"{grace.pk}.vcf"]
    assert second[f"{ada.pk}.vcf"] != first[f"{ada.pk}.vcf"]
    for href, etag in second.items():
        assert _get(dav, network, href)[1] == etag


def test_the_worker_keeps_a_listed_address_books_etags_current(dav, owner, network):
    from kithkin.address_books.cards import card_at
    from kithkin.models import CardEtag
    from kithkin.services import changes

    ada = factories.make_person(network, "Ada Lovelace")
    dav.request("PROPFIND", dav.book(network.pk), PROPFIND_ETAGS, HTTP_DEPTH="1")
    update_person(network, owner, ada, PersonChanges(notes="changed"))
    changes.dispatch()
    stored = CardEtag.objects.get(network=network, person_id=ada.pk).etag
    assert stored == card_at(network, f"{ada.pk}.vcf").etag


def test_ios_renaming_the_address_book_is_refused_politely(dav, network):
    body = """<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop>
    <d:displayname>Mine</d:displayname></d:prop></d:set></d:propertyupdate>"""
    answer = dav.request("PROPPATCH", dav.book(network.pk), body)
    assert answer.status_code == 207
    assert b"displayname" in answer.content and b"403 Forbidden" in answer.content
    network.refresh_from_db()
    assert network.name != "Mine"


def test_thunderbird_vcard_4_with_value_text_and_pref(dav, network):
    """Thunderbird 115 writes vCard 4.0 with TEL;VALUE=TEXT, EMAIL;PREF=1 and typed ADR."""
    body = card(
        "tb-1",
        "Mitchell Baker",
        "N:Baker;Mitchell;;;",
        "EMAIL;PREF=1:mitchell@example.org",
        "TEL;TYPE=cell;VALUE=TEXT:+1 650 555 0199",
        "ADR;TYPE=work:;;331 E Evelyn Ave;Mountain View;CA;94041;USA",
        "URL;TYPE=work:https://example.org/mitchell",
        "NOTE:Chairwoman",
        version="4.0",
    )
    assert _put(dav, network, "tb-1.vcf", body).status_code == 201
    person = Person.objects.get(network=network, full_name="Mitchell Baker")
    kinds = {p.kind: (p.normalized, p.label) for p in person.contact_points.all()}
    assert kinds[ContactPoint.Kind.EMAIL][0] == "mitchell@example.org"
    assert kinds[ContactPoint.Kind.PHONE] == ("+16505550199", "mobile")
    assert kinds[ContactPoint.Kind.ADDRESS][1] == "work"
    assert person.notes == "Chairwoman"


def test_davx5_custom_labels_and_social_profiles(dav, network):
    """DAVx5 writes a custom label as a grouped X-ABLabel and profiles as X-SOCIALPROFILE
    or URLs: they come back labelled."""
    body = card(
        "dx-1",
        "Ada Lovelace",
        "item1.TEL:+44 20 7946 0100",
        "item1.X-ABLabel:Analytical engine",
        "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/ada-lovelace",
        "URL:https://ada.example.org",
    )
    _put(dav, network, "dx-1.vcf", body)
    text, _ = _get(dav, network, "dx-1.vcf")
    assert re.search(r"item\d+\.TEL:\+44 20 7946 0100", text)
    assert re.search(r"item\d+\.X-ABLABEL:analytical engine", text, re.IGNORECASE)
    assert "linkedin.com/in/ada-lovelace" in text
    assert "URL:https://ada.example.org" in text


def test_merging_two_people_leaves_one_card_and_a_tombstone(dav, owner, network):
    from kithkin.services.merge import merge_people

    _put(dav, network, "a.vcf", card("uid-a", "Ada Lovelace", "EMAIL:ada@example.org"))
    _put(dav, network, "b.vcf", card("uid-b", "Ada King", "TEL:+44 20 7946 0000"))
    _, token = _sync(dav, network)
    kept = Person.objects.get(network=network, full_name="Ada Lovelace")
    other = Person.objects.get(network=network, full_name="Ada King")
    merge_people(network, owner, kept, other)
    report, _ = _sync(dav, network, token)
    assert re.search(r"b\.vcf</d:href><d:status>HTTP/1.1 404", report)
    assert "+44 20 7946 0000" in _get(dav, network, "a.vcf")[0]


def _jpeg(colour: str) -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


def test_photos_changed_or_removed_on_the_phone(dav, network):
    """A contacts program PUTs the whole card: a new PHOTO replaces the one Kithkin has, a
    card without one removes it, and the photo it was served, sent back, changes nothing
    (re-encoding it again would lose quality on every edit)."""
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:{}"
    assert (
        _put(
            dav, network, "p.vcf", card("p", "Grace Hopper", photo.format(_jpeg("red")))
        ).status_code
        == 201
    )
    grace = Person.objects.get(network=network, full_name="Grace Hopper")
    first = grace.photo_digest
    assert first

    served, etag = _get(dav, network, "p.vcf")
    assert "PHOTO" in served
    edited = served.replace("FN:Grace Hopper", "FN:Grace B. Hopper")
    assert _put(dav, network, "p.vcf", edited, If_Match=etag).status_code == 204
    grace.refresh_from_db()
    assert (grace.full_name, grace.photo_digest) == ("Grace B. Hopper", first)

    changed = card("p", "Grace B. Hopper", photo.format(_jpeg("blue")))
    assert _put(dav, network, "p.vcf", changed).status_code == 204
    grace.refresh_from_db()
    assert grace.photo_digest not in ("", first)

    assert _put(dav, network, "p.vcf", card("p", "Grace B. Hopper")).status_code == 204
    grace.refresh_from_db()
    assert grace.photo_digest == "" and not Photo.objects.filter(person=grace).exists()
