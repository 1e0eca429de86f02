"""Organizations themselves: one identity rule, edit, rename, merge (previewed), delete;
and `kith org edit|rename|merge|delete`."""

from __future__ import annotations

import json

import pytest
from django.db.models import ForeignObjectRel
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import Affiliation, Event, Opportunity, Organization, Person
from kithkin.queries.memberships import organization_key, organization_named
from kithkin.queries.search import search
from kithkin.services.affiliations import add_affiliation
from kithkin.services.organizations import (
    MERGED_LINKS,
    MERGED_RELATIONS,
    delete_organization,
    deletion_preview,
    edit_organization,
    merge_organizations,
    preview_organization_merge,
    rename_organization,
)
from tests.factories import make_person, network_of
from tests.factories_events import make_event
from tests.factories_memberships import make_membership, make_organization
from tests.factories_opportunities import make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def kith(owner):
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(
        app, list(args), input=input, catch_exceptions=False
    )


@pytest.fixture
def acm(network):
    return make_organization(network, "ACM", kind="association", tags=["computing"])


@pytest.fixture
def acm_twin(network, owner):
    """The same association recorded a second time, with people, a tag, an event, an
    opportunity and a website of its own."""
    twin = make_organization(
        network, "Assoc. for Computing Machinery", website="https://acm.org", tags=["research"]
    )
    ada = make_person(network, "Ada Lovelace")
    add_affiliation(network, owner, ada, organization=twin.name, title="Fellow", kind="membership")
    return twin


# One identity rule ---------------------------------------------------------------------


def test_organization_names_match_whatever_the_case_accents_and_spacing(network):
    societe = make_organization(network, "Société  Générale")
    assert societe.name == "Société Générale"
    assert organization_key("SOCIETE generale ") == organization_key(societe.name)
    assert organization_named(network, "societe   GENERALE") == societe
    assert organization_named(network, "Société") is None
    with pytest.raises(InvalidInput, match="Société Générale is already an organization"):
        make_organization(network, "societe generale")


def test_jobs_and_memberships_share_the_rule(network, owner):
    societe = make_organization(network, "Société Générale")
    ada = make_person(network, "Ada Lovelace", organization="societe generale", title="CFO")
    assert ada.affiliations.get().organization == societe
    assert make_membership(network, "SOCIÉTÉ GÉNÉRALE").organization == societe
    assert Organization.objects.filter(network=network).count() == 1


# Edit and rename -----------------------------------------------------------------------


def test_edit_changes_what_is_given_and_rename_reaches_search(network, owner, acm):
    ada = make_person(network, "Ada Lovelace", organization="ACM", title="President")
    edited = edit_organization(
        network, owner, acm, kind="company", website="acm.org", notes=" Hi ", tags=["cs"]
    )
    assert (edited.kind, edited.website, edited.notes) == ("company", "https://acm.org", "Hi")
    assert list(edited.tags.values_list("name", flat=True)) == ["cs"]
    rename_organization(network, owner, acm, "Association for Computing Machinery")
    assert Organization.objects.get(pk=acm.pk).name == "Association for Computing Machinery"
    assert [h.person.pk for h in search(network, "machinery").people] == [ada.pk]


def test_rename_refuses_another_organizations_name_but_not_a_new_case(network, owner, acm):
    make_organization(network, "IEEE")
    with pytest.raises(InvalidInput, match=r"IEEE is already an organization.*merge the two"):
        rename_organization(network, owner, acm, "ieee")
    assert rename_organization(network, owner, acm, "acm").name == "acm"
    with pytest.raises(InvalidInput, match="must not be empty"):
        rename_organization(network, owner, acm, "  ")
    with pytest.raises(InvalidInput, match="kind"):
        edit_organization(network, owner, acm, kind="guild")
    assert Organization.objects.get(pk=acm.pk).name == "acm"


def test_viewers_may_not_change_and_outsiders_do_not_find(network, owner, viewer, outsider, acm):
    with pytest.raises(Forbidden):
        rename_organization(network, viewer, acm, "X")
    with pytest.raises(Forbidden):
        delete_organization(network, viewer, acm)
    theirs = make_organization(network_of(outsider), "Theirs")
    with pytest.raises(NotFound):
        merge_organizations(network, owner, acm, theirs)
    with pytest.raises(NotFound):
        rename_organization(network, owner, theirs, "Mine now")


# Merge ----------------------------------------------------------------------------------


def test_merge_moves_every_link_and_keeps_a_tie_recorded_at_both_once(
    network, owner, acm, acm_twin
):
    ada = Person.objects.get(full_name="Ada Lovelace")
    add_affiliation(network, owner, ada, organization="ACM", kind="membership")  # no title
    grace = make_person(network, "Grace Hopper", organization="ACM", title="Member")
    alan = make_person(network, "Alan Turing", organization=acm_twin.name, title="Speaker")
    mine = make_membership(network, acm_twin, role="Member")
    event = make_event(network, "SIGPLAN day", organizer=acm_twin.name)
    job = make_opportunity(network, "Editor", organization=acm_twin.name)

    preview = preview_organization_merge(network, owner, acm, acm_twin)
    assert {a.person_id for a in preview.affiliations_moved} == {alan.pk, mine.person_id}
    assert [(t.person_id, k.person_id) for t, k in preview.affiliations_combined] == [
        (ada.pk, ada.pk)
    ]
    assert preview.tags_added == ["research"]
    assert [e.pk for e in preview.events_moved] == [event.pk]
    assert [o.pk for o in preview.opportunities_moved] == [job.pk]
    assert preview.fields_filled == {"website": "https://acm.org"}
    assert preview.people == 3
    assert Organization.objects.filter(pk=acm_twin.pk).exists()  # a preview writes nothing

    kept = merge_organizations(network, owner, acm, acm_twin)
    assert not Organization.objects.filter(pk=acm_twin.pk).exists()
    assert kept.website == "https://acm.org"
    assert sorted(kept.tags.values_list("name", flat=True)) == ["computing", "research"]
    at_acm = Affiliation.objects.filter(organization=kept)
    assert sorted((a.person.full_name, a.title) for a in at_acm) == sorted(
        [
            ("Ada Lovelace", "Fellow"),  # one tie, its blank title filled
            ("Grace Hopper", "Member"),
            ("Alan Turing", "Speaker"),
            (mine.person.full_name, "Member"),
        ]
    )
    assert Event.objects.get(pk=event.pk).organizer == kept
    assert Opportunity.objects.get(pk=job.pk).organization == kept
    assert [h.person.pk for h in search(network, "ACM Alan").people] == [alan.pk]
    assert grace.affiliations.get().organization == kept


def test_an_organization_is_not_merged_into_itself(network, owner, acm):
    with pytest.raises(InvalidInput, match="one organization already"):
        merge_organizations(network, owner, acm, acm)


def test_every_link_to_an_organization_is_one_the_merge_moves():
    links = {
        str(relation.field)
        for relation in Organization._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel) and not relation.related_model._meta.auto_created
    }
    assert links == MERGED_RELATIONS, "teach services.organizations.merge about the new link"
    many = {f.name for f in Organization._meta.many_to_many}
    assert many == MERGED_LINKS, "teach services.organizations.merge about the new link"


# Delete ---------------------------------------------------------------------------------


def test_delete_refuses_while_people_are_affiliated_unless_forced(network, owner, acm, acm_twin):
    event = make_event(network, "Turing day", organizer=acm_twin.name)
    preview = deletion_preview(network, owner, acm_twin)
    assert (preview.people, preview.events, preview.tags) == (["Ada Lovelace"], 1, ["research"])
    with pytest.raises(InvalidInput, match=r"1 person is affiliated with .*Ada Lovelace"):
        delete_organization(network, owner, acm_twin)
    assert Organization.objects.filter(pk=acm_twin.pk).exists()
    delete_organization(network, owner, acm_twin, force=True)
    assert not Organization.objects.filter(pk=acm_twin.pk).exists()
    assert not Affiliation.objects.filter(person__full_name="Ada Lovelace").exists()
    assert Event.objects.get(pk=event.pk).organizer is None
    delete_organization(network, owner, acm)  # no one there: no force needed
    assert not Organization.objects.filter(network=network).exists()


# The commands ---------------------------------------------------------------------------


def test_kith_org_edit_and_rename(kith, network, acm):
    result = kith(
        "org", "edit", "ACM", "--name", "A.C.M.", "--kind", "company", "--website", "acm.org"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Saved A.C.M. (was ACM) (o{acm.pk}), Company.\n"
    result = kith("org", "rename", f"#{acm.pk}", "ACM")
    assert result.stdout == f"Renamed A.C.M. to ACM (o{acm.pk}).\n"
    make_organization(network, "IEEE")
    result = kith("org", "rename", "ACM", "IEEE")
    assert result.exit_code == 2
    assert "Error: NEW: IEEE is already an organization" in result.stderr
    data = json.loads(kith("org", "edit", "ACM", "--no-tags", "--json").stdout)
    assert (data["name"], data["website"]) == ("ACM", "https://acm.org")
    assert not Organization.objects.get(pk=acm.pk).tags.exists()


def test_kith_org_merge_previews_with_dry_run_then_merges(kith, network, acm, acm_twin):
    result = kith("org", "merge", "ACM", "Assoc. for Computing Machinery", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Merge Assoc. for Computing Machinery (o{acm_twin.pk}) into ACM (o{acm.pk})"
    assert "  people moved: Ada Lovelace (Fellow)" in lines
    assert "Nothing changed (--dry-run)." in lines
    assert Organization.objects.filter(pk=acm_twin.pk).exists()
    result = kith("org", "merge", "ACM", "Assoc")  # no terminal, no --yes: a preview
    assert result.stdout.endswith("Nothing changed. Run again with --yes to merge.\n")
    assert Organization.objects.filter(pk=acm_twin.pk).exists()
    result = kith("org", "merge", "ACM", "Assoc", "--yes")
    assert result.stdout.endswith(f"Merged Assoc. for Computing Machinery into ACM (o{acm.pk}).\n")
    assert not Organization.objects.filter(pk=acm_twin.pk).exists()


def test_kith_org_delete_says_what_goes_and_needs_force(kith, network, acm, acm_twin):
    result = kith("org", "delete", "Assoc")
    assert result.exit_code == 1
    assert "Removes 1 affiliation:" in result.stdout
    assert "Ada Lovelace (Fellow)" in result.stdout
    assert "Pass --force" in result.stderr
    assert Organization.objects.filter(pk=acm_twin.pk).exists()
    result = kith("org", "delete", "Assoc", "--force")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("Deleted Assoc. for Computing Machinery.\n")
    result = kith("org", "delete", "ACM")
    assert "No one is affiliated with it." in result.stdout
    assert not Organization.objects.filter(network=network).exists()


def test_organizations_count_the_people_there_now_and_list_the_most_first(network, owner):
    """People there now: current ties only, each person once however many ties, the
    archived and me left out; organizations nobody is at now come last, by name."""
    import datetime as dt

    from kithkin.queries.memberships import list_organizations
    from kithkin.services.people import archive_person

    ada = make_person(network, "Ada Lovelace", organization="Acme")
    add_affiliation(network, owner, ada, organization="Acme", title="Second role")
    make_person(network, "Grace Hopper", organization="Acme")
    archive_person(network, owner, make_person(network, "Charles Babbage", organization="Acme"))
    alan = make_person(network, "Alan Turing")
    add_affiliation(
        network,
        owner,
        alan,
        organization="Acme",
        start_on=dt.date(2020, 1, 1),
        end_on=dt.date(2021, 1, 1),
    )
    add_affiliation(network, owner, alan, organization="Bletchley")
    make_membership(network, "Acme")  # me
    make_membership(network, "Guild")  # only me there
    make_organization(network, "Empty Co", kind="company")
    assert [(o.name, o.people_count) for o in list_organizations(network)] == [
        ("Acme", 2),
        ("Bletchley", 1),
        ("Empty Co", 0),
        ("Guild", 0),
    ]


def test_a_page_of_organizations_is_read_in_order_from_their_stored_counts(network, owner):
    """Counting every organization's people on each Organizations page grew with the
    network's ties: a page is read in order from the index of stored counts, unsorted."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from kithkin.queries.memberships import list_organizations
    from kithkin.services.query_planner import refresh_statistics

    make_person(network, "Ada Lovelace", organization="Acme")
    make_person(network, "Grace Hopper", organization="Navy")
    refresh_statistics()
    with CaptureQueriesContext(connection) as captured:
        assert len(list(list_organizations(network)[:200])) == 2
    sql = captured.captured_queries[-1]["sql"]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny tables, and statistics the rest of the suite moves: PostgreSQL may pick
            # any usable path by cost. What matters is that the index serves the order, so
            # every other way (a scan, a bitmap, a sort) is priced out.
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "organization_people" in plan, plan
    assert "affiliation" not in plan, plan  # no tie counted
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # read in order
