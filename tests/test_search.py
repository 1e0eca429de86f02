"""Full-text search, on whichever database the suite runs (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from kithkin.queries.search import search
from kithkin.services.people import NewPerson
from tests.factories import log, make_person, network_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(network):
    return make_person(
        network,
        "Ada Lovelace",
        emails=["ada@analytical.example"],
        organization="Analytical Engines",
        title="CTO",
        tags=["mentor-candidate"],
        notes="Loves **poetry** and mathematics",
    )


def found(network, text):
    return [hit.person.full_name for hit in search(network, text).people]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("engines", ["organization"]),
        ("Analytical Eng", ["organization", "contact"]),
        ("lovelace", ["name"]),
        ("ada@analytical.example", ["name", "organization", "contact"]),
        ("mentor", ["tag"]),
        ("poetry", ["notes"]),
        ("mathem", ["notes"]),
        ("cto", ["organization"]),
    ],
)
def test_people_are_found_by_what_we_know_and_say_why(network, ada, text, matched):
    hits = search(network, text).people
    assert [hit.person for hit in hits] == [ada]
    assert hits[0].matched == matched


def test_conversations_are_searched_too(network, ada):
    make_person(network, "Grace Hopper")
    log(
        network,
        ada,
        on=dt.date(2026, 1, 10),
        summary="Talked about her compiler project",
        learned="She is hiring",
    )
    hits = search(network, "compiler").people
    assert [h.person.full_name for h in hits] == ["Ada Lovelace"]
    assert hits[0].matched == ["interaction"]
    assert hits[0].interaction.summary == "Talked about her compiler project"
    assert found(network, "hiring") == ["Ada Lovelace"]


def test_accents_and_case_do_not_matter(network):
    make_person(network, "Zoë Ångström", organization="Société Générale")
    assert found(network, "zoe") == ["Zoë Ångström"]
    assert found(network, "SOCIETE") == ["Zoë Ångström"]
    assert found(network, "Ångström") == ["Zoë Ångström"]


def test_every_word_must_match(network, ada):
    make_person(network, "Ada Byron", organization="Poetry Society")
    assert found(network, "ada engines") == ["Ada Lovelace"]
    assert sorted(found(network, "ada")) == ["Ada Byron", "Ada Lovelace"]


def test_the_best_match_comes_first(network):
    make_person(network, "Someone Else", notes="met at a python meetup")
    make_person(network, "Py Thon", tags=["python"], notes="python python, writes python daily")
    assert found(network, "python")[0] == "Py Thon"


def test_organizations_are_listed(network, ada):
    assert [o.name for o in search(network, "analytical").organizations] == ["Analytical Engines"]


def test_search_stays_inside_the_network(network, ada, outsider):
    theirs = network_of(outsider)
    make_person(theirs, "Ada Other", organization="Analytical Engines")
    log(theirs, make_person(theirs, "Talker"), on=dt.date(2026, 1, 1), summary="engines everywhere")
    assert found(network, "engines") == ["Ada Lovelace"]
    assert found(theirs, "engines") == ["Ada Other", "Talker"]


def test_archived_people_and_me_are_not_results(network, ada):
    from kithkin import clock

    ada.archived_at = clock.now()
    ada.save()
    assert found(network, "lovelace") == []
    assert found(network, "owner") == []  # "me" is Olive Owner


def test_queries_made_of_punctuation_find_nothing_and_do_not_fail(network, ada):
    for text in ['"', "*", "AND", "-", "(", "NEAR(", "'; DROP TABLE", ""]:
        search(network, text)
    assert found(network, '"engines"*') == ["Ada Lovelace"]


def test_edits_reach_the_index(network, owner):
    from kithkin.services.people import add_person

    add_person(network, owner, NewPerson(full_name="Late Addition", what_matters="sailing"))
    assert found(network, "sailing") == ["Late Addition"]


def test_the_people_list_searches_from_the_second_character(network, ada):
    from kithkin.queries.people_list import PeopleFilter, people_page
    from tests.conftest import TODAY

    make_person(network, "Zed Young")
    names = lambda text: [  # noqa: E731
        row.person.full_name for row in people_page(network, TODAY, PeopleFilter(text=text)).rows
    ]
    assert names("z") == ["Ada Lovelace", "Zed Young"]  # one letter: the list as it was
    assert names("ze") == ["Zed Young"]


def test_a_common_word_ranks_only_the_newest_conversations(network, ada, monkeypatch):
    from kithkin.queries import search as search_module

    old = log(network, ada, summary="Budget review", on=dt.date(2025, 1, 10))
    newer = [log(network, ada, summary=f"Budget talk {n}", on=dt.date(2026, 1, n)) for n in (1, 2)]
    monkeypatch.setattr(search_module, "INTERACTION_CANDIDATES", 2)
    [hit] = search(network, "budget").people
    assert hit.interaction is not None and hit.interaction.pk in {i.pk for i in newer}
    monkeypatch.setattr(search_module, "INTERACTION_CANDIDATES", 1)
    newest_only = search_module._interaction_hits(network, "budget")
    assert [interaction_id for _, interaction_id in newest_only] == [newer[1].pk]
    assert old.pk not in {i for _, i in newest_only}


def test_a_person_with_a_book_in_their_notes_is_saved_and_found(network, owner):
    """The search document keeps its first 200,000 characters of distinct words: more is
    a pasted book, and PostgreSQL refuses a search vector over 1 MB."""
    from kithkin.services.people import PersonChanges, update_person
    from kithkin.services.search_index import SEARCH_DOCUMENT_LIMIT

    book = " ".join(f"word{i}" for i in range(150_000))  # ~1.3 MB of distinct words
    ada = make_person(network, "Ada Lovelace")
    update_person(network, owner, ada, PersonChanges(notes=f"compilers {book}"))
    ada.refresh_from_db()
    assert len(ada.search_text) <= SEARCH_DOCUMENT_LIMIT
    assert not ada.search_text.endswith(" ")
    assert [hit.person.pk for hit in search(network, "compilers").people] == [ada.pk]


def test_imported_conversations_are_searchable_and_later_ones_too(network, owner):
    """A bulk import indexes its interactions in one statement at its end (SQLite), not
    a trigger per row; what is logged afterwards is indexed by the trigger again."""
    from django.db import connection

    from kithkin.importers.apply import apply_plan
    from kithkin.importers.plan import plan_import
    from kithkin.importers.records import InteractionRecord, ParseResult, Participant

    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    mail = [
        InteractionRecord(
            source="email",
            path="mail.mbox",
            line=n * 10 + 1,
            external_id=f"<m{n}@example.org>",
            kind="email",
            occurred_at=dt.datetime(2026, 11, 1 + n, 9, tzinfo=dt.UTC),
            direction="inbound",
            summary=f"Analytical engine draft {n}",
            participants=[Participant(email="ada@example.org")],
        )
        for n in range(3)
    ]
    apply_plan(network, owner, plan_import(network, ParseResult(interactions=mail)))
    log(network, ada, on=dt.date(2026, 11, 20), summary="Bernoulli numbers")
    [hit] = search(network, "analytical").people
    assert hit.person == ada and hit.interaction is not None
    assert hit.interaction.summary.startswith("Analytical engine draft")
    assert [h.person for h in search(network, "bernoulli").people] == [ada]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM kithkin_fts_paused")
            assert cursor.fetchone()[0] == 0
            cursor.execute(  # the index's own entries: every document is in it
                "CREATE VIRTUAL TABLE temp.terms USING fts5vocab("
                "main, kithkin_interaction_fts, 'instance')"
            )
            cursor.execute(
                "SELECT term, COUNT(*) FROM temp.terms "
                "WHERE term IN ('analytical', 'bernoulli') GROUP BY term ORDER BY term"
            )
            assert cursor.fetchall() == [("analytical", 3), ("bernoulli", 1)]


@pytest.mark.django_db(transaction=True)  # the import's own transaction is the outermost
@pytest.mark.parametrize("how", ["written", "failed", "caught inside"])
def test_a_bulk_insert_sets_the_people_index_aside_and_puts_it_back(network, how):
    """In its own transaction a bulk insert drops the row-by-row index trigger (SQLite)
    and indexes its people in one statement; written, failed or caught within the
    transaction, people added afterwards are indexed as they are added."""
    from django.db import transaction

    from kithkin.fulltext import people_indexed_in_bulk

    if how == "written":
        with transaction.atomic(), people_indexed_in_bulk():
            make_person(network, "Charles Babbage")
    elif how == "failed":

        def failing_import() -> None:
            with transaction.atomic(), people_indexed_in_bulk():
                make_person(network, "Charles Babbage")
                raise RuntimeError("the import failed")

        with pytest.raises(RuntimeError):
            failing_import()
    else:
        with transaction.atomic():
            with contextlib.suppress(RuntimeError), people_indexed_in_bulk():
                raise RuntimeError("the import failed")
            make_person(network, "Mary Somerville")
    make_person(network, "Ada Lovelace")
    assert found(network, "lovelace") == ["Ada Lovelace"]
    assert found(network, "babbage") == (["Charles Babbage"] if how == "written" else [])
    assert found(network, "somerville") == (["Mary Somerville"] if how == "caught inside" else [])
