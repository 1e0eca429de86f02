"""Never drop a field the model can hold (issue 11): job titles without an organization,
street addresses, chat handles, phones without a country code, quoted emails -- imported
from real and re-created vCards, shown, exported and read back unchanged. And a card with
100,000 emails imports (in linear time: see bench/imports_bounded.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from kithkin import normalize
from kithkin.errors import InvalidInput
from kithkin.exporters.csv_export import export_csv
from kithkin.exporters.vcard import export_vcards
from kithkin.importers.apply import apply_plan
from kithkin.importers.plan import ImportPlan, plan_import
from kithkin.importers.records import ContactRecord
from kithkin.importers.vcard import parse_vcards
from kithkin.models import ContactPoint, Network, Person
from kithkin.services.accounts import create_network

FILES = Path(__file__).parent / "files" / "vcard"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def corpus_file(name: str) -> Path:
    if not CORPUS.is_dir():
        message = f"../shared/corpus is absent: these tests read real vCard files from {CORPUS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS / "vcard" / name


def import_vcard(network: Network, owner, data: bytes, path: str = "contacts.vcf") -> ImportPlan:
    plan = plan_import(network, parse_vcards(data, path))
    apply_plan(network, owner, plan)
    return plan


def import_file(network: Network, owner, path: Path) -> ImportPlan:
    return import_vcard(network, owner, path.read_bytes(), str(path))


def person(network: Network, name: str) -> Person:
    return Person.objects.get(network=network, full_name=name)


def points(who: Person, kind: str) -> list[tuple[str, str, str]]:
    """(value, service, label) of the person's contact points of one kind, in order."""
    return [
        (p.value, p.service, p.label) for p in who.contact_points.filter(kind=kind).order_by("pk")
    ]


def everything(network: Network) -> list[tuple[object, ...]]:
    """What an export must carry: each person's headline, location and contact points."""
    return sorted(
        (
            p.full_name,
            p.headline,
            p.location,
            tuple(
                sorted(
                    p.contact_points.values_list("kind", "service", "label", "value", "normalized")
                )
            ),
        )
        for p in Person.objects.filter(network=network, is_self=False)
    )


def assert_round_trip(network: Network, owner) -> None:
    """Export in both versions; importing back into the same network changes nothing, and
    into an empty one gives the same people, contact points, labels and services."""
    for version in ("4.0", "3.0"):
        text = export_vcards(network, version=version).encode()
        again = plan_import(network, parse_vcards(text, "export.vcf"))
        assert again.errors == []
        assert [c.changes for c in again.contacts if c.changes] == []
        copy = create_network(owner, name=f"Copy {version}")
        copy.phone_region = network.phone_region
        copy.save()
        import_vcard(copy, owner, text)
        assert everything(copy) == everything(network)


# --- TITLE without ORG ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_title_without_an_organization_is_the_headline(network, owner):
    import_file(network, owner, FILES / "title_without_org.vcf")
    sherlock = person(network, "Sherlock Holmes")
    assert sherlock.headline == "Detective"
    assert not sherlock.affiliations.exists()  # a job needs an organization
    assert "TITLE:Detective" in export_vcards(network)
    assert_round_trip(network, owner)


def test_a_title_with_an_organization_stays_the_jobs_title():
    path = corpus_file("ezvcard_outlook-2007.vcf")
    (record,) = parse_vcards(path.read_bytes(), str(path)).contacts
    assert (record.organization, record.title, record.headline) == (
        "TheCompany",
        "TheJobTitle",
        "",
    )


# --- ADR ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_street_addresses_are_kept_whole_and_labelled(network, owner):
    import_file(network, owner, FILES / "full_address.vcf")
    watson = person(network, "Dr. John Watson")
    assert points(watson, ContactPoint.Kind.ADDRESS) == [
        ("Flat B\n221B Baker Street\nLondon\nNW1 6XE\nUnited Kingdom", "", "home"),
        (
            "St Bartholomew\u2019s Hospital\nWest Smithfield\nLondon\nEC1A 7BE\nUnited Kingdom",
            "",
            "surgery",
        ),
    ]
    assert watson.location == "London, United Kingdom"  # the preferred address, as before


@pytest.mark.django_db
def test_street_addresses_are_exported_as_adr_with_their_label(network, owner):
    import_file(network, owner, FILES / "full_address.vcf")
    text = export_vcards(network, version="3.0").replace("\r\n ", "")  # unfolded
    # Addresses in the place the location names have their parts; others are all street.
    assert "ADR;TYPE=home:;;Flat B\\n221B Baker Street;London;;NW1 6XE;United Kingdom" in text
    assert (
        "item1.ADR:;;St Bartholomew\u2019s Hospital\\nWest Smithfield;London;;EC1A 7BE;"
        "United Kingdom"
    ) in text
    assert "Flat B, 221B Baker Street, London, NW1 6XE, United Kingdom" in export_csv(network)
    assert_round_trip(network, owner)

    watson = person(network, "Dr. John Watson")
    watson.location = "Baker Street"  # typed by hand: no address says it
    watson.save()
    text = export_vcards(network, version="4.0").replace("\r\n ", "")
    assert (
        "ADR;TYPE=home:;;Flat B\\n221B Baker Street\\nLondon\\nNW1 6XE\\nUnited Kingdom;;;;" in text
    )
    assert "item1.X-ABLABEL:surgery" in text


@pytest.mark.parametrize(
    ("name", "addresses", "location"),
    [
        (
            "ezvcard_John_Doe_MS_OUTLOOK.vcf",
            [
                (
                    "Cresent moon drive\nAlbaney\nNew York\n12345\nUnited States of America",
                    "work",
                ),
                (
                    "Silicon Alley 5,\nNew York\nNew York\n12345\nUnited States of America",
                    "home",
                ),
            ],
            "Albaney, New York, United States of America",
        ),
        (
            "ezvcard_John_Doe_IPHONE.vcf",
            [
                (
                    "Silicon Alley 5,\nNew York\nNew York\n12345\nUnited States of America",
                    "home",
                ),
                ("Street4\nBuilding 6\nFloor 8\nNew York\n12345\nUSA", "work"),
            ],
            "New York, New York, United States of America",
        ),
        (
            "ezvcard_John_Doe_EVOLUTION.vcf",
            [
                (
                    "ASB-123\n15 Crescent moon drive\nAlbaney\nNew York\n12345\n"
                    "United States of America",
                    "home",
                )
            ],
            "Albaney, New York, United States of America",
        ),
    ],
)
def test_real_street_addresses_are_read_whole(name, addresses, location):
    path = corpus_file(name)
    (record,) = [c for c in parse_vcards(path.read_bytes(), str(path)).contacts if c.addresses]
    assert (record.addresses, record.location) == (addresses, location)


@pytest.mark.django_db
def test_colleagues_sharing_an_office_address_stay_two_people(network, owner):
    office = "ADR;TYPE=work:;;1 Infinite Loop;Cupertino;CA;95014;USA\r\nTEL:ask reception\r\n"
    data = (
        f"BEGIN:VCARD\r\nFN:Ada Lovelace\r\n{office}END:VCARD\r\n"
        f"BEGIN:VCARD\r\nFN:Grace Hopper\r\n{office}END:VCARD\r\n"
    ).encode()
    import_vcard(network, owner, data)
    import_vcard(
        network, owner, b"BEGIN:VCARD\r\nFN:Alan Turing\r\n" + office.encode() + b"END:VCARD\r\n"
    )
    names = Person.objects.filter(network=network, is_self=False).values_list(
        "full_name", flat=True
    )
    assert sorted(names) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]


# --- Chat handles ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_chat_handles_are_stored_with_their_service_and_label(network, owner):
    import_file(network, owner, FILES / "chat_handles.vcf")
    irene = person(network, "Irene Adler")
    assert points(irene, ContactPoint.Kind.CHAT) == [
        ("irene.adler", "skype", "home"),  # IMPP and X-SKYPE say it twice: kept once
        ("irene@jabber.example.org", "xmpp", "work"),
        ("irene@voip.example.org", "sip", ""),
        ("adler@jabber.example.net", "xmpp", "home"),
        ("the.woman", "skype", ""),
    ]


@pytest.mark.django_db
def test_chat_handles_are_exported_as_impp_and_read_back(network, owner):
    import_file(network, owner, FILES / "chat_handles.vcf")
    modern = export_vcards(network, version="4.0")
    assert "IMPP;TYPE=home;X-SERVICE-TYPE=Skype:skype:irene.adler" in modern
    assert "IMPP;TYPE=work;X-SERVICE-TYPE=Jabber:xmpp:irene@jabber.example.org" in modern
    assert "X-SKYPE" not in modern  # 4.0 readers all read IMPP
    older = export_vcards(network, version="3.0")
    assert "X-SKYPE-USERNAME;TYPE=home:irene.adler" in older  # what Android reads
    assert "X-JABBER;TYPE=work:irene@jabber.example.org" in older
    assert "irene.adler (Skype)" in export_csv(network)
    assert_round_trip(network, owner)


IOS_CHATS = [
    ("18383828", "icq"),
    ("aim@example.com", "aim"),
    ("msn@example.com", "msn"),
    ("yahoo@example.com", "yahoo"),
    ("jabber@example.com", "xmpp"),
    ("skype@example.com", "skype"),
    ("0283839", "whatsapp"),
    ("mikeim@example.com", "mike\u2019s very special, custom im"),
    ("gtalk@example.com", "googletalk"),
    ("fbook@example.com", "facebook"),
    ("qq@example.com", "qq"),
    ("gadu@example.com", "gadugadu"),
    ("skype2@example.com", "skype"),
]
EM_CLIENT_CHATS = [
    ("jabber@example.com", "xmpp"),
    ("skype@example.com", "skype"),
    ("12345", "icq"),
    ("msn@example.com", "msn"),
    ("aim@example.com", "aim"),
    ("gtalk@example.com", "googletalk"),
    ("gadugadu@example.com", "gadugadu"),
    ("irc@example.com", "irc"),
    ("yahoo@example.com", "yahoo"),
]
GOOGLE_CHATS = [
    ("aim@example.com", "aim"),
    ("12345", "icq"),  # Apple's ICQ written with the aim: scheme: X-SERVICE-TYPE wins
    ("gtalk@example.com", "googletalk"),
    ("qq@example.com", "qq"),
    ("skype@example.com", "skype"),
    ("yahoo@example.com", "yahoo"),
    ("msn@example.com", "msn"),
    ("jabber@example.com", "xmpp"),
]


@pytest.mark.parametrize(
    ("name", "chats"),
    [
        ("rcmcarddav_IM-iOS.vcf", IOS_CHATS),
        ("rcmcarddav_IM-eMClient.vcf", EM_CLIENT_CHATS),
        ("rcmcarddav_IM-GoogleContacts.vcf", GOOGLE_CHATS),
    ],
)
def test_real_chat_handles_are_read_with_their_service(name, chats):
    path = corpus_file(name)
    (record,) = parse_vcards(path.read_bytes(), str(path)).contacts
    assert [(handle, service) for handle, service, _label in record.chats] == chats


def test_a_label_that_only_names_the_service_is_no_label():
    path = corpus_file("rcmcarddav_IM-iOS.vcf")
    (record,) = parse_vcards(path.read_bytes(), str(path)).contacts
    assert {label for _handle, _service, label in record.chats} == {""}  # "Skype" on Skype
    path = corpus_file("rcmcarddav_IM-GoogleContacts.vcf")
    (record,) = parse_vcards(path.read_bytes(), str(path)).contacts
    assert {label for _handle, _service, label in record.chats} == {"other"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["rcmcarddav_IM-iOS.vcf", "rcmcarddav_IM-eMClient.vcf", "ezvcard_John_Doe_MS_OUTLOOK.vcf"],
)
def test_real_chat_handles_survive_an_export(network, owner, name):
    import_file(network, owner, corpus_file(name))
    assert ContactPoint.objects.filter(person__network=network, kind="chat").exists()
    assert_round_trip(network, owner)


@pytest.mark.django_db
def test_addresses_chats_and_unverified_phones_survive_a_json_restore(network, owner):
    from kithkin.exporters.kithkin_json import export_json
    from kithkin.importers.kithkin_json import read_document, restore

    for name in ("full_address.vcf", "chat_handles.vcf", "phones_without_country_code.vcf"):
        import_file(network, owner, FILES / name)
    first = export_json(network)
    empty = create_network(owner, name="Restored")
    restore(empty, owner, read_document(first.encode(), "export.json"), "export.json")
    assert everything(empty) == everything(network)
    assert [p.value for p in ContactPoint.objects.filter(person__network=empty) if p.is_unverified]


VCARDS = sorted(p.name for p in (CORPUS / "vcard").glob("*.vcf")) or ["<absent>"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", VCARDS)
def test_every_real_vcard_exported_and_imported_back_changes_nothing(network, owner, name):
    """What an import kept, an export writes and a re-import finds: nothing new, nothing
    changed, in the same network and in an empty one."""
    network.phone_region = "US"  # the corpus's numbers without a country code are American
    network.save()
    path = corpus_file(name)
    import_file(network, owner, path)
    if not Person.objects.filter(network=network, is_self=False).exists():
        assert "BEGIN:VCARD" not in export_vcards(network)  # no one in, no one out
        return
    assert_round_trip(network, owner)


# --- Phones without a country code ------------------------------------------------------


@pytest.mark.django_db
def test_phones_without_a_country_code_are_read_in_the_networks_region(network, owner):
    network.phone_region = "FR"
    network.save()
    plan = import_file(network, owner, FILES / "phones_without_country_code.vcf")
    assert [e.field for e in plan.errors] == []  # nothing refused
    hudson = person(network, "Martha Hudson")
    phones = {p.value: (p.normalized, p.is_unverified) for p in hudson.contact_points.all()}
    assert phones == {
        "+33 6 12 34 56 78": ("+33612345678", False),
        "+44 20 7946 0958": ("+442079460958", False),
        "ask at the bakery": ("?askatthebakery", True),
    }
    assert "TEL;TYPE=home:ask at the bakery" in export_vcards(network, version="3.0")
    assert "TEL;TYPE=home:ask at the bakery" in export_vcards(network, version="4.0")
    assert_round_trip(network, owner)


@pytest.mark.django_db
def test_without_a_region_such_phones_are_kept_unverified_not_refused(network, owner):
    plan = import_file(network, owner, FILES / "phones_without_country_code.vcf")
    assert plan.errors == []
    hudson = person(network, "Martha Hudson")
    unverified = [p.value for p in hudson.contact_points.all() if p.is_unverified]
    assert sorted(unverified) == ["06 12 34 56 78", "ask at the bakery"]
    assert_round_trip(network, owner)


@pytest.mark.django_db
def test_an_unverified_phone_is_shown_as_one(network, owner, kith, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.WHITENOISE_AUTOREFRESH = True
    import_file(network, owner, FILES / "phones_without_country_code.vcf")
    import_file(network, owner, FILES / "full_address.vcf")
    import_file(network, owner, FILES / "chat_handles.vcf")
    hudson = person(network, "Martha Hudson")
    client = Client()
    client.force_login(owner)
    page = client.get(f"/people/{hudson.pk}/").content.decode()
    assert "ask at the bakery <span" in page and "(unverified)</span>" in page
    assert 'href="tel:?' not in page  # no call link to a number that was never read
    shown = kith("show", "Martha Hudson").stdout
    assert "ask at the bakery (unverified: not read as a phone number)" in shown
    card = kith("show", "Martha Hudson", "--json").stdout
    assert '"value": "ask at the bakery"' in card and '"verified": false' in card

    watson = person(network, "Dr. John Watson")
    page = client.get(f"/people/{watson.pk}/").content.decode()
    assert "Flat B<br>221B Baker Street<br>London" in page
    shown = kith("show", "Dr. John Watson").stdout
    assert "Flat B, 221B Baker Street, London, NW1 6XE, United Kingdom (home)" in shown
    irene = person(network, "Irene Adler")
    page = client.get(f"/people/{irene.pk}/").content.decode()
    assert "Skype · home" in page
    assert "irene.adler (home)" in kith("show", "Irene Adler").stdout


@pytest.mark.django_db
def test_an_unverified_phone_is_removed_as_it_is_written(network, owner, kith):
    import_file(network, owner, FILES / "phones_without_country_code.vcf")
    result = kith("edit", "Martha Hudson", "--remove-phone", "ask at  the bakery")
    assert result.stdout == "Removed phone ask at the bakery.\n"
    hudson = person(network, "Martha Hudson")
    assert not [p for p in hudson.contact_points.all() if p.value == "ask at the bakery"]


def test_unverified_phone_keys_never_look_like_numbers():
    assert normalize.phone_or_unverified("06 12 34 56 78", "FR") == (
        "+33 6 12 34 56 78",
        "+33612345678",
    )
    shown, key = normalize.phone_or_unverified("  +999  12 ", "")
    assert (shown, key, normalize.is_verified_phone(key)) == ("+999 12", "?+99912", False)
    assert normalize.phone_or_unverified("---", "")[1] == "?---"
    with pytest.raises(InvalidInput):
        normalize.phone_or_unverified("   ", "FR")


# --- Quoted emails -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ('"Omega" <omega@example.com>', "omega@example.com"),
        ("Omega Home <OMEGA.home@example.com>", "omega.home@example.com"),
        ("<omega@example.com>", "omega@example.com"),
        ("mailto:omega@example.com", "omega@example.com"),
        ("omega@example.com", "omega@example.com"),
    ],
)
def test_an_email_written_with_a_name_is_its_address(written, key):
    assert normalize.email(written)[1] == key


def test_an_email_that_is_no_address_is_still_refused():
    with pytest.raises(InvalidInput, match="not a valid email"):
        normalize.email('"Omega" <not an address>')


@pytest.mark.django_db
def test_a_quoted_email_in_a_vcard_is_imported(network, owner):
    plan = import_file(network, owner, FILES / "quoted_email.vcf")
    assert plan.errors == []
    omega = person(network, "Omega")
    assert sorted(omega.contact_points.values_list("normalized", flat=True)) == [
        "omega.home@example.com",
        "omega@example.com",
    ]


# --- 100,000 properties on one card -----------------------------------------------------


def many_emails(count: int) -> bytes:
    lines = [f"EMAIL;TYPE=work:person{i}@example.org" for i in range(count)]
    return ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Mails\r\n" + "\r\n".join(lines)).encode() + (
        b"\r\nEND:VCARD\r\n"
    )


@pytest.mark.django_db
def test_a_card_with_100000_emails_is_bounded_and_says_so(network, owner):
    """No one has 100,000 addresses: the card's first 1,000 properties are read (in
    linear time: bench/imports_scaling.py), its first 200 contact points kept, and the
    plan says both."""
    from kithkin.importers.plan import MAX_CONTACT_POINTS
    from kithkin.importers.vcard_text import MAX_PROPERTIES

    parsed = parse_vcards(many_emails(100_000), "many.vcf")
    assert [str(note) for note in parsed.skipped] == [
        f"many.vcf:{MAX_PROPERTIES + 2}: vCard: the card holds more than 1,000 properties: "
        "this one and the rest; left out"
    ]
    plan = plan_import(network, parsed)
    assert [str(error) for error in plan.errors] == [
        "many.vcf:1: contact points: 998 of them; the first 200 are kept, 798 left out"
    ]
    apply_plan(network, owner, plan)
    many = person(network, "Many Mails")
    assert many.contact_points.count() == MAX_CONTACT_POINTS
    assert many.contact_points.filter(normalized="person199@example.org").exists()


def test_100000_copies_of_one_property_are_one():
    lines = "\r\n".join(
        ["EMAIL:same@example.org", "IMPP:skype:same", "ADR:;;1 Rue;Paris;;;"] * 33_334
    )
    data = f"BEGIN:VCARD\r\nFN:Same\r\n{lines}\r\nEND:VCARD\r\n".encode()
    (record,) = parse_vcards(data, "same.vcf").contacts
    assert (record.emails, record.chats, record.addresses) == (
        [("same@example.org", "")],
        [("same", "skype", "")],
        [("1 Rue\nParis", "")],
    )


def test_contact_points_of_a_record_ignore_repeats():
    from kithkin.importers.plan import contact_points

    record = ContactRecord(
        source="vcard",
        path="x.vcf",
        line=1,
        full_name="Ada",
        addresses=[("1 Rue\n  Paris ", "home"), ("1 rue\nparis", "work")],
        chats=[("Ada", "skype", ""), ("ada", "Skype", "work"), ("ada", "xmpp", "")],
    )
    planned = contact_points(record, "", [])
    assert [(p.kind, p.value, p.service, p.label) for p in planned] == [
        ("address", "1 Rue\nParis", "", "home"),
        ("chat", "Ada", "skype", ""),
        ("chat", "ada", "xmpp", ""),
    ]
