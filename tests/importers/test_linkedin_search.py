"""People a LinkedIn import creates are found by full-text search as anyone else is.

The import inserts people in bulk and indexes them in one statement at the end
(fulltext.people_indexed_in_bulk on SQLite; PostgreSQL's generated column): the stored
document and the index must be what the one-person path (services.search_index) gives.
Runs on whichever database the suite runs."""

from __future__ import annotations

import pytest
from django.db import connection

from kithkin.importers.apply import apply_plan
from kithkin.importers.linkedin import parse_connections
from kithkin.importers.plan import plan_import
from kithkin.models import Person
from kithkin.queries.search import matching_person_ids, search
from kithkin.services.search_index import reindex_people
from tests.factories import make_person

pytestmark = pytest.mark.django_db

MIKI = "\uff2d\uff49\uff4b\uff49"  # "Miki" in full-width letters, as some keyboards type it

CONNECTIONS = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    'are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Zoë,Ångström,https://www.linkedin.com/in/zoe-angstrom,zoe@fjord.example,Fjord Labs,"
    "Chief Scientist,02 Feb 2021\n"
    "Kavya,Fischer,https://WWW.LinkedIn.com/in/Kavya-F/,,Brightwater Software,"
    "Account Executive,07 Jan 2023\n"
    "Jo,Doe - Founder at Acme,https://de.linkedin.com/in/jodoe?trk=x,,,Mentor of makers,"
    "11 Mar 2019\n"
    f"{MIKI},Straße,https://www.linkedin.com/in/miki-%C3%A9t%C3%A9,,ﬁnch & Co,ǅ Lead,"
    "01 Dec 2020\n"
)


def import_connections(network, owner):
    parsed = parse_connections(CONNECTIONS.encode(), "Connections.csv")
    plan = plan_import(network, parsed)
    return plan, apply_plan(network, owner, plan)


def found(network, text):
    return {hit.person.full_name for hit in search(network, text).people}


def test_imported_people_are_found_by_name_email_company_title_and_notes(network, owner):
    import_connections(network, owner)
    assert found(network, "zoe angstrom") == {"Zoë Ångström"}
    assert found(network, "zoe@fjord.example") == {"Zoë Ångström"}
    assert found(network, "fjord") == {"Zoë Ångström"}
    assert found(network, "scientist") == {"Zoë Ångström"}
    assert found(network, "kavya-f") == {"Kavya Fischer"}
    assert found(network, "brightwater") == {"Kavya Fischer"}
    assert found(network, "founder acme") == {"Jo Doe"}  # the headline
    assert found(network, "makers") == {"Jo Doe"}  # the position, kept in the notes
    assert found(network, "miki strasse") == {f"{MIKI} Straße"}  # folded as typed words are
    assert found(network, "finch") == {f"{MIKI} Straße"}
    assert found(network, "dz lead") == {f"{MIKI} Straße"}


def test_imported_documents_and_index_are_what_one_person_at_a_time_gives(network, owner):
    _plan, summary = import_connections(network, owner)
    assert len(summary.created) == 4
    # Rebuilding every document the one-person way changes none of them.
    assert reindex_people(network) == 0
    for person in Person.objects.filter(pk__in=summary.created):
        for word in person.search_text.split():
            assert person.pk in matching_person_ids(network, word, limit=50), word
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # The index holds exactly the documents of the table it indexes.
            cursor.execute(
                "INSERT INTO kithkin_person_fts(kithkin_person_fts, rank) "
                "VALUES ('integrity-check', 1)"
            )
            cursor.execute("SELECT count(*) FROM kithkin_person_fts_paused")
            assert cursor.fetchone() == (0,)  # the trigger indexes again


def test_after_an_import_people_are_indexed_as_they_are_added_and_reimport_changes_nothing(
    network, owner
):
    import_connections(network, owner)
    make_person(network, "Grace Hopper", organization="Navy")
    assert found(network, "hopper") == {"Grace Hopper"}
    documents = dict(Person.objects.values_list("pk", "search_text"))
    plan, _summary = import_connections(network, owner)
    assert not plan.changes_anything
    assert dict(Person.objects.values_list("pk", "search_text")) == documents
    assert found(network, "zoe") == {"Zoë Ångström"}
