"""Adding people, validating what is typed, and resolving a typed name to one person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import ContactPoint, Organization, Person, Tag
from kithkin.queries.people import latest_interaction_ids, person_card, resolve_person
from kithkin.services.people import NewPerson, add_person
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db


def test_add_person_with_everything(network, owner):
    ada = add_person(
        network,
        owner,
        NewPerson(
            full_name="  Ada   Lovelace ",
            emails=["Ada@Example.org"],
            phones=["+44 20 7946 0958"],
            urls=["https://uk.linkedin.com/in/Ada-Lovelace/"],
            organization="Analytical Engines",
            title="CTO",
            circle="Close",
            tags=["mentor-candidate", "#compilers"],
        ),
    )
    assert ada.full_name == "Ada Lovelace"
    assert (ada.given_name, ada.family_name, ada.circle.name) == ("Ada", "Lovelace", "close")
    points = {(p.kind, p.normalized, p.is_primary) for p in ada.contact_points.all()}
    assert points == {
        ("email", "ada@example.org", True),
        ("phone", "+442079460958", True),
        ("social", "https://www.linkedin.com/in/ada-lovelace", True),
    }
    assert [str(a) for a in ada.affiliations.all()] == ["CTO at Analytical Engines"]
    assert sorted(ada.tags.values_list("name", flat=True)) == ["compilers", "mentor-candidate"]


def test_organizations_and_tags_are_reused_case_insensitively(network):
    make_person(network, "Ada Lovelace", organization="Analytical Engines", tags=["Python"])
    make_person(network, "Charles Babbage", organization="analytical engines", tags=["python"])
    assert Organization.objects.filter(network=network).count() == 1
    assert Tag.objects.filter(network=network).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"emails": ["ada@"]}, "email", "not a valid email address"),
        ({"phones": ["12345"]}, "phone", "not a phone number"),
        ({"urls": ["not a url"]}, "url", "not a web address"),
        ({"circle": "bestie"}, "circle", "'bestie' is not a circle; choose one of: close, regular"),
        ({"tags": [""]}, "tag", "must not be empty"),
        ({"full_name": "   "}, "name", "must not be empty"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(network, owner, fields, field, message):
    before = (Person.objects.count(), ContactPoint.objects.count(), Organization.objects.count())
    new = NewPerson(**{"full_name": "Ada Lovelace", "organization": "Analytical Engines", **fields})
    with pytest.raises(InvalidInput) as caught:
        add_person(network, owner, new)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert (
        Person.objects.count(),
        ContactPoint.objects.count(),
        Organization.objects.count(),
    ) == before


@pytest.fixture
def people(network):
    return {
        "ada": make_person(
            network,
            "Ada Lovelace",
            emails=["ada@example.org"],
            organization="Analytical Engines",
            title="CTO",
        ),
        "adam": make_person(network, "Adam Smith", organization="Wealth of Nations"),
        "grace": make_person(network, "Grace Hopper"),
        "zoe": make_person(network, "Zoë Ångström"),
    }


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Ada Lovelace", "ada"),
        ("ada lovelace", "ada"),
        ("love", "ada"),
        ("ada love", "ada"),
        ("ADA@example.org", "ada"),
        ("grace", "grace"),
        ("hopper", "grace"),
        ("zoe", "zoe"),
        ("Zoë Ångström", "zoe"),
        ("angstrom", "zoe"),
    ],
)
def test_resolve_a_typed_name(network, people, typed, who):
    assert resolve_person(network, typed) == people[who]


def test_an_exact_name_wins_over_prefixes(network, people):
    make_person(network, "Ada")
    assert resolve_person(network, "ada").full_name == "Ada"


def test_an_ambiguous_name_lists_the_candidates(network, people):
    with pytest.raises(Ambiguous) as caught:
        resolve_person(network, "ad")
    assert caught.value.candidates == [
        "Ada Lovelace (CTO at Analytical Engines)",
        "Adam Smith (Wealth of Nations)",
    ]


def test_an_unknown_name_suggests_the_closest(network, people):
    with pytest.raises(NotFound) as caught:
        resolve_person(network, "Grase Hoper")
    assert caught.value.suggestions[0] == "Grace Hopper"


def test_resolve_never_looks_into_another_network(network, people, outsider):
    from kithkin import access

    with pytest.raises(NotFound):
        resolve_person(access.current_network(outsider), "Ada Lovelace")


def test_me_resolves_to_the_self_person(network, people):
    assert resolve_person(network, "me").is_self


def test_person_card_shows_timeline_newest_first_and_open_follow_ups(network, people, owner):
    import datetime as dt

    ada, grace = people["ada"], people["grace"]
    log(network, ada, on=dt.date(2026, 1, 10), summary="Compilers", learned="She is hiring")
    log(network, [ada, grace], on=dt.date(2026, 2, 1), kind="meeting", summary="Lunch")
    make_follow_up(network, ada, "Send the paper", due_on=dt.date(2026, 2, 22))
    card = person_card(network, ada, TODAY)
    assert [(e.interaction.summary, e.others) for e in card.timeline] == [
        ("Lunch", ["Grace Hopper"]),
        ("Compilers", []),
    ]
    assert [f.title for f in card.open_follow_ups] == ["Send the paper"]
    assert card.check_in.reason == "no check-in cadence"


def test_the_timeline_reads_the_persons_interactions_first(network, owner):
    ada, grace = make_person(network, "Ada Lovelace"), make_person(network, "Grace Hopper")
    logged = [log(network, ada, on=dt.date(2026, 1, day)) for day in (3, 1, 2)]
    log(network, grace, on=dt.date(2026, 1, 5))
    assert latest_interaction_ids(network, ada, 2) == [logged[0].pk, logged[2].pk]

    with CaptureQueriesContext(connection) as captured:
        latest_interaction_ids(network, ada, 20)
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {captured[0]['sql']}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "interaction_when" not in plan  # never a walk through the network's interactions
    if connection.vendor == "postgresql":
        assert "CTE Scan on mine" in plan
    else:
        assert "SEARCH kithkin_interactionparticipant USING COVERING INDEX" in plan


@pytest.mark.parametrize("cap", [500, 1])  # through the index, and past its cap: every name
def test_names_resolve_the_same_through_the_index_or_not(network, monkeypatch, cap):
    from kithkin.queries import people as people_queries

    monkeypatch.setattr(people_queries, "NAME_CANDIDATES", cap)
    from kithkin.services.search_index import reindex_people

    ada = make_person(network, "Ada Lovelace")
    Person.objects.filter(pk=ada.pk).update(nickname="Countess")
    reindex_people(network, [ada.pk])
    make_person(network, "Adam Smith", notes="Ada's friend")
    assert resolve_person(network, "ada lovelace") == ada
    assert resolve_person(network, "countess") == ada
    assert resolve_person(network, "love") == ada
    with pytest.raises(Ambiguous):
        resolve_person(network, "ada")  # Ada Lovelace and Adam Smith by prefix
    with pytest.raises(NotFound) as missing:
        resolve_person(network, "Ada Lovelase")
    assert missing.value.suggestions == ["Ada Lovelace"]


def test_an_empty_name_names_no_one(network):
    make_person(network, "Ada Lovelace")  # no nickname: "" must not match it
    for text in ("", "   "):
        with pytest.raises(NotFound, match="give a name"):
            resolve_person(network, text)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("name", "person_listed"),
        ("recent", "person_recent"),
        ("added", "person_added"),
        ("strength", "person_strength"),
    ],
)
def test_people_sorted_by_last_talked_added_or_strength_are_read_in_order_from_an_index(
    network, sort, index
):
    """A page of People sorted by last talked, recently added or strength walks an index
    in order instead of sorting the whole network (by strength: the score stored on each
    person's row, 131 ms a page at 30,000 people when it was joined from their Strength
    row). PostgreSQL plans by table sizes, so there scans and sorts are turned off to
    check that the index serves the query. Five queries whatever the sort."""
    from django.db import transaction

    from kithkin.queries.people_list import PeopleFilter, people_page
    from kithkin.services.query_planner import refresh_statistics

    ada, grace = make_person(network, "Ada Lovelace"), make_person(network, "Grace Hopper")
    make_person(network, "Charles Babbage")  # never talked to: last
    log(network, ada, on=TODAY - dt.timedelta(days=9))
    log(network, grace, on=TODAY - dt.timedelta(days=2))
    refresh_statistics()
    with CaptureQueriesContext(connection) as captured:
        page = people_page(network, TODAY, PeopleFilter(sort=sort))
    names = [row.person.full_name for row in page.rows]
    if sort == "name":
        assert names == ["Ada Lovelace", "Charles Babbage", "Grace Hopper"]
    elif sort in ("recent", "strength"):  # the latest contact is the strongest here
        assert names == ["Grace Hopper", "Ada Lovelace", "Charles Babbage"]
    else:
        assert names == ["Charles Babbage", "Grace Hopper", "Ada Lovelace"]
    assert len(captured) == 5
    sql = next(q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"])
    assert "kithkin_strength" not in sql  # no join: the score is on the person's row
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert index in plan and "TEMP B-TREE" not in plan, plan
    if connection.vendor == "postgresql":
        assert "Sort" not in plan.replace("Sort Key", ""), plan


def test_the_tag_filter_finds_a_tag_by_the_rule_of_tag_identity(network):
    """'#cafe' finds people tagged 'Café': tags are one tag case, accents and spacing
    aside, in the filter as in the services."""
    from kithkin.queries.people_list import PeopleFilter, people_page

    make_person(network, "Ada Lovelace", tags=["Café"])
    make_person(network, "Grace Hopper", tags=["coffee"])
    for typed in ("#cafe", "CAFÉ", "café"):
        page = people_page(network, TODAY, PeopleFilter(tag=typed))
        assert [row.person.full_name for row in page.rows] == ["Ada Lovelace"], typed


def test_a_deep_page_by_name_reads_only_the_listed_peoples_index(network):
    """Page 300 of 90,000 people skipped 15,000 rows reading each one to leave out the
    archived and me; the page's ids now come from the index of listed people alone (no
    table row, no sort) and only the page's rows are loaded."""
    from django.db import transaction

    from kithkin.queries.people_list import PeopleFilter, people_page
    from kithkin.services.query_planner import refresh_statistics

    for name in ("Ada Lovelace", "Grace Hopper", "Charles Babbage", "Alan Turing"):
        make_person(network, name)
    refresh_statistics()
    with CaptureQueriesContext(connection) as captured:
        page = people_page(network, TODAY, PeopleFilter(), page=2, per_page=2)
    assert [row.person.full_name for row in page.rows] == ["Charles Babbage", "Grace Hopper"]
    sql = next(q["sql"] for q in captured.captured_queries if "OFFSET" in q["sql"])
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "person_listed" in plan and "TEMP B-TREE" not in plan, plan
    if connection.vendor == "sqlite":
        assert "COVERING INDEX person_listed" in plan, plan


def test_people_are_counted_up_to_a_bound_and_paged_on_past_it(network, monkeypatch):
    """Past COUNT_LIMIT the list says "more than" and pages on without a last page; the
    last page knows the exact count again."""
    from kithkin.queries import people_list
    from kithkin.queries.people_list import PeopleFilter, people_page

    monkeypatch.setattr(people_list, "COUNT_LIMIT", 3)
    for i in range(7):
        make_person(network, f"Person {i}")
    first = people_page(network, TODAY, PeopleFilter(), per_page=2)
    assert (first.total, first.total_exact, first.pages, first.has_next) == (3, False, None, True)
    assert [row.person.full_name for row in first.rows] == ["Person 0", "Person 1"]
    last = people_page(network, TODAY, PeopleFilter(), page=4, per_page=2)
    assert [row.person.full_name for row in last.rows] == ["Person 6"]
    assert (last.total, last.total_exact, last.pages, last.has_next) == (7, True, 4, False)
    beyond = people_page(network, TODAY, PeopleFilter(), page=9, per_page=2)  # typed
    assert [row.person.full_name for row in beyond.rows] == ["Person 6"]
    assert (beyond.page, beyond.total, beyond.total_exact) == (4, 7, True)


def test_the_people_list_leaves_out_the_archived_and_me_and_filters_by_tag_and_organization(
    network, owner
):
    from kithkin.queries.people_list import PeopleFilter, people_page
    from kithkin.services.affiliations import add_affiliation
    from kithkin.services.people import archive_person

    make_person(network, "Ada Lovelace", organization="Analytical Engines", tags=["math"])
    grace = make_person(network, "Grace Hopper", tags=["math", "navy"])
    add_affiliation(network, owner, grace, organization="Analytical Engines", title="Advisor")
    add_affiliation(network, owner, grace, organization="Analytical Engines", title="Admiral")
    archive_person(network, owner, make_person(network, "Charles Babbage", tags=["math"]))
    engines = Organization.objects.get(network=network, name="Analytical Engines")

    def names(**filters):
        page = people_page(network, TODAY, PeopleFilter(**filters))
        return [row.person.full_name for row in page.rows], page.total

    assert names() == (["Ada Lovelace", "Grace Hopper"], 2)
    assert names(tag="math") == (["Ada Lovelace", "Grace Hopper"], 2)  # once each
    assert names(organization_id=engines.pk) == (["Ada Lovelace", "Grace Hopper"], 2)
    assert names(status="archived") == (["Charles Babbage"], 1)
