"""Opportunities: recording, sharing, outcomes; `kith opp` and `kith share`; the agenda's
"worth sharing" section; the who-you-know report."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.errors import Forbidden, InvalidInput
from kithkin.models import Interaction, Opportunity, OpportunityShare, Person
from kithkin.queries.agenda import agenda
from kithkin.queries.dashboard import report
from kithkin.queries.opportunities import opportunities_to_share, person_panel
from kithkin.services.opportunities import (
    NewOpportunity,
    add_opportunity,
    set_share_outcome,
    set_status,
    share_opportunity,
)
from tests.conftest import TODAY
from tests.factories import make_person, network_of
from tests.factories_opportunities import make_compiler_engineer, make_opportunity, make_share

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(network):
    return make_compiler_engineer(network)


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace", emails=["ada@example.org"])


# --- services ------------------------------------------------------------------------------


def test_adding_an_opportunity_keeps_what_was_said(network, owner, ada):
    item = add_opportunity(
        network,
        owner,
        NewOpportunity(
            title="  Staff engineer   at Babbage ",
            kind="Job",
            organization="Babbage",
            tags=["rust", "#compilers", "Rust"],
            url="https://babbage.example/jobs/1",
            deadline=dt.date(2026, 3, 1),
            source=ada,
            description="Compiler team",
        ),
    )
    assert item.title == "Staff engineer at Babbage"
    assert item.kind == "job" and item.status == "open" and not item.for_me
    assert item.organization.name == "Babbage"
    assert sorted(item.tags.values_list("name", flat=True)) == ["compilers", "rust"]
    assert item.source == ada


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": " "}, "title", "must not be empty"),
        ({"kind": "gig"}, "kind", "'gig' is not one of: job, client"),
        (
            {"url": "javascript:alert(1)"},
            "url",
            "is not a web address (http, https or mailto only)",
        ),
        ({"tags": [" "]}, "tag", "must not be empty"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(network, owner, changes, field, message):
    with pytest.raises(InvalidInput) as raised:
        add_opportunity(network, owner, NewOpportunity(**{"title": "A job", **changes}))
    assert raised.value.field == field
    assert message in raised.value.message
    assert not Opportunity.objects.exists()


def test_i_did_not_bring_it_to_myself_and_outsiders_bring_nothing(network, owner, outsider):
    me = Person.objects.get(network=network, is_self=True)
    with pytest.raises(InvalidInput, match="from"):
        add_opportunity(network, owner, NewOpportunity(title="A job", source=me))
    stranger = make_person(network_of(outsider), "Stranger")
    with pytest.raises(InvalidInput, match="not in this network"):
        add_opportunity(network, owner, NewOpportunity(title="A job", source=stranger))


def test_viewers_may_not_add_share_or_change(network, viewer, grace):
    item = make_opportunity(network)
    with pytest.raises(Forbidden):
        add_opportunity(network, viewer, NewOpportunity(title="A job"))
    with pytest.raises(Forbidden):
        share_opportunity(network, viewer, item, grace)
    with pytest.raises(Forbidden):
        set_status(network, viewer, item, "won")


def test_sharing_logs_a_message_and_marks_the_opportunity_shared(network, owner, grace):
    item = make_opportunity(network)
    share = share_opportunity(network, owner, item, grace, note="Thought of you")
    item.refresh_from_db()
    assert item.status == "shared"
    assert share.outcome == "pending" and share.get_outcome_display() == "no answer yet"
    interaction = share.interaction
    assert interaction.kind == "message" and interaction.direction == "outbound"
    assert interaction.summary == "Shared: Staff engineer at Babbage"
    assert list(interaction.participants.all()) == [grace]
    grace.refresh_from_db()
    assert grace.last_interaction_at is not None  # it counts as keeping in touch


def test_sharing_twice_or_a_finished_one_is_refused(network, owner, grace, ada):
    item = make_opportunity(network)
    share_opportunity(network, owner, item, grace)
    with pytest.raises(InvalidInput, match="already shared with Grace Hopper on 2026-02-20"):
        share_opportunity(network, owner, item, grace)
    set_status(network, owner, item, "won")
    with pytest.raises(InvalidInput, match="is won; nothing left to share"):
        share_opportunity(network, owner, item, ada)
    assert OpportunityShare.objects.count() == 1
    assert Interaction.objects.count() == 1


def test_a_pursued_opportunity_stays_pursued_when_shared(network, owner, grace):
    item = make_opportunity(network, status="pursuing")
    share_opportunity(network, owner, item, grace)
    item.refresh_from_db()
    assert item.status == "pursuing"


def test_outcomes_and_statuses_are_checked(network, owner, grace):
    item = make_opportunity(network)
    share = make_share(network, item, grace)
    set_share_outcome(network, owner, share, "Applied")
    share.refresh_from_db()
    assert share.outcome == "applied"
    with pytest.raises(InvalidInput, match="outcome: 'maybe' is not one of"):
        set_share_outcome(network, owner, share, "maybe")
    with pytest.raises(InvalidInput, match="status: 'done' is not one of"):
        set_status(network, owner, item, "done")


# --- the agenda ----------------------------------------------------------------------------


def test_worth_sharing_lists_open_opportunities_with_a_strong_match(network, grace):
    soon = make_opportunity(
        network, "Staff engineer at Babbage", tags=["rust"], deadline=TODAY + dt.timedelta(days=9)
    )
    section = opportunities_to_share(network, TODAY)
    assert section.key == "opportunities" and section.title == "Worth sharing"
    [item] = section.items
    assert item.title == "Share Staff engineer at Babbage"
    assert item.reason == "deadline in 9 days (1 March)"
    assert item.record_id == soon.pk and item.on == dt.date(2026, 3, 1)
    assert [ref.name for ref in item.people] == ["Grace Hopper"]
    assert item.detail == "Grace Hopper (tags: rust; title: Staff Engineer; close circle)"
    assert item.draft_kind == "opportunity"


def test_worth_sharing_leaves_out_what_is_not(network, owner, grace, frozen_time):
    make_opportunity(network, "Mine", tags=["rust"], for_me=True)
    make_opportunity(network, "Past", tags=["rust"], deadline=TODAY - dt.timedelta(days=1))
    make_opportunity(network, "Won already", tags=["rust"], status="won")
    make_opportunity(network, "Nobody wants it", tags=["cobol"])
    told = make_opportunity(network, "Told", tags=["rust"])
    make_share(network, told, grace)
    assert opportunities_to_share(network, TODAY).items == []


def test_worth_sharing_says_how_old_and_caps_at_five(network, grace, frozen_time):
    frozen_time.move_to(dt.datetime(2026, 2, 17, 9, 0, tzinfo=dt.UTC))
    for i in range(7):
        make_opportunity(network, f"Rust role {i}", tags=["rust"])
    frozen_time.move_to(dt.datetime(2026, 2, 20, 8, 0, tzinfo=dt.UTC))
    section = opportunities_to_share(network, TODAY)
    assert len(section.items) == 5 and section.total == 6  # the six soonest are matched
    assert section.items[0].reason == "added 3 days ago"


def test_worth_sharing_is_on_today_and_costs_a_bounded_number_of_queries(network, grace):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            opportunities_to_share(network, TODAY)
        return len(captured)

    for i in range(10):
        make_opportunity(network, f"Rust role {i}", tags=["rust"])
    first = count()
    for i in range(10):
        make_opportunity(network, f"Rust role {i + 10}", tags=["rust"])
        make_person(network, f"Rustacean {i}", tags=["rust"], circle="close")
    assert count() == first
    keys = [section.key for section in agenda(network, TODAY).sections]
    assert "opportunities" in keys


# --- the report and the person panel -------------------------------------------------------


def test_the_report_counts_what_came_through_the_network(network, grace, ada):
    make_opportunity(network, "Job A", source=ada, status="won")
    make_opportunity(network, "Job B", source=ada, status="pursuing")
    make_opportunity(network, "Talk", kind="speaking", source=grace, status="won")
    make_opportunity(network, "Found it myself", status="lost")
    shared = make_opportunity(network, "To share", kind="client")
    make_share(network, shared, grace, outcome="applied")
    make_share(network, shared, ada, outcome="declined")
    result = report(network)
    assert (result.total.through_network, result.total.direct) == (3, 2)
    kinds = {s.label: (s.through_network, s.direct) for s in result.by_kind}
    assert kinds == {"job": (2, 1), "client": (0, 1), "speaking": (1, 0)}
    statuses = {s.label: (s.through_network, s.direct) for s in result.by_status}
    assert statuses["won"] == (2, 0) and statuses["lost"] == (0, 1)
    assert statuses["pursuing"] == (1, 0) and statuses["shared"] == (0, 1)
    assert [(s.person.name, s.brought, s.won) for s in result.top_sources] == [
        ("Ada Lovelace", 2, 1),
        ("Grace Hopper", 1, 1),
    ]
    assert result.shares == 2 and result.shares_taken_up == 1
    outcomes = {o.outcome: o.count for o in result.share_outcomes}
    assert outcomes["applied"] == 1 and outcomes["declined"] == 1 and outcomes["won"] == 0


def test_the_person_panel_shows_what_they_brought_and_what_they_were_told(network, grace, ada):
    assert person_panel(network, grace, TODAY) is None
    brought = make_opportunity(network, "Job A", source=grace)
    told = make_opportunity(network, "Job B", source=ada)
    make_share(network, told, grace)
    panel = person_panel(network, grace, TODAY)
    assert panel is not None
    assert panel.brought == [brought]
    assert [share.opportunity.title for share in panel.shared] == ["Job B"]


# --- the CLI -------------------------------------------------------------------------------


def test_kith_opp_add_match_share_and_outcome(kith, network, grace, ada):
    result = kith(
        "opp", "add", "Staff engineer at Babbage", "--org", "Babbage", "--tag", "rust",
        "--tag", "compilers", "--from", "Ada", "--deadline", "2026-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    item = Opportunity.objects.get()
    assert result.stdout == (
        f"Opportunity op{item.pk}: Staff engineer at Babbage (job, at Babbage, to share, "
        "from Ada Lovelace, deadline 2026-03-01).\n"
        f"`kith opp match op{item.pk}` shows who would want it.\n"
    )
    result = kith("opp", "match", str(item.pk))
    assert "Grace Hopper" in result.stdout and "tags: compilers, rust" in result.stdout
    assert "Ada Lovelace" not in result.stdout  # she brought it
    result = kith("share", str(item.pk), "Grace", "--note", "Thought of you")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Shared op{item.pk} Staff engineer at Babbage with Grace")
    result = kith("share", str(item.pk), "Grace", "--outcome", "applied")
    assert result.exit_code == 0, result.output
    assert OpportunityShare.objects.get().outcome == "applied"
    data = json.loads(kith("opp", "show", str(item.pk), "--json").stdout)
    assert data["status"] == "shared"
    assert data["source"] == {"id": ada.pk, "name": "Ada Lovelace"}
    assert data["tags"] == ["compilers", "rust"]
    [share] = data["shares"]
    assert share["person"]["name"] == "Grace Hopper" and share["outcome"] == "applied"
    assert share["note"] == "Thought of you" and share["shared_on"] == "2026-02-20"
    text = kith("opp", "show", str(item.pk)).stdout
    assert "Grace Hopper on 2026-02-20: applied · Thought of you" in text


def test_kith_opp_list_status_and_json(kith, network):
    job = make_opportunity(network, "Job", deadline=dt.date(2026, 3, 1))
    make_opportunity(network, "Closed one", status="closed")
    assert "Job" in kith("opp", "list").stdout
    assert "Closed one" not in kith("opp", "list").stdout
    assert "Closed one" in kith("opp", "list", "--all").stdout
    result = kith("opp", "status", str(job.pk), "pursuing")
    assert result.stdout == f"op{job.pk} Job is now pursuing.\n"
    rows = json.loads(kith("opp", "list", "--status", "pursuing", "--json").stdout)
    assert [(r["title"], r["status"], r["deadline"]) for r in rows] == [
        ("Job", "pursuing", "2026-03-01")
    ]


def test_kith_opp_match_json(kith, network, grace):
    item = make_opportunity(network, tags=["rust"])
    data = json.loads(kith("opp", "match", str(item.pk), "--json").stdout)
    assert data["opportunity"] == {"id": item.pk, "title": "Staff engineer at Babbage"}
    [match] = data["matches"]
    assert match["person"]["name"] == "Grace Hopper"
    assert match["reasons"][0] == "tags: rust" and match["already_shared"] is False


def test_kith_opp_report(kith, network, ada):
    make_opportunity(network, "Job A", source=ada, status="won")
    make_opportunity(network, "Mine", status="open")
    text = kith("opp", "report").stdout
    assert "2 opportunities: 1 came through your network, 1 did not." in text
    assert "Ada Lovelace: 1, 1 won" in text
    data = json.loads(kith("opp", "report", "--json").stdout)
    assert data["total"] == {"through_network": 1, "direct": 1, "total": 2}
    assert data["top_sources"][0]["person"]["name"] == "Ada Lovelace"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("opp", "add", "X", "--kind", "gig"), 2, "kind: 'gig' is not one of"),
        (("opp", "add", "X", "--deadline", "someday"), 2, "--deadline"),
        (("opp", "add", "X", "--from", "Nobody Known"), 1, "No one called 'Nobody Known'"),
        (("opp", "list", "--status", "done"), 2, "--status: 'done' is not one of"),
        (("opp", "show", "999"), 1, "No opportunity #999"),
        (("opp", "status", "{id}", "done"), 2, "status: 'done' is not one of"),
        (("share", "{id}", "Grace", "--outcome", "won"), 2, "--outcome: op"),
        (("share", "999", "Grace"), 1, "No opportunity #999"),
    ],
)
def test_kith_opp_errors_are_one_line_with_the_exit_code(kith, network, grace, args, code, message):
    item = make_opportunity(network)
    result = kith(*(arg.replace("{id}", str(item.pk)) for arg in args))
    assert result.exit_code == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_kith_share_twice_points_to_outcome(kith, network, grace):
    item = make_opportunity(network)
    kith("share", str(item.pk), "Grace")
    result = kith("share", str(item.pk), "Grace")
    assert result.exit_code == 2
    assert "already shared with Grace Hopper on 2026-02-20; --outcome records" in result.stderr


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_has_opportunities_worth_sharing_and_a_report(owner, network):
    from kithkin.demo import generate_network

    generate_network(network, owner, people=120, interactions=600, seed=3, today=TODAY)
    assert Opportunity.objects.filter(network=network).count() == 11
    section = opportunities_to_share(network, TODAY)
    assert section.items, "the demo's Today shows opportunities worth sharing"
    assert all(item.detail and item.people for item in section.items)
    result = report(network)
    assert result.total.through_network >= 5 and result.won.total >= 2
    assert result.shares >= 4 and result.shares_taken_up >= 2
    for share in OpportunityShare.objects.filter(opportunity__network=network):
        assert share.interaction.summary == f"Shared: {share.opportunity.title}"
        assert list(share.interaction.participants.all()) == [share.person]
