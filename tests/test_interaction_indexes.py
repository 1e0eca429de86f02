"""The interaction table keeps only the indexes a read needs (migration 0015): imports
insert hundreds of thousands of rows holding the write lock, and each index is work on
every row. The event, mentorship and milestone links are indexed only where set, and the
reads by them must still find their few rows through those partial indexes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kithkin.models import Interaction, Network
from kithkin.queries.events import event_page
from kithkin.queries.mentorships import mentorship_detail
from tests.conftest import TODAY
from tests.factories import log, make_person
from tests.factories_events import make_event, meet
from tests.factories_mentorships import make_mentorship, make_session
from tests.factories_milestones import make_milestone


def _single_column_indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Interaction._meta.db_table)
    return {
        columns[0]
        for columns, index in ((c["columns"], c) for c in found.values())
        if index["index"] and not index["unique"] and len(columns) == 1
    }


@pytest.mark.django_db
def test_only_the_indexes_a_read_needs_are_kept_on_the_interaction_table():
    single = _single_column_indexes()
    # Partial: only the rows that have one.
    assert {"event_id", "mentorship_id", "milestone_id"} <= single
    assert "network_id" not in single  # interaction_when starts with it
    assert "created_by_id" not in single  # nothing reads by it
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Interaction._meta.db_table)
    for name in ("interaction_event", "interaction_mentorship", "interaction_milestone"):
        assert name in found


def _plan(sql: str, params: object) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # tiny tables: make it show what it can use
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row) for row in cursor.fetchall())


def _reads_through(index: str, read: Callable[[], object]) -> None:
    """Every query of ``read`` that filters interactions by the linked column uses ``index``."""
    column = index.removeprefix("interaction_") + "_id"
    with CaptureQueriesContext(connection) as captured:
        read()
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and f'"kithkin_interaction"."{column}" =' in q["sql"]
    ]
    assert reads, f"no read filtered by {column}"
    for sql in reads:
        plan = _plan(sql, None)
        if connection.vendor == "postgresql":
            # PostgreSQL picks among the usable indexes by statistics the rest of the suite
            # moves; what matters is that one is usable (seq scans are off in _plan).
            assert "Seq Scan on kithkin_interaction " not in plan, (sql, plan)
        else:
            assert index in plan, sql


def test_the_event_page_reads_its_conversations_through_the_partial_index(network: Network):
    pycon = make_event(network)
    meet(network, pycon, "Grace Hopper")
    log(network, make_person(network, "Alan Turing"), on=TODAY)  # at no event
    _reads_through("interaction_event", lambda: event_page(network, pycon))


def test_a_mentorship_reads_its_sessions_through_the_partial_index(network: Network):
    mentorship = make_mentorship(network, mentee=make_person(network, "Grace Hopper"))
    make_session(network, mentorship, on=TODAY)
    _reads_through("interaction_mentorship", lambda: mentorship_detail(network, mentorship))


def test_a_marked_milestone_is_found_through_the_partial_index(network: Network):
    ada = make_person(network)
    milestone = make_milestone(network, ada, on=TODAY)
    log(network, ada, on=TODAY, milestone=milestone)
    # As queries.occasions.celebrated_flags asks it.
    sql = str(Interaction.objects.filter(milestone_id__in=[milestone.pk]).values("pk").query)
    assert "interaction_milestone" in _plan(sql, None)


def test_deleting_a_linked_record_unlinks_its_interactions(network: Network):
    pycon = make_event(network)
    met = meet(network, pycon, "Grace Hopper")
    conversation = Interaction.objects.get(event=pycon, participants=met.person)
    pycon.delete()
    conversation.refresh_from_db()
    assert conversation.event_id is None
