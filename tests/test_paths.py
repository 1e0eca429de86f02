"""Warm-intro paths on hand-built networks: which paths, in which order, and why.

The first hop's weight is the member's relationship strength (``strength.scores``), which
another part of the product computes: these tests set it by hand (``known``), so they
hold whatever its formula."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.errors import InvalidInput, NotFound
from kithkin.queries import strength
from kithkin.queries.paths import Target, member_of, paths_to, resolve_target
from kithkin.services.ledger import introduce
from tests.conftest import TODAY
from tests.factories import log, make_person
from tests.factories_drafts import relate
from tests.factories_milestones import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(monkeypatch):
    """Set who each user knows and how well: {user: {person: strength}}."""
    table: dict = {}

    def scores(network, user, person_ids):
        mine = table.get(user.pk, {})
        return {p.pk: s for p, s in mine.items() if p.pk in set(person_ids)}

    monkeypatch.setattr(strength, "scores", scores)

    class Known:
        def __call__(self, user, people: dict) -> None:
            table[user.pk] = people

    return Known()


def chains(search) -> list[list[str]]:
    return [[hop.person.name for hop in path.hops] for path in search.paths]


def test_the_stronger_first_hop_comes_first(network, owner, known):
    ada, bob, charles = (make_person(network, n) for n in ("Ada", "Bob", "Charles"))
    relate(network, ada, charles, "colleague")
    relate(network, bob, charles, "colleague")
    known(owner, {ada: 80, bob: 40})

    search = paths_to(network, owner, Target(person=charles))

    assert chains(search) == [["Ada", "Charles"], ["Bob", "Charles"]]
    first = search.paths[0]
    assert first.hops[0].reasons == ["you know Ada (strength 80)"]
    assert first.hops[1].reasons == ["Ada and Charles are colleagues"]
    assert first.percent == 48  # 0.8 x 0.6


def test_a_stronger_tie_beats_a_stronger_acquaintance(network, owner, known):
    ada, bob, charles = (make_person(network, n) for n in ("Ada", "Bob", "Charles"))
    relate(network, ada, charles, "other")  # 0.4
    relate(network, bob, charles, "family")  # 0.9
    known(owner, {ada: 70, bob: 50})  # 0.28 against 0.45

    assert chains(paths_to(network, owner, Target(person=charles))) == [
        ["Bob", "Charles"],
        ["Ada", "Charles"],
    ]


def test_someone_i_know_is_a_path_of_one_hop_first(network, owner, known):
    ada, charles = make_person(network, "Ada"), make_person(network, "Charles")
    relate(network, ada, charles, "friend")
    known(owner, {charles: 60, ada: 90})

    search = paths_to(network, owner, Target(person=charles))

    assert chains(search) == [["Ada", "Charles"], ["Charles"]]  # 0.72 then 0.6


def test_three_hops_and_no_more(network, owner, known):
    ada, bob, carol, dan = (make_person(network, n) for n in ("Ada", "Bob", "Carol", "Dan"))
    relate(network, ada, bob, "friend")
    relate(network, bob, carol, "friend")
    relate(network, carol, dan, "friend")
    known(owner, {ada: 100})

    assert chains(paths_to(network, owner, Target(person=carol))) == [["Ada", "Bob", "Carol"]]
    assert chains(paths_to(network, owner, Target(person=dan))) == []  # four hops away


def test_each_kind_of_tie_explains_itself(network, owner, known):
    ada, bob, carol, dan, eve, target = (
        make_person(network, n) for n in ("Ada", "Bob", "Carol", "Dan", "Eve", "Tess")
    )
    log(network, [ada, target], on=dt.date(2025, 5, 3), kind="meeting")
    log(network, [ada, target], on=dt.date(2025, 3, 3), kind="meeting")
    make_job(network, bob, start_on=dt.date(2019, 1, 1), end_on=dt.date(2021, 6, 30))
    make_job(network, target, start_on=dt.date(2018, 1, 1), end_on=dt.date(2023, 1, 1))
    introduce(network, owner, carol, target, on=dt.date(2025, 11, 2), today=TODAY)
    relate(network, dan, target, "manager")
    relate(network, target, eve, "mentor")
    known(owner, {ada: 50, bob: 50, carol: 50, dan: 50, eve: 50})

    reasons = {
        path.through.name: path.hops[1].reasons
        for path in paths_to(network, owner, Target(person=target)).paths
    }

    assert reasons["Ada"] == [
        "Ada and Tess were in your interactions together 2 times, last in May 2025"
    ]
    assert reasons["Bob"] == ["Bob and Tess both worked at Babbage & Co 2019-2021"]
    assert reasons["Carol"] == [
        "you introduced Carol and Tess to each other in November 2025",
        "Carol and Tess were in your interactions together once, in November 2025",
    ]
    assert reasons["Dan"] == ["Dan is Tess's manager"]
    assert reasons["Eve"] == ["Tess is Eve's mentor"]


def test_jobs_that_did_not_overlap_are_no_tie(network, owner, known):
    ada, tess = make_person(network, "Ada"), make_person(network, "Tess")
    make_job(network, ada, start_on=dt.date(2010, 1, 1), end_on=dt.date(2012, 1, 1))
    make_job(network, tess, start_on=dt.date(2015, 1, 1))
    known(owner, {ada: 90})

    assert paths_to(network, owner, Target(person=tess)).paths == []


def test_more_evidence_makes_a_stronger_hop(network, owner, known):
    ada, bob, tess = (make_person(network, n) for n in ("Ada", "Bob", "Tess"))
    relate(network, ada, tess, "colleague")
    relate(network, bob, tess, "colleague")
    log(network, [bob, tess], on=dt.date(2026, 1, 10), kind="meeting")
    known(owner, {ada: 60, bob: 60})

    search = paths_to(network, owner, Target(person=tess))

    assert chains(search) == [["Bob", "Tess"], ["Ada", "Tess"]]
    assert search.paths[0].hops[1].strength > search.paths[1].hops[1].strength == 60


def test_an_organization_is_reached_through_anyone_there_now(network, owner, known):
    ada, bob, carol, dan = (make_person(network, n) for n in ("Ada", "Bob", "Carol", "Dan"))
    make_job(network, carol, "Babbage & Co", start_on=dt.date(2020, 1, 1), title="CTO")
    make_job(network, dan, "Babbage & Co", start_on=dt.date(2015, 1, 1), end_on=dt.date(2018, 1, 1))
    relate(network, ada, carol, "friend")
    relate(network, bob, dan, "family")  # Dan left Babbage & Co: no path through him
    known(owner, {ada: 50, bob: 90})

    search = paths_to(network, owner, resolve_target(owner, network, "Babbage"))

    assert search.target.name == "Babbage & Co"
    assert chains(search) == [["Ada", "Carol"]]
    assert search.paths[0].there == "CTO at Babbage & Co"


def test_who_knows_an_organization_best_lists_each_person_once(network, owner, known):
    ada, carol, dan = (make_person(network, n) for n in ("Ada", "Carol", "Dan"))
    make_job(network, carol, "Babbage & Co", start_on=dt.date(2020, 1, 1))
    make_job(network, dan, "Babbage & Co", start_on=dt.date(2021, 1, 1))
    relate(network, ada, carol, "friend")
    relate(network, ada, dan, "colleague")
    known(owner, {ada: 50, dan: 30})

    search = paths_to(network, owner, resolve_target(owner, network, "Babbage & Co"))

    assert chains(search) == [["Ada", "Carol"], ["Dan"]]


def test_paths_from_another_member_use_what_they_know(network, owner, teammate, known):
    ada, bob, tess = (make_person(network, n) for n in ("Ada", "Bob", "Tess"))
    relate(network, ada, tess, "friend")
    relate(network, bob, tess, "friend")
    known(owner, {ada: 90})
    known(teammate, {bob: 70})

    mine = paths_to(network, owner, Target(person=tess))
    theirs = paths_to(
        network, owner, Target(person=tess), member=member_of(owner, network, "teammate")
    )

    assert chains(mine) == [["Ada", "Tess"]]
    assert chains(theirs) == [["Bob", "Tess"]]
    assert theirs.paths[0].hops[0].reasons == ["Teammate Member knows Bob (strength 70)"]


def test_a_viewer_may_search_and_an_outsider_may_not(network, owner, viewer, outsider, known):
    ada, tess = make_person(network, "Ada"), make_person(network, "Tess")
    relate(network, ada, tess, "friend")
    known(viewer, {ada: 50})

    assert chains(paths_to(network, viewer, Target(person=tess))) == [["Ada", "Tess"]]
    with pytest.raises(NotFound):
        paths_to(network, outsider, Target(person=tess))
    with pytest.raises(NotFound):
        member_of(owner, network, "outsider")  # not a member: no paths from them
    with pytest.raises(NotFound):
        resolve_target(outsider, network, "Tess")


def test_a_person_of_another_network_is_not_a_target(network, owner, outsider):
    theirs = make_person(outsider.current_network, "Tess", by=outsider)
    with pytest.raises(NotFound):
        paths_to(network, owner, Target(person=theirs))


def test_me_is_not_a_target_and_archived_people_are_no_hop(network, owner, known):
    from kithkin.queries.people import me_in
    from kithkin.services.people import archive_person

    ada, bob, tess = (make_person(network, n) for n in ("Ada", "Bob", "Tess"))
    relate(network, ada, tess, "friend")
    relate(network, bob, tess, "friend")
    archive_person(network, owner, bob)
    known(owner, {ada: 50, bob: 90})

    assert chains(paths_to(network, owner, Target(person=tess))) == [["Ada", "Tess"]]
    with pytest.raises(InvalidInput):
        paths_to(network, owner, Target(person=me_in(network)))


def test_a_first_hop_weighs_the_networks_strength_whichever_member_asks(network, owner, teammate):
    """Strength is the network's (one *me*: docs/strength.md), so a path from any member
    weighs its first hop by the same stored score."""
    ada = make_person(network, "Ada")
    log(network, ada, on=dt.date(2026, 2, 1))

    mine = strength.scores(network, owner, [ada.pk])
    assert set(mine) == {ada.pk} and mine[ada.pk] > 0
    assert strength.scores(network, teammate, [ada.pk]) == mine
