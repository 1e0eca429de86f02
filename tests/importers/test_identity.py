"""Issue 11, "never merge two people, never lose one": what identifies a person in an
import (personal emails, profile URLs), what only supports a match on the same name
(phones, websites, shared addresses), the reasons the plan gives, and URLs compared as
URLs, not as text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kithkin import normalize
from kithkin.errors import InvalidInput
from kithkin.importers.apply import apply_plan
from kithkin.importers.linkedin import parse_linkedin
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ContactRecord, ParseResult
from kithkin.models import Person, ValueExchange
from kithkin.queries.people import resolve_person
from kithkin.queries.search import search
from tests.factories import make_person

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files" / "linkedin" / "percent_encoded_vs_raw"
SWITCHBOARD, FAX, WEBSITE = "+44 20 7946 0000", "+44 20 7946 0001", "https://www.acme.example/"


def card(name: str, *, line: int = 1, **fields) -> ContactRecord:
    return ContactRecord(source="vcard", path="contacts.vcf", line=line, full_name=name, **fields)


def run(network, owner, *records: ContactRecord):
    plan = plan_import(network, ParseResult(contacts=list(records)))
    return plan, apply_plan(network, owner, plan)


def colleague(name: str, title: str, line: int) -> ContactRecord:
    return card(
        name,
        line=line,
        phones=[(SWITCHBOARD, "work"), (FAX, "fax")],
        urls=[WEBSITE],
        organization="Acme",
        title=title,
        notes=f"{name} runs the {title.lower()} desk.",
    )


# Shared identifiers -----------------------------------------------------------------------


def test_colleagues_sharing_only_a_switchboard_fax_and_website_stay_two_people(network, owner):
    plan, summary = run(
        network,
        owner,
        colleague("Ada Lovelace", "CTO", 1),
        colleague("Grace Hopper", "Admiral", 9),
    )
    assert (plan.summary["new"], plan.summary["merged"]) == (2, 0)
    assert plan.merges == []
    people = Person.objects.filter(pk__in=summary.created).order_by("full_name")
    assert [(p.full_name, p.notes) for p in people] == [
        ("Ada Lovelace", "Ada Lovelace runs the cto desk."),
        ("Grace Hopper", "Grace Hopper runs the admiral desk."),
    ]
    assert [str(a) for p in people for a in p.affiliations.all()] == [
        "CTO at Acme",
        "Admiral at Acme",
    ]
    for person in people:  # each keeps the shared numbers and website: they are true of both
        assert person.contact_points.count() == 3


def test_a_colleague_behind_a_known_switchboard_is_a_new_person(network, owner):
    ada = make_person(network, "Ada Lovelace", phones=[SWITCHBOARD], urls=[WEBSITE])
    plan, summary = run(network, owner, colleague("Grace Hopper", "Admiral", 1))
    assert [(c.action, c.matched_by) for c in plan.contacts] == [("new", "")]
    grace = Person.objects.get(pk=summary.created[0])
    assert grace.notes == "Grace Hopper runs the admiral desk."
    assert [str(a) for a in grace.affiliations.all()] == ["Admiral at Acme"]
    ada.refresh_from_db()
    assert (ada.notes, list(ada.affiliations.all())) == ("", [])


def test_the_same_name_and_a_shared_phone_match_an_existing_person(network, owner):
    ada = make_person(network, "Ada Lovelace", phones=[SWITCHBOARD])
    plan, summary = run(
        network, owner, card("ADA  Lovélace", phones=[(SWITCHBOARD, "")], headline="Countess")
    )
    [planned] = plan.contacts
    assert (planned.person_id, planned.action) == (ada.pk, "update")
    assert planned.matched_by == "same name and phone +442079460000"
    assert [str(m) for m in plan.merges] == [
        f"contacts.vcf:1: ADA Lovélace -> Ada Lovelace (p{ada.pk}): "
        "same name and phone +442079460000"
    ]
    assert summary.created == []
    ada.refresh_from_db()
    assert ada.headline == "Countess"


def test_a_shared_phone_matches_no_one_when_two_namesakes_hold_it(network, owner):
    make_person(network, "John Smith", phones=[SWITCHBOARD], emails=["john@one.example"])
    make_person(network, "John Smith", phones=[SWITCHBOARD], emails=["john@two.example"])
    plan, _ = run(network, owner, card("John Smith", phones=[(SWITCHBOARD, "")]))
    assert [c.action for c in plan.contacts] == ["new"]


def test_a_personal_email_matches_under_another_name(network, owner):
    """People change names; a personal address still says who they are."""
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    plan, _ = run(network, owner, card("Ada King", emails=[("ada@example.org", "")]))
    assert (plan.contacts[0].person_id, plan.contacts[0].matched_by) == (
        ada.pk,
        "same email ada@example.org",
    )


def test_a_role_mailbox_does_not_match_someone_else(network, owner):
    ada = make_person(network, "Ada Lovelace", emails=["info@acme.example"])
    plan, _ = run(network, owner, card("Grace Hopper", emails=[("Info@acme.example", "")]))
    assert [c.action for c in plan.contacts] == ["new"]
    plan, _ = run(network, owner, card("Ada Lovelace", emails=[("info@acme.example", "")]))
    assert (plan.contacts[0].person_id, plan.contacts[0].matched_by) == (
        ada.pk,
        "same name and email info@acme.example",
    )


def test_an_address_two_people_already_hold_is_shared(network, owner):
    make_person(network, "Ada Lovelace", emails=["engines@acme.example"])
    make_person(network, "Charles Babbage", emails=["engines@acme.example"])
    plan, _ = run(network, owner, card("Grace Hopper", emails=[("engines@acme.example", "")]))
    assert [c.action for c in plan.contacts] == ["new"]


def test_records_of_one_file_with_different_names_never_merge_even_with_the_same_email(
    network, owner
):
    plan, summary = run(
        network,
        owner,
        card("Ada Lovelace", emails=[("engines@acme.example", "")], notes="Met at PyCon", line=1),
        card("Grace Hopper", emails=[("engines@acme.example", "")], line=7),
        card("Ada Lovelace", emails=[("engines@acme.example", "")], line=13),
    )
    assert [(c.record.line, c.action) for c in plan.contacts] == [(1, "new"), (7, "new")]
    assert [str(m) for m in plan.merges] == [
        "contacts.vcf:13: Ada Lovelace -> Ada Lovelace (new, line 1): "
        "same name and email engines@acme.example"
    ]
    names = sorted(Person.objects.filter(pk__in=summary.created).values_list("full_name", "notes"))
    assert names == [("Ada Lovelace", "Met at PyCon"), ("Grace Hopper", "")]


def test_two_records_naming_one_known_person_differently_stay_apart(network, owner):
    """Both addresses are on Ada, but one file calls them two people: no merge."""
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org", "countess@example.org"])
    plan, _ = run(
        network,
        owner,
        card("Ada Lovelace", emails=[("ada@example.org", "")], line=1),
        card("Ada King", emails=[("countess@example.org", "")], line=5),
    )
    assert [(c.record.full_name, c.action, c.matched_by) for c in plan.contacts] == [
        ("Ada Lovelace", "unchanged", "same email ada@example.org"),
        ("Ada King", "new", ""),
    ]
    assert plan.contacts[0].person_id == ada.pk
    assert Person.objects.filter(full_name="Ada King").exists()


def test_merges_within_the_file_carry_their_reason(network, owner):
    plan, _ = run(
        network,
        owner,
        card("Ada Lovelace", urls=["linkedin.com/in/ada"], line=1),
        card("Ada Lovelace", urls=["https://uk.linkedin.com/in/Ada/"], line=4),
        card("Ada Lovelace", phones=[(SWITCHBOARD, "")], urls=["linkedin.com/in/ada"], line=8),
        card("Grace Hopper", organization="Navy", line=12),
        card("grace hopper", organization="NAVY", line=15),
    )
    assert [(m.record.line, m.into, m.reason) for m in plan.merges] == [
        (4, "Ada Lovelace (new, line 1)", "same linkedin https://www.linkedin.com/in/ada"),
        (8, "Ada Lovelace (new, line 1)", "same linkedin https://www.linkedin.com/in/ada"),
        (15, "Grace Hopper (new, line 12)", "same name at the same organization"),
    ]


# Merge reasons in the previews -----------------------------------------------------------

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nTEL:+44 20 7946 0000\r\n"
    "TITLE:CTO\r\nORG:Acme\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nTEL:+44 20 7946 0000\r\n"
    "EMAIL:grace@navy.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@navy.example\r\n"
    "NOTE:Wrote the first compiler\r\nEND:VCARD\r\n"
)


@pytest.fixture
def cards(tmp_path) -> Path:
    path = tmp_path / "contacts.vcf"
    path.write_text(CARDS)
    return path


def test_the_cli_preview_lists_every_merge_with_its_reason(kith, cards, network):
    ada = make_person(network, "Ada Lovelace", phones=[SWITCHBOARD])
    result = kith("import", "vcard", str(cards), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    merges = [line for line in lines if line.startswith("merge ")]
    assert merges == [
        f"merge {cards}:1: Ada Lovelace -> Ada Lovelace (p{ada.pk}): "
        "same name and phone +442079460000",
        f"merge {cards}:14: Grace Hopper -> Grace Hopper (new, line 8): "
        "same email grace@navy.example",
    ]
    data = json.loads(kith("import", "vcard", str(cards), "--dry-run", "--json").stdout)
    assert [(m["line"], m["into"], m["reason"]) for m in data["merges"]] == [
        (1, f"Ada Lovelace (p{ada.pk})", "same name and phone +442079460000"),
        (14, "Grace Hopper (new, line 8)", "same email grace@navy.example"),
    ]
    assert Person.objects.filter(full_name="Grace Hopper").count() == 0


# URLs compared as URLs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        # percent-encoded and raw are one profile
        (
            "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller%C2%AE",
            "https://www.linkedin.com/in/jürgen-müller®",
        ),
        ("www.linkedin.com/in/jürgen-müller®", "https://www.linkedin.com/in/jürgen-müller®"),
        # locale subdomains, http, trailing slash, case of host and handle
        (
            "http://DE.LinkedIn.com/in/J%C3%BCrgen-M%C3%BCller%C2%AE/",
            "https://www.linkedin.com/in/jürgen-müller®",
        ),
        ("https://uk.linkedin.com/in/ada/", "https://www.linkedin.com/in/ada"),
        ("http://github.com/Ada%2Dl", "https://github.com/ada-l"),
        # websites: host case, www., scheme and trailing slash aside; path kept as written
        ("http://WWW.Acme.example/About/", "https://acme.example/About"),
        ("https://acme.example/caf%C3%A9?q=%C3%A9t%C3%A9", "https://acme.example/café?q=été"),
        # escapes that would change how the URL splits stay escaped, upper-case
        ("https://acme.example/a%2fb%3fc%25", "https://acme.example/a%2Fb%3Fc%25"),
        # bytes that are not UTF-8 are kept as written
        ("https://acme.example/%ff", "https://acme.example/%FF"),
    ],
)
def test_one_key_for_every_way_of_writing_a_url(typed, key):
    assert normalize.url(typed)[1] == key


def test_a_profile_is_shown_decoded():
    shown, _, service = normalize.url("https://de.linkedin.com/in/ren%C3%A9e-o%E2%80%99brien/")
    assert (shown, service) == ("https://www.linkedin.com/in/renée-o\u2019brien", "linkedin")


def test_a_url_with_an_encoded_space_is_still_a_url():
    assert normalize.url("https://acme.example/a%20b")[1] == "https://acme.example/a%20b"
    with pytest.raises(InvalidInput):
        normalize.url("https://acme.example/a b")


def test_endorsements_find_a_connection_whose_url_each_file_writes_differently(network, owner):
    plan = plan_import(network, parse_linkedin(FILES))
    assert [(v.action, v.giver.record.full_name) for v in plan.values] == [  # type: ignore[union-attr]
        ("new", "Renée O\u2019Brien"),
        ("new", "Jürgen Müller®"),
    ]
    assert plan.skipped == []
    apply_plan(network, owner, plan)
    givers = ValueExchange.objects.order_by("occurred_on").values_list(
        "giver__full_name", flat=True
    )
    assert list(givers) == ["Renée O\u2019Brien", "Jürgen Müller®"]


def test_endorsements_of_a_later_export_find_connections_imported_before(network, owner, tmp_path):
    connections, endorsements = tmp_path / "connections", tmp_path / "endorsements"
    for folder, name in (
        (connections, "Connections.csv"),
        (endorsements, "Endorsement_Received_Info.csv"),
    ):
        folder.mkdir()
        shutil.copy(FILES / name, folder / name)
    apply_plan(network, owner, plan_import(network, parse_linkedin(connections)))
    jurgen = Person.objects.get(full_name="Jürgen Müller®")
    plan = plan_import(network, parse_linkedin(endorsements))
    assert [v.action for v in plan.values] == ["new", "new"]
    apply_plan(network, owner, plan)
    assert ValueExchange.objects.filter(giver=jurgen, description="Compilers").exists()


def test_search_finds_a_profile_however_its_url_is_written(network):
    jurgen = make_person(
        network, "Jürgen Müller", urls=["https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller%C2%AE"]
    )
    make_person(network, "Ada Lovelace", urls=["https://acme.example/team/ada"])
    for typed in (
        "de.linkedin.com/in/jürgen-müller®/",
        "https://www.linkedin.com/in/J%C3%BCrgen-M%C3%BCller%C2%AE",
    ):
        assert [hit.person for hit in search(network, typed).people] == [jurgen]
        assert resolve_person(network, typed) == jurgen


def test_the_migration_gives_stored_urls_their_new_keys(network, owner):
    """Keys stored before issue 11 (percent-encoded, www., http) become today's keys, so a
    re-import matches them; a person left with one key twice keeps one point."""
    import importlib

    from django.apps import apps

    from kithkin.models import ContactPoint

    migration = importlib.import_module("kithkin.migrations.0014_url_keys")
    jurgen = make_person(network, "Jürgen Müller")
    encoded = "https://www.linkedin.com/in/j%c3%bcrgen"
    for kind, value, key, primary in (
        ("social", encoded, encoded, True),
        ("url", "http://www.acme.example/", "http://www.acme.example", True),
        ("url", "https://acme.example", "https://acme.example", False),
    ):
        ContactPoint.objects.create(
            person=jurgen, kind=kind, value=value, normalized=key, is_primary=primary
        )
    migration.rekey(apps, None)
    assert sorted(jurgen.contact_points.values_list("kind", "value", "normalized")) == [
        ("social", "https://www.linkedin.com/in/jürgen", "https://www.linkedin.com/in/jürgen"),
        ("url", "http://www.acme.example/", "https://acme.example"),
    ]
    plan = plan_import(
        network,
        ParseResult(contacts=[card("J. Müller", urls=["linkedin.com/in/J%C3%BCrgen/"])]),
    )
    assert (plan.contacts[0].person_id, plan.contacts[0].action) == (jurgen.pk, "unchanged")


def test_two_records_of_one_person_in_a_file_lose_nothing(network, owner):
    """The same person twice in one file (same name, same email) becomes one person
    with everything either record says: what the second fills, and what it says
    differently, in the notes."""
    first = card(
        "Grace Hopper",
        emails=[("grace@navy.example", "")],
        headline="Rear Admiral",
        notes="Invented the first compiler.",
    )
    second = card(
        "Grace Hopper",
        line=9,
        emails=[("grace@navy.example", "")],
        headline="Computer scientist",
        location="Arlington",
        nickname="Amazing Grace",
        notes="Keeps a clock that runs backwards.",
    )
    run(network, owner, first, second)
    grace = Person.objects.get(network=network, full_name="Grace Hopper")
    assert (grace.headline, grace.location, grace.nickname) == (
        "Rear Admiral",
        "Arlington",
        "Amazing Grace",
    )
    assert grace.notes == (
        "Invented the first compiler.\n\nKeeps a clock that runs backwards.\n\n"
        "Also recorded with headline: Computer scientist."
    )
