"""Organizations and my memberships: the services, `kith org|join|renew|leave`, and the
renewals on the agenda (frozen on Friday 20 February 2026, 09:00 in Paris)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.errors import Ambiguous, Forbidden, InvalidInput, NotFound
from kithkin.models import Affiliation, Network, Organization, Person
from kithkin.queries.agenda import agenda
from kithkin.queries.memberships import renewals_due, resolve_organization
from kithkin.services.affiliations import add_affiliation
from kithkin.services.memberships import (
    join_organization,
    leave_organization,
    renew_membership,
    set_renewal_notice,
)
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_memberships import make_membership, make_organization

pytestmark = pytest.mark.django_db


def my_memberships(network):
    return Affiliation.objects.filter(
        person__network=network, person__is_self=True, kind="membership"
    ).order_by("pk")


# Services


def test_joining_a_new_organization_adds_it_as_an_association(network, owner):
    joined = join_organization(
        network, owner, "IEEE Computer Society", renews_on=dt.date(2027, 3, 1)
    )
    assert joined.new_organization and joined.new_membership
    organization = Organization.objects.get(network=network)
    assert (organization.name, organization.kind) == ("IEEE Computer Society", "association")
    membership = my_memberships(network).get()
    assert membership.person.is_self
    assert (membership.title, membership.start_on, membership.renews_on, membership.end_on) == (
        "member",
        TODAY,
        dt.date(2027, 3, 1),
        None,
    )


def test_joining_again_updates_my_membership_instead_of_adding_one(network, owner):
    school = make_organization(network, "Open Source Collective", kind="community")
    make_membership(network, school, renews_on=dt.date(2026, 6, 1))
    joined = join_organization(network, owner, "open source collective", role="Board member")
    assert not joined.new_membership and not joined.new_organization
    membership = my_memberships(network).get()
    assert (membership.title, membership.start_on, membership.renews_on) == (
        "Board member",
        dt.date(2024, 3, 1),
        dt.date(2026, 6, 1),
    )
    assert Organization.objects.get(network=network).kind == "community"


def test_joining_checks_what_it_is_given(network, owner, viewer, outsider):
    with pytest.raises(InvalidInput, match="renews_on: 2024-01-01 is before the membership"):
        join_organization(network, owner, "Guild", renews_on=dt.date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="organization: must not be empty"):
        join_organization(network, owner, "   ")
    with pytest.raises(InvalidInput, match="role: must not be empty"):
        join_organization(network, owner, "Guild", role=" ")
    with pytest.raises(Forbidden):
        join_organization(network, viewer, "Guild")
    theirs = make_organization(outsider.current_network, "Their Guild", by=outsider)
    with pytest.raises(NotFound):
        join_organization(network, owner, theirs)
    assert not my_memberships(network).exists()
    assert not Organization.objects.filter(network=network).exists()


def test_a_renewal_moves_the_renewal_date(network, owner):
    membership = make_membership(network, renews_on=dt.date(2026, 3, 1))
    renew_membership(network, owner, membership.organization, until=dt.date(2027, 3, 1))
    membership.refresh_from_db()
    assert membership.renews_on == dt.date(2027, 3, 1)
    with pytest.raises(InvalidInput, match="until: 2026-02-20 is not after today"):
        renew_membership(network, owner, membership.organization, until=TODAY)
    other = make_organization(network, "Guild of Data Engineers")
    with pytest.raises(InvalidInput, match="I am not a member of Guild of Data Engineers"):
        renew_membership(network, owner, other, until=dt.date(2027, 1, 1))


def test_leaving_ends_my_membership_today_and_keeps_it(network, owner):
    membership = make_membership(network, renews_on=dt.date(2026, 3, 1))
    leave_organization(network, owner, membership.organization)
    membership.refresh_from_db()
    assert membership.end_on == TODAY
    with pytest.raises(InvalidInput, match="I am not a member"):
        leave_organization(network, owner, membership.organization)
    # A past membership is not renewed and never on the agenda.
    assert renewals_due(network, TODAY).items == []


def test_the_renewal_notice_is_between_0_and_365_days(network, owner, viewer):
    set_renewal_notice(network, owner, 45)
    assert Network.objects.get(pk=network.pk).renewal_notice_days == 45
    for bad in (-1, 366):
        with pytest.raises(InvalidInput, match=f"days: {bad} is not between 0 and 365"):
            set_renewal_notice(network, owner, bad)
    with pytest.raises(Forbidden):
        set_renewal_notice(network, viewer, 10)
    assert Network.objects.get(pk=network.pk).renewal_notice_days == 45


def test_organizations_resolve_by_id_name_and_prefix(network, owner, outsider):
    guild = make_organization(network, "Guild of Data Engineers")
    make_organization(network, "Guild of Designers")
    assert resolve_organization(owner, network, f"#{guild.pk}") == guild
    assert resolve_organization(owner, network, "guild of data engineers") == guild
    assert resolve_organization(owner, network, "guild data") == guild
    with pytest.raises(Ambiguous) as ambiguous:
        resolve_organization(owner, network, "guild")
    assert ambiguous.value.candidates == ["Guild of Data Engineers", "Guild of Designers"]
    with pytest.raises(NotFound) as missing:
        resolve_organization(owner, network, "Gild of Data Engineers")
    assert "Guild of Data Engineers" in missing.value.suggestions
    theirs = make_organization(outsider.current_network, "Theirs", by=outsider)
    with pytest.raises(NotFound):
        resolve_organization(owner, network, f"#{theirs.pk}")
    with pytest.raises(NotFound):  # not a member of the network: not even by name
        resolve_organization(outsider, network, "Guild of Data Engineers")


# The agenda


def test_renewals_show_within_the_notice_days_overdue_first(network, owner):
    make_membership(network, "Far Away Society", renews_on=dt.date(2026, 3, 23))  # 31 days
    make_membership(network, "Boundary Guild", renews_on=dt.date(2026, 3, 22))  # 30 days
    make_membership(network, "Soon Club", renews_on=dt.date(2026, 3, 4), role="Board member")
    make_membership(network, "Late Forum", renews_on=dt.date(2026, 2, 17))
    make_membership(network, "Today Circle", renews_on=TODAY)
    make_membership(network, "Open-ended Commons", renews_on=None)
    section = renewals_due(network, TODAY)
    assert section.key == "renewals"
    assert [(item.title, item.reason) for item in section.items] == [
        ("Renew my membership of Late Forum", "renewal overdue by 3 days"),
        ("Renew my membership of Today Circle", "renews today"),
        ("Renew my membership of Soon Club", "renews in 12 days (4 March)"),
        ("Renew my membership of Boundary Guild", "renews in 30 days (22 March)"),
    ]
    soon = section.items[2]
    assert soon.detail == "Board member since March 2024"
    assert soon.record_id == Organization.objects.get(name="Soon Club").pk
    assert section.total == 4
    # A contact's membership is theirs to renew, not mine.
    ada = make_person(network, "Ada Lovelace")
    add_affiliation(network, owner, ada, organization="Soon Club", kind="membership")
    assert renewals_due(network, TODAY).total == 4


def test_the_notice_days_move_the_boundary(network, owner):
    make_membership(network, "Boundary Guild", renews_on=dt.date(2026, 3, 22))
    set_renewal_notice(network, owner, 29)
    assert renewals_due(network, TODAY).items == []
    set_renewal_notice(network, owner, 0)
    make_membership(network, "Late Forum", renews_on=dt.date(2026, 2, 19))
    assert [item.reason for item in renewals_due(network, TODAY).items] == [
        "renewal overdue by 1 day"
    ]
    assert "within 0 days" in renewals_due(network, TODAY).note


def test_the_section_shows_the_first_ten_and_counts_them_all(network):
    for i in range(12):
        make_membership(network, f"Society {i:02}", renews_on=dt.date(2026, 3, 1 + i))
    section = renewals_due(network, TODAY)
    assert len(section.items) == 10 and section.total == 12
    assert section.items[0].title.endswith("Society 00")


def test_the_section_costs_two_queries(network, django_assert_num_queries):
    for i in range(5):
        make_membership(network, f"Society {i}", renews_on=dt.date(2026, 3, 1 + i))
    with django_assert_num_queries(2):
        renewals_due(network, TODAY)


def test_the_agenda_has_the_renewals_section(network):
    make_membership(network, renews_on=dt.date(2026, 3, 1))
    sections = {s.key: s for s in agenda(network, TODAY).sections}
    assert sections["renewals"].items[0].reason == "renews in 9 days (1 March)"


def test_today_is_the_local_date_where_it_differs_from_utc(kith, owner, network):
    """23:30 UTC on 20 February is already 21 February in Auckland."""
    owner.time_zone = "Pacific/Auckland"
    owner.save()
    network.time_zone = "Pacific/Auckland"
    network.save()
    make_membership(network, "Boundary Guild", renews_on=dt.date(2026, 3, 23))
    make_membership(network, "Tomorrow Forum", renews_on=dt.date(2026, 2, 21))
    with time_machine.travel(dt.datetime(2026, 2, 20, 23, 30, tzinfo=dt.UTC), tick=False):
        result = kith("today", "--json")
        sections = {s["key"]: s for s in json.loads(result.stdout)["sections"]}
        reasons = [item["reason"] for item in sections["renewals"]["items"]]
        assert reasons == ["renews today", "renews in 30 days (23 March)"]
        # By UTC's date the boundary guild would still be a day outside the notice.
        assert [i.reason for i in renewals_due(network, dt.date(2026, 2, 20)).items] == [
            "renews tomorrow (21 February)"
        ]


# The CLI


def test_kith_org_add_show_and_list(kith, network, owner):
    result = kith(
        "org",
        "add",
        "Guild of Data Engineers",
        "--kind",
        "association",
        "--website",
        "data-engineers-guild.example",
        "--tag",
        "data",
        "--note",
        "Monthly talks",
    )
    assert result.exit_code == 0, result.output
    guild = Organization.objects.get(network=network)
    assert (
        result.stdout == f"Added Guild of Data Engineers (o{guild.pk}), professional association.\n"
    )
    assert guild.website == "https://data-engineers-guild.example"
    assert list(guild.tags.values_list("name", flat=True)) == ["data"]
    ada = make_person(
        network, "Ada Lovelace", organization="Guild of Data Engineers", title="Treasurer"
    )
    grace = make_person(network, "Grace Hopper", organization="Acme")
    add_affiliation(
        network,
        owner,
        grace,
        organization="Guild of Data Engineers",
        title="Founder",
        start_on=dt.date(2015, 1, 1),
        end_on=dt.date(2020, 1, 1),
    )
    kith(
        "join",
        "Guild of Data Engineers",
        "--role",
        "Board member",
        "--renews",
        "2027-03-01",
        "--since",
        "2024-03-01",
    )

    shown = kith("org", "show", "guild")
    assert shown.exit_code == 0, shown.output
    assert "Guild of Data Engineers (professional association" in shown.stdout
    assert "My membership: Board member, since 2024-03-01, renews 2027-03-01" in shown.stdout
    assert "Ada Lovelace" in shown.stdout and "Treasurer" in shown.stdout
    assert "Grace Hopper" in shown.stdout and "until 2020-01-01" in shown.stdout

    data = json.loads(kith("org", "show", "guild", "--json").stdout)
    assert data["name"] == "Guild of Data Engineers" and data["kind"] == "association"
    assert data["tags"] == ["data"] and data["notes"] == "Monthly talks"
    assert [(p["name"], p["title"]) for p in data["people"]] == [("Ada Lovelace", "Treasurer")]
    assert [(p["name"], p["until"]) for p in data["past_people"]] == [
        ("Grace Hopper", "2020-01-01")
    ]
    assert data["membership"]["role"] == "Board member"
    assert data["membership"]["renews_on"] == "2027-03-01"
    assert data["people"][0]["id"] == ada.pk

    listed = kith("org", "list")
    assert "Guild of Data Engineers" in listed.stdout and "Acme" in listed.stdout
    rows = json.loads(kith("org", "list", "--json").stdout)
    assert {(r["name"], r["kind"], r["people_count"]) for r in rows} == {
        ("Guild of Data Engineers", "association", 1),
        ("Acme", "company", 1),
    }
    only = json.loads(kith("org", "list", "--kind", "association", "--json").stdout)
    assert [r["name"] for r in only] == ["Guild of Data Engineers"]
    assert kith("org", "list", "--kind", "school").stdout == "No organizations of kind school.\n"


def test_kith_org_errors_are_one_line(kith, network):
    make_organization(network, "Guild of Data Engineers")
    result = kith("org", "add", "guild of data engineers")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: NAME: Guild of Data Engineers is already an organization in Olive Owner's network\n"
    )
    result = kith("org", "add", "Acme", "--kind", "club")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --kind: 'club' is not one of")
    result = kith("org", "add", "Acme", "--website", "not a site")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --website:")
    result = kith("org", "show", "Nowhere")
    assert result.exit_code == 1 and result.stderr.startswith("Error: No organization called")
    result = kith("org", "list", "--kind", "club")
    assert result.exit_code == 2 and "kind: 'club' is not one of" in result.stderr


def test_kith_join_renew_and_leave(kith, network):
    result = kith("join", "IEEE Computer Society", "--renews", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Joined IEEE Computer Society (added IEEE Computer Society as a professional "
        "association): member, since 2026-02-20, renews 2026-03-01.\n"
    )
    today = kith("today")
    assert "Renew memberships (1)" in today.stdout
    assert "Renew my membership of IEEE Computer Society" in today.stdout
    assert "renews in 9 days (1 March)" in today.stdout

    result = kith("join", "ieee computer society", "--role", "Volunteer", "--json")
    data = json.loads(result.stdout)
    assert data["role"] == "Volunteer" and data["renews_on"] == "2026-03-01"
    assert data["new_membership"] is False and data["new_organization"] is False

    result = kith("renew", "IEEE", "--until", "+1y")
    assert result.stdout == "Renewed my membership of IEEE Computer Society until 2027-02-20.\n"
    assert "Renew memberships" not in kith("today").stdout

    result = kith("leave", "IEEE")
    assert result.stdout == "Left IEEE Computer Society on 2026-02-20.\n"
    membership = my_memberships(network).get()
    assert membership.end_on == TODAY and membership.title == "Volunteer"


def test_kith_join_by_id_and_errors(kith, network):
    guild = make_organization(network, "Guild of Data Engineers", kind="community")
    result = kith("join", f"#{guild.pk}", "--since", "2025-01-10")
    assert result.stdout == "Joined Guild of Data Engineers: member, since 2025-01-10.\n"
    result = kith("join", "Guild of Data Engineers", "--renews", "2024-01-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --renews: 2024-01-01 is before the membership started")
    result = kith("join", "Guild", "--renews", "someday")
    assert result.exit_code == 2 and result.stderr.startswith(
        "Error: --renews: 'someday' is not a date"
    )
    result = kith("join", "#99999")
    assert (
        result.exit_code == 1
        and result.stderr == "Error: No organization #99999 in " + network.name + ".\n"
    )
    result = kith("renew", "Guild of Data", "--until", "yesterday")
    assert result.exit_code == 2 and result.stderr.startswith(
        "Error: --until: 2026-02-19 is not after today"
    )
    make_organization(network, "Acme", kind="company")
    result = kith("renew", "Acme", "--until", "2027-01-01")
    assert result.exit_code == 2 and result.stderr == "Error: ORG: I am not a member of Acme\n"
    result = kith("leave", "Acme")
    assert result.exit_code == 2 and result.stderr == "Error: ORG: I am not a member of Acme\n"
    result = kith("renew", "Nowhere", "--until", "2027-01-01")
    assert result.exit_code == 1


def test_kith_org_notice(kith, network):
    assert kith("org", "notice").stdout == "Renewals show on the agenda 30 days ahead.\n"
    assert kith("org", "notice", "45d").stdout == "Renewals now show on the agenda 45 days ahead.\n"
    assert Network.objects.get(pk=network.pk).renewal_notice_days == 45
    result = kith("org", "notice", "400")
    assert result.exit_code == 2 and result.stderr == "Error: DAYS: 400 is not between 0 and 365\n"
    result = kith("org", "notice", "soon")
    assert result.exit_code == 2 and result.stderr.startswith("Error: DAYS: 'soon' is not a number")
    assert Network.objects.get(pk=network.pk).renewal_notice_days == 45


def test_a_viewer_may_not_join(network, viewer, settings):
    settings.CLI_USERNAME = "viewer"
    viewer.current_network = network
    viewer.save()
    result = CliRunner().invoke(app, ["join", "Guild"], catch_exceptions=False)
    assert result.exit_code == 3
    assert not Organization.objects.filter(network=network).exists()


# Social profiles


PROFILES = [
    ("https://twitter.com/Ada", "social", "x", "https://x.com/ada"),
    ("@ada@hachyderm.io", "social", "mastodon", "https://hachyderm.io/@ada"),
    ("github.com/ada", "social", "github", "https://github.com/ada"),
    (
        "bsky.app/profile/ada.bsky.social",
        "social",
        "bluesky",
        "https://bsky.app/profile/ada.bsky.social",
    ),
    (
        "https://www.linkedin.com/in/Augusta-King/",
        "social",
        "linkedin",
        "https://www.linkedin.com/in/augusta-king",
    ),
    ("https://augusta.example/", "url", "website", "https://augusta.example"),
]


def test_kith_add_stores_social_profiles_as_canonical_urls(kith, network):
    args = ["add", "Augusta King"]
    for raw, *_ in PROFILES:
        args += ["--url", raw]
    result = kith(*args)
    assert result.exit_code == 0, result.output
    person = Person.objects.get(full_name="Augusta King")
    stored = sorted(person.contact_points.values_list("kind", "service", "normalized"))
    assert stored == sorted((kind, service, key) for _, kind, service, key in PROFILES)
    shown = kith("show", "Augusta")
    for service in ("x", "mastodon", "github", "bluesky", "linkedin", "website"):
        assert service in shown.stdout
    assert "https://hachyderm.io/@ada" in shown.stdout


@pytest.mark.parametrize("query", ["ada", "@ada", "hachyderm", "bsky", "augusta.example"])
def test_kith_find_matches_social_handles(kith, network, query):
    make_person(network, "Augusta King", urls=[raw for raw, *_ in PROFILES])
    make_person(network, "Grace Hopper", urls=["https://x.com/grace"])
    hits = json.loads(kith("find", query, "--json").stdout)
    assert [hit["name"] for hit in hits["people"]] == ["Augusta King"]


# The demo


def test_the_demo_makes_me_a_member_with_a_renewal_on_today(network, owner):
    from kithkin.demo import generate_network

    generate_network(network, owner, people=120, interactions=300, seed=7, today=TODAY)
    memberships = list(my_memberships(network).select_related("organization"))
    assert 2 <= len(memberships) <= 3
    assert {m.organization.kind for m in memberships} <= {"association", "community"}
    assert all(m.start_on < TODAY and m.end_on is None for m in memberships)
    section = renewals_due(network, TODAY)
    assert len(section.items) == 1
    assert section.items[0].reason.startswith("renews in ")


def test_kith_edit_adds_profiles_as_canonical_urls(kith, network):
    augusta = make_person(network, "Augusta King", circle="regular")
    result = kith(
        "edit", "Augusta", "--url", "https://twitter.com/Ada", "--url", "@ada@hachyderm.io"
    )
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == "Added x https://x.com/ada.\nAdded mastodon https://hachyderm.io/@ada.\n"
    )
    assert sorted(augusta.contact_points.values_list("service", "normalized")) == [
        ("mastodon", "https://hachyderm.io/@ada"),
        ("x", "https://x.com/ada"),
    ]
    assert [
        h["name"] for h in json.loads(kith("find", "hachyderm", "--json").stdout)["people"]
    ] == ["Augusta King"]
    # All or nothing, and the error names the option.
    result = kith("edit", "Augusta", "--url", "github.com/ada", "--url", "not a site")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --url: 'not a site'")
    result = kith("edit", "Augusta", "--url", "x.com/ADA")
    assert result.exit_code == 2 and "already has https://x.com/ada" in result.stderr
    assert augusta.contact_points.count() == 2
    # With a circle too, both happen.
    result = kith("edit", "Augusta", "--url", "github.com/ada", "--circle", "close")
    assert result.stdout.splitlines()[0] == "Added github https://github.com/ada."
    assert "Augusta King: close" in result.stdout
