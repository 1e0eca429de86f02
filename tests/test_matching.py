"""Matching: who would most want an opportunity, in what order, and why — on a small network
built by hand so every score can be worked out on paper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.models import Person, Tag
from kithkin.queries.matching import STRONG_MATCH, keywords, match_people, strong
from kithkin.services.affiliations import add_affiliation
from kithkin.services.people import archive_person
from tests.factories import make_person, owner_of
from tests.factories_opportunities import make_opportunity, make_share

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(network):
    owner = owner_of(network)
    grace = make_person(
        network,
        "Grace Hopper",
        organization="Navy",
        title="Staff Engineer",
        tags=["rust", "compilers"],
        circle="close",
        what_matters="Two kids\nWants to move into compilers",
    )
    ada = make_person(
        network,
        "Ada Lovelace",
        organization="Analytical Engines",
        title="CTO",
        tags=["rust"],
        circle="regular",
    )
    linus = make_person(network, "Linus Torvalds", what_matters="Loves compilers; sailing")
    bob = make_person(network, "Bob Babbage", organization="Babbage", title="CTO", tags=["rust"])
    carol = make_person(network, "Carol Former")
    add_affiliation(
        network,
        owner,
        carol,
        organization="Babbage",
        title="Analyst",
        start_on=dt.date(2019, 1, 1),
        end_on=dt.date(2022, 1, 1),
    )
    sam = make_person(network, "Sam Source", tags=["rust", "compilers"])
    archie = make_person(network, "Archie Archived", tags=["rust", "compilers"])
    archive_person(network, owner, archie)
    make_person(network, "Pat Python", tags=["python"], what_matters="Gardening")
    me = Person.objects.get(network=network, is_self=True)
    me.tags.add(Tag.objects.get(network=network, name="rust"))
    return {"grace": grace, "ada": ada, "linus": linus, "bob": bob, "carol": carol, "sam": sam}


@pytest.fixture
def job(network, people):
    return make_opportunity(
        network,
        "Staff engineer at Babbage",
        organization="Babbage",
        tags=["rust", "compilers"],
        source=people["sam"],
    )


def ranked(matches):
    return [(m.person.full_name, m.score, m.reasons) for m in matches]


def test_people_rank_by_tags_title_what_matters_then_circle(network, job):
    assert ranked(match_people(network, job)) == [
        (
            "Grace Hopper",
            11.5,  # two tags (6) + two title words (3) + what matters (2) + close circle (0.5)
            [
                "tags: compilers, rust",
                "title: Staff Engineer",
                "what matters: 'Wants to move into compilers'",
                "close circle",
            ],
        ),
        ("Ada Lovelace", 3.3, ["tags: rust", "regular circle"]),
        ("Linus Torvalds", 2.0, ["what matters: 'Loves compilers'"]),
        # A job at Babbage is the least likely to tempt someone already there.
        ("Bob Babbage", 1.0, ["tags: rust", "already at Babbage"]),
        ("Carol Former", 1.0, ["used to work at Babbage"]),
    ]


def test_never_me_the_archived_the_source_or_someone_unrelated(network, job):
    names = {m.person.full_name for m in match_people(network, job)}
    assert not names & {"Sam Source", "Archie Archived", "Pat Python", "Olive Owner"}


def test_at_the_organization_helps_for_anything_but_a_job_there(network, people):
    client = make_opportunity(
        network, "Platform rebuild", kind="client", organization="Babbage", tags=["rust"]
    )
    by_name = {m.person.full_name: m for m in match_people(network, client)}
    assert by_name["Bob Babbage"].score == 4.5
    assert by_name["Bob Babbage"].reasons == ["tags: rust", "works at Babbage"]


def test_people_already_shared_with_come_last_and_say_so(network, people, job):
    make_share(network, job, people["grace"])
    matches = match_people(network, job)
    assert [m.person.full_name for m in matches][-1] == "Grace Hopper"
    assert matches[-1].already_shared
    assert matches[-1].reasons[-1] == "already shared on 20 Feb"
    assert [m.person.full_name for m in strong(matches)] == ["Ada Lovelace"]


def test_the_limit_counts_people_not_yet_shared_with(network, people, job):
    make_share(network, job, people["linus"])
    matches = match_people(network, job, limit=2)
    assert [(m.person.full_name, m.already_shared) for m in matches] == [
        ("Grace Hopper", False),
        ("Ada Lovelace", False),
        ("Linus Torvalds", True),
    ]


def test_keywords_drop_the_organization_and_stop_words_and_fold_plurals(network, people, job):
    assert keywords(job, ["rust", "compilers"]) == ["staff", "engineer", "rust", "compiler"]


def test_strong_means_at_least_one_tag_in_common(network, job):
    assert STRONG_MATCH == 3.0
    assert [m.person.full_name for m in strong(match_people(network, job))] == [
        "Grace Hopper",
        "Ada Lovelace",
    ]


def test_another_networks_opportunity_matches_no_one(network, outsider, job):
    from tests.factories import network_of

    assert match_people(network_of(outsider), job) == []


def test_matching_runs_a_bounded_number_of_queries(network, people, job):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            match_people(network, job)
        return len(captured)

    few = count()
    for i in range(15):
        make_person(
            network,
            f"Rustacean {i}",
            tags=["rust"],
            organization=f"Org {i}",
            title="Staff Engineer",
            what_matters="compilers",
        )
    assert count() == few


def test_full_text_candidates_are_the_newest_naming_the_keywords_up_to_the_cap(
    network, outsider, people
):
    from kithkin.queries.matching import naming
    from tests.factories import network_of

    newer = [make_person(network, f"Compiler Fan {i}", what_matters="compilers") for i in range(3)]
    make_person(network_of(outsider), "Elsewhere", what_matters="compilers")
    # newest first, at most the cap: the database stops there, unranked
    assert naming(network, ["compiler"], 2) == [newer[2].pk, newer[1].pk]
    everyone = naming(network, ["compiler", "sailing"], 100)
    # grace (what matters), linus, the three fans and sam (his tag); never the archived
    # person, *me* or another network's
    assert set(everyone) == {p.pk for p in newer} | {
        people["grace"].pk,
        people["linus"].pk,
        people["sam"].pk,
    }
    assert everyone == sorted(everyone, reverse=True)
    # those naming every keyword, which matching reads first
    assert naming(network, ["compiler", "sailing"], 100, every=True) == [people["linus"].pk]


def test_full_text_candidates_are_read_in_index_order_without_a_sort(network):
    """The cap is what keeps matching sublinear: the database must walk the full-text
    matches in id order and stop, not rank or sort every document naming a keyword."""
    from kithkin import fulltext
    from kithkin.queries.matching import NAMING_SQLITE

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"EXPLAIN SELECT p.id FROM kithkin_person p WHERE p.{fulltext.SEARCH_VECTOR}"
                " @@ to_tsquery('simple', 'rust:*') AND p.network_id = %s ORDER BY p.id DESC"
                " LIMIT 10",
                [network.pk],
            )
            assert "Limit" in " ".join(str(row) for row in cursor.fetchall())
            return
        cursor.execute(
            "EXPLAIN QUERY PLAN " + NAMING_SQLITE,
            [fulltext.sqlite_match_any("rust compilers"), network.pk, 10],
        )
        plan = " ".join(str(row[3]) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan
    assert "TEMP B-TREE" not in plan, plan
