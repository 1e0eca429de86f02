"""Every service write records exactly the change it made (kind, record, people, actor), in
its own transaction; a refused write records nothing; and the derived state the change
feeds is current right after it, as a recount of everyone from scratch would leave it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from kithkin import clock
from kithkin.errors import KithError
from kithkin.importers.apply import apply_plan
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ContactRecord, InteractionRecord, ParseResult, Participant
from kithkin.models import (
    Change,
    ContactPoint,
    InteractionTally,
    Network,
    Opportunity,
    Person,
    User,
)
from kithkin.services import (
    affiliations,
    changes,
    contact_points,
    derived_state,
    events,
    followups,
    interactions,
    ledger,
    memberships,
    mentorships,
    merge,
    message_templates,
    milestones,
    opportunities,
    opportunity_matches,
    organizations,
    people,
    people_bulk,
    sharing,
    trash,
    undo,
)
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.search_index import reindex_people
from tests import factories
from tests.conftest import TODAY
from tests.factories_events import make_event
from tests.factories_ledger import received
from tests.factories_opportunities import make_opportunity


@dataclass
class World:
    network: Network
    owner: User
    ada: Person
    grace: Person
    me: Person


Expected = list[tuple[str, int | None, list[int]]]  # kind, record_id, person_ids
Case = Callable[[World], tuple[Callable[[], Any], Callable[[Any], Expected]]]


def _noon() -> dt.datetime:
    return clock.now()


def _logged(w: World) -> Any:
    return factories.log(w.network, w.ada, on=TODAY - dt.timedelta(days=3))


def _follow_up(w: World) -> Any:
    return factories.make_follow_up(w.network, w.ada, due_on=TODAY)


CASES: dict[str, Case] = {
    "add a person": lambda w: (
        lambda: people.add_person(w.network, w.owner, people.NewPerson("Barbara Liskov")),
        lambda p: [("person.created", p.pk, [p.pk])],
    ),
    "edit a person": lambda w: (
        lambda: people.update_person(
            w.network, w.owner, w.ada, people.PersonChanges(notes="Likes engines", tags=["math"])
        ),
        lambda _: [("person.updated", w.ada.pk, [w.ada.pk])],
    ),
    "snooze a person": lambda w: (
        lambda: people.snooze_person(
            w.network, w.owner, w.ada, TODAY + dt.timedelta(days=9), today=TODAY
        ),
        lambda _: [("person.updated", w.ada.pk, [w.ada.pk])],
    ),
    "set a cadence": lambda w: (
        lambda: people.set_cadence(w.network, w.owner, w.ada, cadence_days=5),
        lambda _: [("person.updated", w.ada.pk, [w.ada.pk])],
    ),
    "archive a person": lambda w: (
        lambda: people.archive_person(w.network, w.owner, w.ada),
        lambda _: [("person.archived", w.ada.pk, [w.ada.pk])],
    ),
    "delete a person": lambda w: (
        lambda: people.delete_person(w.network, w.owner, w.grace),
        (lambda gone: lambda _: [("person.deleted", gone, [w.ada.pk, gone])])(w.grace.pk),
    ),
    "restore a person from the trash": lambda w: (
        lambda item: (
            lambda: trash.restore(w.network, w.owner, item),
            lambda _: [("trash.restored", item.record_id, item.person_ids)],
        )
    )(people.delete_person(w.network, w.owner, w.grace)),
    "merge two people": lambda w: (
        lambda: merge.merge_people(w.network, w.owner, w.ada, w.grace),
        (lambda gone: lambda _: [("person.merged", w.ada.pk, [w.ada.pk, gone])])(w.grace.pk),
    ),
    "dismiss a duplicate": lambda w: (
        lambda: merge.dismiss_duplicate(w.network, w.owner, w.ada, w.grace),
        lambda _: [("duplicate.dismissed", None, [w.ada.pk, w.grace.pk])],
    ),
    "add a contact point": lambda w: (
        lambda: contact_points.add_contact_point(
            w.network, w.owner, w.ada, kind="email", value="ada@work.example"
        ),
        lambda _: [("person.updated", w.ada.pk, [w.ada.pk])],
    ),
    "remove a contact point": lambda w: (
        lambda: contact_points.remove_contact_value(
            w.network, w.owner, w.grace, kind="email", value="grace@example.org"
        ),
        lambda _: [("person.updated", w.grace.pk, [w.grace.pk])],
    ),
    "add a job": lambda w: (
        lambda: affiliations.add_affiliation(
            w.network, w.owner, w.ada, organization="Analytical Engines"
        ),
        lambda _: [("person.updated", w.ada.pk, [w.ada.pk])],
    ),
    "tag many": lambda w: (
        lambda: people_bulk.add_tag(w.network, w.owner, [w.ada.pk, w.grace.pk], "speaker"),
        lambda _: [
            ("tag.added", _tag(w, "speaker"), [w.ada.pk, w.grace.pk]),
        ],
    ),
    "untag many": lambda w: (
        lambda: people_bulk.remove_tag(w.network, w.owner, [w.ada.pk, w.grace.pk], "navy"),
        lambda _: [("tag.removed", _tag(w, "navy"), [w.grace.pk])],
    ),
    "archive many": lambda w: (
        lambda: people_bulk.archive(w.network, w.owner, [w.ada.pk, w.grace.pk]),
        lambda _: [("person.archived", None, [w.ada.pk, w.grace.pk])],
    ),
    "set the circle of many": lambda w: (
        lambda: people_bulk.set_circle(w.network, w.owner, [w.ada.pk, w.grace.pk], "regular"),
        lambda _: [("person.updated", None, [w.ada.pk, w.grace.pk])],
    ),
    "change a circle's cadence": lambda w: (
        lambda: people.set_circle_cadence(
            w.network, w.owner, w.network.circles.get(name="close"), 10
        ),
        lambda _: [("circle.updated", w.network.circles.get(name="close").pk, [w.ada.pk])],
    ),
    "log an interaction": lambda w: (
        lambda: _logged(w),
        lambda i: [("interaction.logged", i.pk, [w.ada.pk])],
    ),
    "delete an interaction": lambda w: (
        (lambda i: lambda: interactions.delete_interaction(w.network, w.owner, i))(_logged(w)),
        lambda _: [("interaction.deleted", _last_deleted(), [w.ada.pk])],
    ),
    "add a follow-up": lambda w: (
        lambda: _follow_up(w),
        lambda f: [("follow_up.created", f.pk, [w.ada.pk])],
    ),
    "complete a follow-up": lambda w: (
        (lambda f: lambda: (f, followups.complete_follow_up(w.network, w.owner, f, today=TODAY)))(
            _follow_up(w)
        ),
        lambda done: [("follow_up.done", done[0].pk, [w.ada.pk])],
    ),
    "snooze a follow-up": lambda w: (
        (
            lambda f: (
                lambda: followups.snooze_follow_up(
                    w.network, w.owner, f, TODAY + dt.timedelta(days=2), today=TODAY
                )
            )
        )(_follow_up(w)),
        lambda f: [("follow_up.snoozed", f.pk, [w.ada.pk])],
    ),
    "edit a follow-up": lambda w: (
        (lambda f: lambda: followups.edit_follow_up(w.network, w.owner, f, title="Call back"))(
            _follow_up(w)
        ),
        lambda f: [("follow_up.updated", f.pk, [w.ada.pk])],
    ),
    "undo completing a follow-up": lambda w: (
        (lambda f: lambda: (f, _undo_last(w)))(_done_follow_up(w)),
        lambda done: [("follow_up.reopened", done[0].pk, [w.ada.pk])],
    ),
    "undo logging": lambda w: (
        (lambda i: lambda: (i, _undo_last(w)))(_logged(w)),
        lambda done: [("interaction.deleted", done[0].pk, [w.ada.pk])],
    ),
    "give value": lambda w: (
        lambda: ledger.give(w.network, w.owner, w.ada, "advice", today=TODAY),
        lambda e: [("value.recorded", e.pk, [w.ada.pk, w.me.pk])],
    ),
    "thank": lambda w: (
        (lambda _: lambda: ledger.thank(w.network, w.owner, w.ada, today=TODAY))(
            received(w.network, w.ada)
        ),
        lambda t: [
            ("interaction.logged", t.interaction.pk, [w.ada.pk]),
            ("value.thanked", t.interaction.pk, [w.ada.pk]),
        ],
    ),
    "record an opportunity": lambda w: (
        lambda: opportunities.add_opportunity(
            w.network, w.owner, opportunities.NewOpportunity("Staff role", source=w.grace)
        ),
        lambda o: [("opportunity.created", o.pk, [w.grace.pk])],
    ),
    "share an opportunity": lambda w: (
        (lambda o: lambda: opportunities.share_opportunity(w.network, w.owner, o, w.ada))(
            make_opportunity(w.network)
        ),
        lambda s: [
            ("interaction.logged", s.interaction_id, [w.ada.pk]),
            ("opportunity.shared", s.opportunity_id, [w.ada.pk]),
        ],
    ),
    "record a milestone": lambda w: (
        lambda: milestones.add_milestone(
            w.network, w.owner, person=w.ada, kind="promotion", on=(2026, 2, 1)
        ),
        lambda m: [("milestone.recorded", m.pk, [w.ada.pk])],
    ),
    "add an event": lambda w: (
        lambda: make_event(w.network),
        lambda e: [("event.created", e.pk, [])],
    ),
    "meet someone known at an event": lambda w: (
        (lambda e: lambda: events.meet_at_event(w.network, w.owner, e, person=w.ada))(
            make_event(w.network)
        ),
        lambda met: [
            ("person.updated", w.ada.pk, [w.ada.pk]),  # how we met
            ("event.attended", met.attendance.event_id, [w.ada.pk]),
            ("interaction.logged", met.interaction.pk, [w.ada.pk]),
            ("follow_up.created", met.follow_up.pk, [w.ada.pk]),
        ],
    ),
    "start a mentorship": lambda w: (
        lambda: mentorships.add_mentorship(
            w.network, w.owner, mentor=w.grace, started_on=TODAY, today=TODAY
        ),
        lambda m: [("mentorship.created", m.pk, [w.grace.pk, w.me.pk])],
    ),
    "join an organization": lambda w: (
        lambda: memberships.join_organization(w.network, w.owner, "Society of Engines"),
        lambda j: [("membership.joined", j.membership.pk, [w.me.pk])],
    ),
    "rename an organization": lambda w: (
        (
            lambda o: (
                lambda: organizations.rename_organization(w.network, w.owner, o, "Navy Research")
            )
        )(Person.objects.get(pk=w.grace.pk).affiliations.get().organization),
        lambda o: [("organization.updated", o.pk, [w.grace.pk])],
    ),
    "save a template": lambda w: (
        lambda: message_templates.save_template(
            w.network, w.owner, "thank-you", "Thanks", "Thank you, {first_name}!"
        ),
        lambda t: [("message_template.saved", t.pk, [])],
    ),
    "invite": lambda w: (
        lambda: sharing.invite(w.network, w.owner, role="viewer"),
        lambda i: [("invitation.created", i[0].pk, [])],
    ),
    "import": lambda w: (
        lambda: apply_plan(w.network, w.owner, _import_plan(w)),
        lambda s: [("import.applied", None, sorted({w.ada.pk, *s.created}))],
    ),
}


def _tag(w: World, name: str) -> int:
    return w.network.tags.get(name=name).pk


def _last_deleted() -> int | None:
    return Change.objects.filter(kind="interaction.deleted").latest("pk").record_id


def _done_follow_up(w: World) -> Any:
    follow_up = _follow_up(w)
    followups.complete_follow_up(w.network, w.owner, follow_up, today=TODAY)
    return follow_up


def _undo_last(w: World) -> Any:
    from kithkin import access

    return undo.undo(w.network, w.owner, access.last_undoable_action(w.owner, w.network))


def _import_plan(w: World) -> Any:
    records = [
        ContactRecord(source="vcard", path="cards.vcf", line=1, full_name="Katherine Johnson"),
    ]
    talk = InteractionRecord(
        source="email",
        path="mail.mbox",
        line=1,
        external_id="<1@example.org>",
        kind="email",
        occurred_at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC),
        direction="inbound",
        summary="Engines",
        participants=[Participant(email="ada@example.org")],
    )
    return plan_import(w.network, ParseResult(contacts=records, interactions=[talk]))


@pytest.fixture
def world(network, owner) -> World:
    ada = factories.make_person(
        network, "Ada Lovelace", emails=["ada@example.org"], circle="close", tags=["math"]
    )
    grace = factories.make_person(
        network,
        "Grace Hopper",
        emails=["grace@example.org"],
        organization="US Navy",
        tags=["navy"],
    )
    factories.log(network, [ada, grace], on=TODAY - dt.timedelta(days=20))
    # Someone matches it: Worth sharing's stored matches are derived state too.
    make_opportunity(network, "Mathematics for the Navy", kind="client", tags=["math", "navy"])
    me = Person.objects.get(network=network, is_self=True)
    return World(network, owner, ada, grace, me)


def _derived(network: Network) -> dict[int, tuple[object, ...]]:
    """Every person's derived values, and their interaction tally."""
    tallies = {
        row[0]: row[1:]
        for row in InteractionTally.objects.filter(person__network=network).values_list(
            "person_id", *InteractionTally.FIELDS
        )
    }
    return {
        pk: (*values, tallies.get(pk))
        for pk, *values in Person.objects.filter(network=network).values_list(
            "pk", "last_interaction_at", "check_in_due_on", "search_text", "updated_at"
        )
    }


def _matches(network: Network) -> dict[int, object]:
    """Every opportunity's stored matches (services.opportunity_matches)."""
    return dict(Opportunity.objects.filter(network=network).values_list("pk", "agenda_matches"))


@pytest.mark.parametrize("name", list(CASES))
def test_each_write_records_its_change_and_keeps_derived_state_current(world, name):
    act, expected = CASES[name](world)
    before = Change.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = act()
    recorded = list(Change.objects.filter(pk__gt=before).order_by("pk"))
    assert [(c.kind, c.record_id, c.person_ids) for c in recorded] == [
        (kind, record_id, sorted(ids)) for kind, record_id, ids in expected(result)
    ]
    assert all(c.actor_id == world.owner.pk and c.network_id == world.network.pk for c in recorded)
    assert all(c.kind in changes.KINDS for c in recorded)
    # Right after the write, as a recount of everyone from scratch leaves it.
    current = _derived(world.network)
    matches = _matches(world.network)
    refresh_check_ins(world.network)
    reindex_people(world.network)
    assert _derived(world.network) == current
    opportunity_matches.refresh(world.network)
    assert _matches(world.network) == matches


def test_a_change_says_which_fields_changed_and_no_text(world):
    people.update_person(
        world.network, world.owner, world.ada, people.PersonChanges(notes="Secret plans")
    )
    change = Change.objects.latest("pk")
    assert change.data == {"fields": ["notes"]}
    factories.log(world.network, world.ada, on=TODAY, summary="Private matters")
    logged = Change.objects.latest("pk")
    assert logged.data == {"kind": "call", "direction": "mutual", "source": "manual"}


REFUSED: dict[str, Callable[[World], object]] = {
    "a nameless person": lambda w: people.add_person(w.network, w.owner, people.NewPerson(" ")),
    "an edit with a bad circle": lambda w: people.update_person(
        w.network, w.owner, w.ada, people.PersonChanges(notes="x", circle="nowhere")
    ),
    "an interaction with nobody": lambda w: interactions.log_interaction(
        w.network, w.owner, kind="call", people=[], occurred_at=_noon()
    ),
    "a follow-up without a title": lambda w: followups.add_follow_up(
        w.network, w.owner, people=[w.ada], title=" ", due_on=TODAY
    ),
    "a duplicate contact point": lambda w: contact_points.add_contact_point(
        w.network, w.owner, w.ada, kind="email", value="ADA@example.org"
    ),
    "thanks for nothing": lambda w: ledger.thank(w.network, w.owner, w.ada, today=TODAY),
    "a viewer adding someone": lambda w: people.add_person(
        w.network, factories.make_member(w.network, "vera", role="viewer"), people.NewPerson("X")
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_refused_write_records_nothing(world, name):
    in_network = Change.objects.filter(network=world.network)
    before = in_network.count()
    with pytest.raises(KithError):
        REFUSED[name](world)
    assert in_network.count() == before


def test_a_write_that_fails_after_recording_leaves_no_change_and_no_derived_state(
    world, monkeypatch
):
    """The change and the refresh are in the service's transaction: both roll back."""
    due = Person.objects.get(pk=world.ada.pk).check_in_due_on

    def explode(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(interactions, "_answer_earlier_questions", explode)
    before = Change.objects.count()
    with pytest.raises(RuntimeError):
        factories.log(world.network, world.ada, on=TODAY)
    assert Change.objects.count() == before
    assert Person.objects.get(pk=world.ada.pk).check_in_due_on == due


def test_changes_collected_refresh_once_for_all_and_nothing_when_the_block_fails(
    world, monkeypatch
):
    applied: list[derived_state.Touched] = []
    real_apply = derived_state.apply
    monkeypatch.setattr(derived_state, "apply", lambda found: applied.append(found))
    with changes.collected():
        changes.record(world.network, "interaction.deleted", person_ids=[world.ada.pk])
        changes.record(world.network, "tag.added", person_ids=[world.grace.pk])
    assert len(applied) == 1
    assert applied[0].check_ins == {world.ada.pk} and applied[0].search == {world.grace.pk}
    applied.clear()

    def fail_in_block() -> None:
        with changes.collected():
            changes.record(world.network, "interaction.deleted", person_ids=[world.ada.pk])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_in_block()
    assert applied == []
    monkeypatch.setattr(derived_state, "apply", real_apply)


def test_every_kind_that_feeds_derived_state_is_in_the_catalogue():
    assert set(derived_state._FEEDS) <= set(changes.KINDS)
    assert set(derived_state._FIELD_FEEDS) <= set(changes.KINDS)
    assert all("." in kind and kind == kind.lower() for kind in changes.KINDS)


def test_an_import_records_one_change_for_everyone(world):
    plan = plan_import(
        world.network,
        ParseResult(
            contacts=[
                ContactRecord(source="vcard", path="a.vcf", line=n, full_name=f"Person {n}")
                for n in range(1, 30)
            ]
        ),
    )
    before = Change.objects.count()
    summary = apply_plan(world.network, world.owner, plan)
    change = Change.objects.latest("pk")
    assert Change.objects.count() == before + 1
    assert change.kind == "import.applied" and change.person_ids == sorted(summary.created)
    assert change.data["created"] == 29


def test_searching_right_after_a_contact_point_is_added_finds_it(world):
    from kithkin.queries.search import search

    contact_points.add_contact_point(
        world.network, world.owner, world.ada, kind="phone", value="+33 6 12 34 56 78"
    )
    assert ContactPoint.objects.filter(person=world.ada).count() == 2
    found = search(world.network, "33612345678")
    assert world.ada.pk in [hit.person.pk for hit in found.people]


@pytest.mark.parametrize(
    ("kind", "fields", "fed"),
    [
        ("person.updated", ["notes"], {derived_state.SEARCH}),
        (
            "person.updated",
            ["circle", "snoozed_until"],
            {derived_state.CADENCE, derived_state.MATCHES},  # a match names the circle
        ),
        ("person.updated", ["snoozed_until"], {derived_state.CADENCE}),
        ("opportunity.shared", [], {derived_state.OPPORTUNITY}),
        ("opportunity_share.updated", [], set()),
        ("person.updated", ["pronouns", "birthday_day"], set()),
        ("person.updated", ["tags"], {derived_state.SEARCH, derived_state.STAMP}),
        ("interaction.logged", [], {derived_state.ADDED, derived_state.STRENGTH}),
        ("interaction.updated", ["questions_answered_at"], set()),
        (
            "interaction.updated",
            ["occurred_at"],
            {derived_state.CHECK_INS, derived_state.STRENGTH},
        ),
        ("network.updated", ["strength_weights"], {derived_state.WEIGHTS}),
        ("value.recorded", [], {derived_state.STRENGTH}),
        ("value.thanked", [], set()),
        ("person.archived", [], {derived_state.CADENCE, derived_state.PAIRS}),
        ("organization.updated", ["website"], set()),
        ("organization.updated", ["name"], {derived_state.SEARCH, derived_state.STAMP}),
        ("follow_up.done", [], set()),
    ],
)
def test_what_a_change_feeds_is_decided_by_its_kind_and_fields(kind, fields, fed):
    assert derived_state.feeds(kind, {"fields": fields}) == fed
