"""One write path: the same rules for a person whether typed in a form, given to `kith add`
or `kith edit`, imported from any file, restored from a Kithkin export or saved as one
record (CardDAV): names, lengths, what is invisible, tag identity."""

from __future__ import annotations

import json

import pytest

from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.exporters.kithkin_json import export_json
from kithkin.importers.apply import apply_plan
from kithkin.importers.kithkin_json import read_document, restore
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult, RecordError
from kithkin.models import Affiliation, ContactPoint, Network, Organization, Person, Tag
from kithkin.services import people_bulk
from kithkin.services.accounts import create_network
from kithkin.services.contact_rules import has_visible, one_line
from kithkin.services.contact_saving import save_contact_record
from kithkin.services.organizations import create_organization
from kithkin.services.people import NewPerson, PersonChanges, add_person, update_person
from kithkin.web.forms import PersonForm
from tests.factories import make_person

pytestmark = pytest.mark.django_db

TOO_LONG = "Ada " + "x" * 200  # 204 characters: over Person.full_name's 200
INVISIBLE = "\u200b\u200c\u2060\ufeff \u3164"  # zero-width space, non-joiner, word joiner, BOM...
HUGE_ORGANIZATION = "Analytical Engines " * 26_316  # 500,004 characters


def record(name: str, *, line: int = 2, **fields) -> ContactRecord:
    return ContactRecord(source="vcard", path="cards.vcf", line=line, full_name=name, **fields)


def run(network, owner, *records):
    plan = plan_import(network, ParseResult(contacts=list(records)))
    return plan, apply_plan(network, owner, plan)


def others(network: Network) -> int:
    return Person.objects.filter(network=network, is_self=False).count()


# What is invisible ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Ada   Lovelace ", "Ada Lovelace"),
        ("\ufeffAda Lovelace\u200b", "Ada Lovelace"),  # a BOM and a zero-width space at the ends
        ("Ada\u200bLovelace", "AdaLovelace"),  # a zero-width space inside means nothing
        ("Ada\x00Lovelace", "Ada Lovelace"),  # PostgreSQL cannot store NUL
        ("\u200fمحمد\u200f", "محمد"),  # direction marks at the ends
        ("نیما\u200cیوشیج", "نیما\u200cیوشیج"),  # Persian needs its zero-width non-joiner
        ("Ada 👩\u200d💻", "Ada 👩\u200d💻"),  # and emoji their joiner
        ("I ❤\ufe0f", "I ❤\ufe0f"),  # a variation selector is part of what it follows
    ],
)
def test_one_line_values_lose_only_what_shows_nothing(typed, stored):
    assert one_line(typed) == stored


@pytest.mark.parametrize("text", [INVISIBLE, "\u0301\u0301", "\u2800", "\x00\x1b"])
def test_nothing_visible(text):
    assert not has_visible(one_line(text))


# Names --------------------------------------------------------------------------------


def test_an_overlong_name_is_refused_by_the_form_the_cli_and_every_importer(
    network, owner, kith, tmp_path
):
    form = PersonForm(data={"full_name": TOO_LONG, "circle": ""}, circles=[])
    assert not form.is_valid()
    assert "at most 200 characters" in form.errors["full_name"][0]

    result = kith("add", TOO_LONG)
    assert result.exit_code == 2
    assert "longer than 200 characters" in result.stderr

    make_person(network, "Ada Lovelace")
    result = kith("edit", "Ada Lovelace", "--name", TOO_LONG)
    assert result.exit_code == 2
    assert "longer than 200 characters" in result.stderr

    plan, summary = run(network, owner, record(TOO_LONG, line=7))
    assert plan.errors == [
        RecordError("cards.vcf", 7, "full_name", "is longer than 200 characters")
    ]
    assert summary.created == []

    cards = tmp_path / "long.vcf"
    cards.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{TOO_LONG}\r\nEND:VCARD\r\n")
    result = kith("import", "vcard", str(cards))
    assert f"{cards}:1: full_name: is longer than 200 characters" in result.stdout
    assert Person.objects.filter(network=network, is_self=False).count() == 1  # Ada alone
    assert not Person.objects.filter(full_name__startswith="Ada xxx").exists()


def test_a_name_of_only_invisible_characters_is_refused_everywhere(network, owner, kith, tmp_path):
    form = PersonForm(data={"full_name": INVISIBLE, "circle": ""}, circles=[])
    assert not form.is_valid()
    assert "no visible character" in form.errors["full_name"][0]

    with pytest.raises(InvalidInput, match="no visible character"):
        add_person(network, owner, NewPerson(full_name=INVISIBLE))
    result = kith("add", INVISIBLE)
    assert result.exit_code == 2
    assert "no visible character" in result.stderr

    ada = make_person(network, "Ada Lovelace")
    result = kith("edit", "Ada Lovelace", "--name", INVISIBLE)
    assert result.exit_code == 2
    assert "no visible character" in result.stderr
    with pytest.raises(InvalidInput, match="no visible character"):
        update_person(network, owner, ada, PersonChanges(full_name="\u200b"))
    ada.refresh_from_db()
    assert ada.full_name == "Ada Lovelace"

    cards = tmp_path / "invisible.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{INVISIBLE}\r\n"
        "EMAIL:ghost@example.org\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    result = kith("import", "vcard", str(cards))
    assert f"{cards}:5: full_name: has no visible character" in result.stdout
    assert set(
        Person.objects.filter(network=network, is_self=False).values_list("full_name", flat=True)
    ) == {"Ada Lovelace", "Grace Hopper"}
    assert not ContactPoint.objects.filter(normalized="ghost@example.org").exists()

    with pytest.raises(InvalidInput, match="no visible character"):
        save_contact_record(network, owner, record(INVISIBLE))


def test_my_own_name_follows_the_same_rule():
    from kithkin.services.accounts import create_user

    with pytest.raises(InvalidInput, match="name: has no visible character"):
        create_user(username="ghost", full_name="\u200b\u200b")
    user = create_user(username="ada", full_name="\ufeffAda  Lovelace")
    assert Person.objects.get(network=user.current_network, is_self=True).full_name == (
        "Ada Lovelace"
    )


def test_the_web_form_shows_the_refused_name_next_to_the_field(network, owner):
    from tests.web.conftest import client_for

    response = client_for(owner).post("/people/new/", {"full_name": "\u200b", "circle": ""})
    assert response.status_code == 200
    assert "no visible character" in response.content.decode()
    assert others(network) == 0


def test_imported_names_are_cleaned_like_typed_ones(network, owner):
    _, summary = run(network, owner, record("\ufeffAda\x00 Lovelace\u200b"))
    assert Person.objects.get(pk=summary.created[0]).full_name == "Ada Lovelace"


# Lengths ------------------------------------------------------------------------------


def test_a_huge_organization_name_is_refused_never_stored(network, owner):
    plan, summary = run(
        network, owner, record("Ada Lovelace", organization=HUGE_ORGANIZATION, title="CTO")
    )
    assert plan.errors == [
        RecordError("cards.vcf", 2, "organization", "is longer than 200 characters")
    ]
    ada = Person.objects.get(pk=summary.created[0])  # the rest of her imports
    assert not Organization.objects.exists()
    assert not ada.affiliations.exists()
    with pytest.raises(InvalidInput, match="longer than 200"):
        add_person(network, owner, NewPerson(full_name="Grace", organization=HUGE_ORGANIZATION))
    with pytest.raises(InvalidInput, match="longer than 200"):
        create_organization(network, owner, name=HUGE_ORGANIZATION)
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "limit"),
    [
        ({"title": "x" * 201}, "title", 200),
        ({"headline": "x" * 201}, "headline", 200),
        ({"location": "x" * 201}, "location", 200),
        ({"nickname": "x" * 101}, "nickname", 100),
        ({"given_name": "x" * 101}, "given_name", 100),
        ({"family_name": "x" * 101}, "family_name", 100),
        ({"tags": ["x" * 61]}, "tags", 60),
        ({"emails": [("ada@example.org", "x" * 41)]}, "label", 40),
        ({"chats": [("ada", "x" * 31, "")]}, "chat", 30),
        ({"addresses": [("1 Main St\n" + "x" * 500, "home")]}, "address", 500),
    ],
)
def test_every_field_an_import_writes_is_held_to_its_column(network, owner, fields, field, limit):
    plan, summary = run(network, owner, record("Ada Lovelace", organization="Engines", **fields))
    [error] = plan.errors
    assert (error.field, error.line) == (field, 2)
    assert f"longer than {limit} characters" in error.message
    ada = Person.objects.get(pk=summary.created[0])
    assert ada.full_name == "Ada Lovelace"  # the rest of the record is kept
    for name in ("headline", "location", "nickname"):
        assert len(getattr(ada, name)) <= 200
    assert all(len(a.title) <= 200 for a in Affiliation.objects.all())
    assert all(len(t.name) <= 60 for t in Tag.objects.all())


def test_the_bulk_writer_refuses_what_the_rules_did_not_clean_never_cuts_it(network, owner):
    plan = plan_import(network, ParseResult(contacts=[record("Ada Lovelace", line=9)]))
    plan.contacts[0].fills["headline"] = "x" * 201  # as a planner bug would leave it
    with pytest.raises(InvalidInput, match=r"cards.vcf:9: headline: is longer than 200"):
        apply_plan(network, owner, plan)
    plan.contacts[0].fills.pop("headline")
    plan.contacts[0].record.full_name = "\u200b"
    with pytest.raises(InvalidInput, match=r"cards.vcf:9: full_name: has no visible character"):
        apply_plan(network, owner, plan)
    assert others(network) == 0


def test_an_overlong_name_from_add_person_is_refused_not_cut(network, owner):
    with pytest.raises(InvalidInput, match="longer than 200"):
        add_person(network, owner, NewPerson(full_name=TOO_LONG))
    with pytest.raises(InvalidInput, match="headline: is longer than 200"):
        add_person(network, owner, NewPerson(full_name="Ada", headline="x" * 201))
    assert others(network) == 0


# Tag identity -------------------------------------------------------------------------


def test_cafe_is_one_tag_through_services_and_imports(network, owner):
    ada = add_person(network, owner, NewPerson(full_name="Ada Lovelace", tags=["Café"]))
    run(
        network,
        owner,
        record("Grace Hopper", tags=["cafe", "CAFÉ"]),
        record("Ada Lovelace", tags=["CAFE"], line=3),
    )
    grace = add_person(network, owner, NewPerson(full_name="Alan Kay", tags=["#cafe"]))
    update_person(network, owner, ada, PersonChanges(tags=["café", "Cafe"]))
    create_organization(network, owner, name="Analytical Engines", tags=["CAFE"])
    assert list(Tag.objects.filter(network=network).values_list("name", flat=True)) == ["Café"]
    tagged = Person.objects.filter(tags__name="Café").values_list("full_name", flat=True)
    assert sorted(tagged) == ["Ada Lovelace", "Alan Kay", "Grace Hopper"]
    assert grace.tags.get().name == "Café"


def test_bulk_tagging_finds_the_tag_by_the_same_rule(network, owner):
    ada = make_person(network, "Ada Lovelace", tags=["Café"])
    grace = make_person(network, "Grace Hopper")
    people_bulk.add_tag(network, owner, [ada.pk, grace.pk], "cafe")
    assert Tag.objects.filter(network=network).count() == 1
    assert people_bulk.remove_tag(network, owner, [ada.pk, grace.pk], "CAFE") == 2
    assert not Person.objects.filter(tags__isnull=False).exists()


def test_an_invisible_tag_is_refused(network, owner):
    with pytest.raises(InvalidInput, match="tag: must not be empty"):
        add_person(network, owner, NewPerson(full_name="Ada", tags=["\u200b"]))
    plan, _ = run(network, owner, record("Ada Lovelace", tags=["\u200b#", "ok"]))
    assert [e.field for e in plan.errors] == ["tags"]
    assert list(Tag.objects.values_list("name", flat=True)) == ["ok"]


# Kithkin JSON restore -----------------------------------------------------------------


@pytest.fixture
def exported(network, owner):
    """A small network's export, to spoil one value at a time."""
    make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        urls=["linkedin.com/in/ada", "https://ada.example.org"],
        organization="Analytical Engines",
        title="CTO",
        tags=["Café"],
    )
    return json.loads(export_json(network))


def _ada(document):
    return next(p for p in document["people"] if p["full_name"] == "Ada Lovelace")


def _point(document, kind):
    return next(c for c in _ada(document)["contact_points"] if c["kind"] == kind)


@pytest.mark.parametrize(
    ("spoil", "where", "message"),
    [
        (
            lambda d: d["organizations"][0].update(name=HUGE_ORGANIZATION),
            "organizations[0].name",
            "is longer than 200 characters",
        ),
        (
            lambda d: _point(d, "url").update(value="javascript://example.org/%0aalert(1)"),
            "contact_points[2].value",
            "is not a web address (http or https)",
        ),
        (
            lambda d: _point(d, "url").update(value="not a web address"),
            "contact_points[2].value",
            "is not a web address",
        ),
        (
            lambda d: d["organizations"][0].update(website="ftp://files.example.org"),
            "organizations[0].website",
            "is not a web address (http, https or mailto only)",
        ),
        (
            lambda d: _point(d, "email").update(kind="fax"),
            "contact_points[0].kind",
            "'fax' is not one of: email, phone, url, social, address, chat",
        ),
        (
            lambda d: _point(d, "email").update(label="x" * 41),
            "contact_points[0].label",
            "is longer than 40 characters",
        ),
        (
            lambda d: _ada(d).update(full_name=TOO_LONG),
            "full_name",
            "is longer than 200 characters",
        ),
        (lambda d: _ada(d).update(full_name="\u200b"), "full_name", "no visible character"),
        (lambda d: _ada(d).update(headline=["a list"]), "headline", "must be text"),
        (lambda d: _ada(d).update(time_zone="Mars/Olympus"), "time_zone", "is not a time zone"),
        (
            lambda d: _ada(d)["affiliations"][0].update(kind="slavery"),
            "affiliations[0].kind",
            "is not one of: employment",
        ),
        (
            lambda d: _ada(d).update(connected_on="2026-02-30"),
            "connected_on",
            "invalid date",
        ),
        (lambda d: _ada(d).update(cadence_days=-3), "cadence_days", "greater than or equal to 0"),
        (lambda d: d["tags"].append("x" * 61), ": tags[1]:", "longer than 60 characters"),
        (lambda d: d.pop("network"), ": network:", "is missing"),
        (lambda d: d.update(circles={}), ": circles:", "is missing or not a list"),
        (lambda d: _ada(d).update(circle="nowhere"), "circle", "refers to 'nowhere'"),
        (lambda d: d["network"].update(phone_region="ZZ"), "phone_region", "not a country code"),
    ],
)
def test_a_restore_checks_every_value_like_any_import(owner, exported, spoil, where, message):
    spoil(exported)
    empty = create_network(owner, name="Restored")
    with pytest.raises(ImportFileError) as refused:
        restore(empty, owner, exported, "backup.json")
    shown = str(refused.value)
    assert shown.startswith("backup.json: ")
    assert where in shown and message in shown, shown
    assert len(shown) < 300  # never the 500,000 characters back
    assert not Person.objects.filter(network=empty, is_self=False).exists()
    assert not Organization.objects.filter(network=empty).exists()
    assert not Tag.objects.filter(network=empty).exists()
    empty.refresh_from_db()
    assert empty.phone_region == ""


def test_a_restore_through_the_cli_is_refused_whole(owner, exported, tmp_path, kith):
    exported["organizations"][0]["name"] = HUGE_ORGANIZATION
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(exported))
    kith("network", "new", "Restored")
    dry = kith("import", "json", str(backup), "--dry-run")  # checked as a real restore is
    assert dry.exit_code == 2
    assert f"{backup}: organizations[0].name: is longer than 200 characters" in dry.stderr
    result = kith("import", "json", str(backup))
    assert result.exit_code == 2
    assert f"{backup}: organizations[0].name: is longer than 200 characters" in result.stderr
    restored = Network.objects.get(name="Restored")
    assert not Organization.objects.filter(network=restored).exists()
    assert not Person.objects.filter(network=restored, is_self=False).exists()


def test_a_dry_run_restore_writes_nothing(owner, exported):
    empty = create_network(owner, name="Restored")
    summary = restore(empty, owner, exported, "backup.json", dry_run=True)
    assert summary.people == 2  # Ada and me
    assert not Person.objects.filter(network=empty, is_self=False).exists()
    assert not Tag.objects.filter(network=empty).exists()


def test_tags_an_older_kithkin_kept_apart_are_restored_as_one(owner, exported):
    exported["tags"] = ["Café", "cafe"]
    _ada(exported)["tags"] = ["Café", "cafe"]
    empty = create_network(owner, name="Restored")
    restore(empty, owner, read_document(json.dumps(exported).encode(), "x.json"), "x.json")
    assert list(Tag.objects.filter(network=empty).values_list("name", flat=True)) == ["Café"]
    ada = Person.objects.get(network=empty, full_name="Ada Lovelace")
    assert [t.name for t in ada.tags.all()] == ["Café"]


# One record (CardDAV) -----------------------------------------------------------------


def card(name: str = "Ada Lovelace", **fields) -> ContactRecord:
    values = {
        "emails": [("ada@example.org", "work")],
        "phones": [("+44 20 7946 0958", "")],
        "urls": ["https://uk.linkedin.com/in/ada/"],
        "organization": "Analytical Engines",
        "title": "CTO",
        "tags": ["compilers"],
        "notes": "Met at the *Royal Society*.",
        "birthday": (None, 12, 10),
    }
    return record(name, **(values | fields))


def _state(person: Person) -> tuple:
    person.refresh_from_db()
    return (
        person.full_name,
        person.notes,
        person.headline,
        (person.birthday_month, person.birthday_day),
        sorted(person.contact_points.values_list("kind", "normalized", "is_primary")),
        sorted(str(a) for a in person.affiliations.all()),
        sorted(person.tags.values_list("name", flat=True)),
    )


def test_one_record_creates_then_updates_a_person_idempotently(network, owner):
    first = save_contact_record(network, owner, card())
    ada = first.person
    assert (first.created, first.changed) == (True, True)
    assert _state(ada) == (
        "Ada Lovelace",
        "Met at the *Royal Society*.",
        "",
        (12, 10),
        [
            ("email", "ada@example.org", True),
            ("phone", "+442079460958", True),
            ("social", "https://www.linkedin.com/in/ada", True),
        ],
        ["CTO at Analytical Engines"],
        ["compilers"],
    )
    from kithkin.queries.search import search

    assert [h.person for h in search(network, "analytical").people] == [ada]

    before = _state(ada)
    again = save_contact_record(network, owner, card(), person=ada)
    assert (again.created, again.changed) == (False, False)
    assert _state(ada) == before
    assert others(network) == 1

    more = save_contact_record(
        network,
        owner,
        card(
            emails=[("ADA@example.org", ""), ("ada@home.example", "home")],
            tags=["Compilers", "mathematics"],
            headline="Countess",
            organization="analytical  engines",
            notes="Something else",
        ),
        person=ada,
    )
    assert (more.created, more.changed) == (False, True)
    state = _state(ada)
    assert state[1] == "Met at the *Royal Society*."  # filled only when blank
    assert state[2] == "Countess"
    assert ("email", "ada@home.example", False) in state[4]
    assert state[5] == ["CTO at Analytical Engines"]  # the same organization, not a second job
    assert state[6] == ["compilers", "mathematics"]
    assert search(network, "countess").people[0].person == ada


def test_one_record_is_refused_whole_when_a_value_is_bad(network, owner):
    with pytest.raises(InvalidInput, match="email"):
        save_contact_record(network, owner, card(emails=[("ada@", "")]))
    with pytest.raises(InvalidInput, match="organization: is longer than 200"):
        save_contact_record(network, owner, card(organization=HUGE_ORGANIZATION))
    assert others(network) == 0
    assert not Organization.objects.exists()


def test_one_record_checks_access(network, owner, viewer, outsider):
    with pytest.raises(Forbidden):
        save_contact_record(network, viewer, card())
    ada = save_contact_record(network, owner, card()).person
    theirs = Network.objects.get(memberships__user=outsider)
    with pytest.raises((Forbidden, NotFound)):
        save_contact_record(theirs, owner, card(), person=ada)
    with pytest.raises(NotFound):
        save_contact_record(network, owner, card(), person=make_person(theirs, "Oscar"))


def test_one_record_does_not_change_what_it_was_given(network, owner):
    given = card("  Ada\u200b ", tags=["#compilers", "Compilers"])
    save_contact_record(network, owner, given)
    assert given.tags == ["#compilers", "Compilers"]
    assert given.full_name == "  Ada\u200b "


@pytest.mark.parametrize(
    ("said", "named"),
    [
        ("Grace Hopper", "Grace Hopper"),
        ("\u200b\u200b", "grace.hopper"),  # a name of nothing visible: the address names her
        ("G" * 300, "grace.hopper"),  # too long for a name: never cut
    ],
)
def test_people_met_in_mail_or_meetings_are_named_by_the_rules_of_every_name(
    network, owner, said, named
):
    import datetime as dt

    from kithkin.importers.records import InteractionRecord, Participant

    meeting = InteractionRecord(
        source="calendar",
        path="cal.ics",
        line=4,
        external_id="uid-1",
        kind="meeting",
        occurred_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
        direction="mutual",
        summary="Compilers",
        participants=[Participant(email="grace.hopper@navy.example", name=said)],
    )
    plan = plan_import(network, ParseResult(interactions=[meeting]), create_people=True)
    apply_plan(network, owner, plan)
    assert list(
        Person.objects.filter(network=network, is_self=False).values_list("full_name", flat=True)
    ) == [named]


def test_an_id_longer_than_its_column_is_found_again_on_a_reimport(network, owner):
    """A calendar UID or Message-ID over 500 characters is stored as a hash of itself,
    never cut: cut ids could not be found again, and each import added the meeting anew."""
    import datetime as dt

    from kithkin.importers.records import InteractionRecord, Participant
    from kithkin.models import Interaction

    grace = make_person(network, "Grace Hopper", emails=["grace@navy.example"])
    long_uid = "x" * 600

    def meeting(uid: str) -> InteractionRecord:
        return InteractionRecord(
            source="calendar",
            path="cal.ics",
            line=4,
            external_id=uid,
            kind="meeting",
            occurred_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
            direction="mutual",
            summary="Compilers",
            participants=[Participant(email="grace@navy.example")],
        )

    parsed = ParseResult(interactions=[meeting(long_uid), meeting(long_uid + "y")])
    apply_plan(network, owner, plan_import(network, parsed))
    again = plan_import(network, parsed)
    assert [i.action for i in again.interactions] == ["exists", "exists"]
    assert Interaction.objects.filter(participants=grace).count() == 2  # two ids, two rows


@pytest.mark.parametrize(
    ("headline", "kept_as"),
    [("", ("Detective", "")), ("Doe - Founder", ("Doe - Founder", "Title: Detective"))],
)
def test_a_title_without_an_organization_is_never_dropped(network, owner, headline, kept_as):
    """Whatever file it comes from: the headline if there is none, else in the notes."""
    run(network, owner, record("Sherlock Holmes", title="Detective", headline=headline))
    sherlock = Person.objects.get(network=network, full_name="Sherlock Holmes")
    assert (sherlock.headline, sherlock.notes) == kept_as
    assert not Affiliation.objects.filter(person=sherlock).exists()
