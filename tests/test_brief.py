"""The prep brief: what to remember before meeting someone, on one screen."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import Affiliation, Event, Milestone, Organization, Person, ValueExchange
from kithkin.queries.brief import prep_brief
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person
from tests.factories_drafts import me_of, met_at, relate

pytestmark = pytest.mark.django_db


def join(network, person, name, *, end_on=None):
    organization, _ = Organization.objects.get_or_create(network=network, name=name)
    return Affiliation.objects.create(
        person=person, organization=organization, kind="membership", end_on=end_on
    )


@pytest.fixture
def ada(network):
    grace = make_person(network, "Grace Hopper")
    ada = make_person(
        network,
        "Ada Lovelace",
        organization="Analytical Engines",
        title="CTO",
        location="London",
        circle="close",
        tags=["rust", "mentor-candidate", "speaker", "zeta"],
        what_matters="Her compiler project\nand more",
        how_we_met="PyCon 2024",
        introduced_by=grace,
    )
    Person.objects.filter(pk=ada.pk).update(birthday_month=3, birthday_day=14, birthday_year=1986)
    me = me_of(network)
    # Talked four times; noted questions twice, one of them asked since.
    log(network, ada, on=dt.date(2025, 12, 1), summary="First", next_questions="Old question")
    log(network, ada, on=dt.date(2026, 1, 5), summary="Second", learned="Moving to Lyon")
    log(network, ada, on=dt.date(2026, 1, 10), summary="Third", next_questions="How is Lyon?")
    log(network, ada, on=dt.date(2026, 1, 12), kind="note", summary="Fourth", learned="Vegan")
    make_follow_up(network, ada, "Send the paper", due_on=dt.date(2026, 2, 18))
    # We both belong to the ACM; I worked at Analytical Engines long ago (still shared).
    join(network, ada, "ACM")
    join(network, me, "ACM")
    join(network, me, "Analytical Engines", end_on=dt.date(2020, 1, 1))
    join(network, ada, "PSF")  # hers only
    met_at(network, ada, "PyCon 2025", on=dt.date(2025, 5, 14))
    met_at(network, ada, "Maybe Conf", on=dt.date(2026, 4, 1), status=Event.Status.INTERESTED)
    # People we both know.
    alan = make_person(network, "Alan Turing")
    relate(network, alan, ada, "colleague")
    relate(network, me, alan, "friend")
    relate(network, make_person(network, "Only Hers"), ada, "friend")
    linus = make_person(network, "Linus Student", introduced_by=ada)
    assert linus.introduced_by == ada
    Milestone.objects.create(
        network=network, person=ada, kind="promotion", title="VP", year=2026, month=3, day=1
    )
    Milestone.objects.create(
        network=network, person=ada, kind="launch", year=2026, month=6, day=1
    )  # too far
    Milestone.objects.create(
        network=network, person=ada, kind="work-anniversary", month=2, day=25, recurs_yearly=True
    )
    ValueExchange.objects.create(
        network=network, giver=me, receiver=ada, kind="advice", occurred_on=TODAY
    )
    ValueExchange.objects.create(
        network=network, giver=ada, receiver=me, kind="referral", occurred_on=TODAY
    )
    ValueExchange.objects.create(
        network=network, giver=me, receiver=ada, kind="introduction", occurred_on=TODAY
    )
    return ada


def test_the_brief_says_what_to_remember(network, ada):
    brief = prep_brief(network, ada, TODAY)
    assert brief.roles == ["CTO at Analytical Engines"]  # jobs, not memberships
    assert (brief.circle, list(brief.tags), brief.tags.more) == (
        "close",
        ["mentor-candidate", "rust", "speaker"],
        1,
    )
    assert brief.introduced_by.full_name == "Grace Hopper"
    assert [(c.summary, c.learned) for c in brief.conversations] == [
        ("Fourth", "Vegan"),
        ("Third", ""),
        ("Second", "Moving to Lyon"),
    ]
    assert brief.interaction_count == 4
    # "Old question" was asked in a later call; "How is Lyon?" is still to ask.
    assert [q.text for q in brief.questions] == ["How is Lyon?"]
    assert [f.title for f in brief.follow_ups] == ["Send the paper"]
    assert [(u.title, u.days) for u in brief.upcoming] == [
        ("Work anniversary", 5),
        ("Promotion: VP", 9),
        ("Birthday (turns 40)", 22),
    ]
    assert [o.name for o in brief.organizations] == ["ACM", "Analytical Engines"]
    assert [e.name for e in brief.events] == ["PyCon 2025"]
    assert [(c.person.full_name, c.why) for c in brief.connections] == [
        ("Alan Turing", "their colleague, your friend"),
        ("Grace Hopper", "introduced you two"),
        ("Linus Student", "introduced to you by them"),
    ]
    assert (brief.balance.given, brief.balance.received) == (4, 2)  # weights, as everywhere
    assert brief.balance.sentence == "You gave 4, they gave 2: you have given more."


def test_a_new_contact_has_a_short_brief(network):
    brief = prep_brief(network, make_person(network, "Grace Hopper"), TODAY)
    assert not any(
        [
            brief.roles,
            brief.tags,
            brief.conversations,
            brief.questions,
            brief.follow_ups,
            brief.upcoming,
            brief.organizations,
            brief.events,
            brief.connections,
            brief.balance,
        ]
    )


def test_long_lists_show_three_and_count_the_rest(network):
    grace = make_person(network, "Grace Hopper")
    for i in range(5):
        make_follow_up(network, grace, f"Promise {i}", due_on=TODAY)
        log(network, grace, on=dt.date(2026, 1, 1 + i), next_questions=f"Q{i}")
    brief = prep_brief(network, grace, TODAY)
    assert [f.title for f in brief.follow_ups] == ["Promise 0", "Promise 1", "Promise 2"]
    assert brief.follow_ups.more == 2
    # Each later call asked the questions of the one before; only the last ones are open.
    assert [q.text for q in brief.questions] == ["Q4"]


def test_a_birthday_on_29_february_comes_on_the_28th(network):
    leap = make_person(network, "Leap Day")
    Person.objects.filter(pk=leap.pk).update(birthday_month=2, birthday_day=29)
    brief = prep_brief(network, leap, TODAY)
    assert [(u.on, u.title) for u in brief.upcoming] == [(dt.date(2026, 2, 28), "Birthday")]


def test_the_brief_takes_a_fixed_number_of_queries(network, ada, django_assert_max_num_queries):
    ada = Person.objects.get(pk=ada.pk)
    with django_assert_max_num_queries(16):
        prep_brief(network, ada, TODAY)


def test_someone_elses_person_has_no_brief(network, outsider):
    from kithkin.errors import NotFound
    from tests.factories import network_of

    with pytest.raises(NotFound):
        prep_brief(network, make_person(network_of(outsider), "Stranger"), TODAY)


def test_kith_brief(owner, network, ada):
    result = CliRunner().invoke(app, ["brief", "Ada"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "Ada Lovelace · CTO at Analytical Engines · London · close · "
        "#mentor-candidate · #rust · #speaker · +1",
        "What matters: Her compiler project",
        "How we met: PyCon 2024; introduced by Grace Hopper",
    ]
    for line in [
        "Last time (3 of 4)",
        "  12 Jan note: Fourth",
        "    learned: Vegan",
        "  • How is Lyon? (noted 10 Jan)",
        f"  f{ada.follow_ups.get().pk} Send the paper · due 18 Feb (late)",
        "  14 Mar Birthday (turns 40) (in 22 days)",
        "  Organizations: ACM, Analytical Engines",
        "  Events: PyCon 2025",
        "  Alan Turing: their colleague, your friend",
        "Value: You gave 4, they gave 2: you have given more.",
    ]:
        assert line in result.stdout.splitlines(), line
    assert "Old question" not in result.stdout


def test_kith_brief_json(owner, network, ada):
    result = CliRunner().invoke(app, ["brief", "Ada", "--json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["person"] == {"id": ada.pk, "name": "Ada Lovelace"}
    assert data["tags"] == {"items": ["mentor-candidate", "rust", "speaker"], "more": 1}
    assert data["questions"]["items"] == [{"noted_on": "2026-01-10", "text": "How is Lyon?"}]
    assert data["introduced_by"]["name"] == "Grace Hopper"
    assert data["value"] == {
        "given": 4,
        "received": 2,
        "balance": -2,
        "sentence": "You gave 4, they gave 2: you have given more.",
    }
    assert data["upcoming"]["items"][0] == {
        "on": "2026-02-25",
        "title": "Work anniversary",
        "days": 5,
    }
    assert data["connections"]["more"] == 0


def test_a_new_contacts_brief_is_one_line(owner, network):
    make_person(network, "Grace Hopper")
    result = CliRunner().invoke(app, ["brief", "Grace"], catch_exceptions=False)
    assert result.stdout == "Grace Hopper\n"


def test_the_queries_do_not_grow_with_the_history(network, ada):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            prep_brief(network, Person.objects.get(pk=ada.pk), TODAY)
        return len(captured)

    before = count()
    me = me_of(network)
    for i in range(8):
        other = make_person(network, f"Friend {i}")
        relate(network, other, ada)
        relate(network, me, other, "friend")
        log(network, ada, on=dt.date(2026, 2, 1 + i), next_questions=f"Q{i}", learned="x")
        make_follow_up(network, ada, f"Promise {i}", due_on=TODAY)
        met_at(network, ada, f"Meetup {i}", on=dt.date(2025, 1, 1 + i))
        join(network, ada, f"Guild {i}")
        join(network, me, f"Guild {i}")
    assert count() == before
