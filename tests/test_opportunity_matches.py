"""Worth sharing's stored matches (services.opportunity_matches): after every write that
matching reads, the matches the agenda shows are the ones the matching rules compute,
read from the opportunity instead of computed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kithkin import clock
from kithkin.doctor import run_checks
from kithkin.importers.apply import apply_plan
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ContactRecord, ParseResult
from kithkin.models import Opportunity, Person, TrashedItem
from kithkin.queries import matching
from kithkin.queries.opportunities import (
    AGENDA_MATCHED,
    agenda_matches,
    opportunities_to_share,
    to_share,
)
from kithkin.services import opportunity_matches
from kithkin.services.affiliations import add_affiliation
from kithkin.services.merge import merge_people
from kithkin.services.opportunities import set_status
from kithkin.services.people import (
    PersonChanges,
    archive_person,
    delete_person,
    unarchive_person,
    update_person,
)
from kithkin.services.people_bulk import add_tag
from kithkin.services.trash import restore
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_opportunities import make_compiler_engineer, make_opportunity, make_share

pytestmark = pytest.mark.django_db


def shown(network) -> list[tuple[int | None, list[str], str]]:
    """What Worth sharing shows: each opportunity, the people it names, and why."""
    section = opportunities_to_share(network, TODAY)
    return [(item.record_id, [p.name for p in item.people], item.detail) for item in section.items]


def computed(network) -> list[tuple[int | None, list[str], str]]:
    """What it shows when every match is computed by the matching rules (nothing stored)."""
    with transaction.atomic():
        Opportunity.objects.filter(network=network).update(agenda_matches=None)
        found = shown(network)
        transaction.set_rollback(True)
    return found


def assert_current(network) -> list[tuple[int | None, list[str], str]]:
    """The stored matches are read (none computed) and equal what the rules compute."""
    for opportunity in to_share(network, TODAY)[:AGENDA_MATCHED]:
        assert opportunity.agenda_matches == [
            [m.person.pk, m.score, m.reasons] for m in agenda_matches(network, opportunity)
        ], opportunity.title
    found = shown(network)
    assert found == computed(network)
    return found


@pytest.fixture
def grace(network):
    return make_compiler_engineer(network)


@pytest.fixture
def job(network, grace):
    return make_opportunity(
        network, "Compiler engineer at Babbage", tags=["rust"], deadline=TODAY + dt.timedelta(9)
    )


@pytest.fixture
def no_matching(monkeypatch):
    """Fails if anything computes matches."""

    def fail(*args, **kwargs):
        raise AssertionError("matched again")

    monkeypatch.setattr(matching, "match_people", fail)


def test_an_added_opportunity_stores_what_the_agenda_shows(network, grace, job, no_matching):
    job.refresh_from_db()
    assert job.agenda_matches == [
        [
            grace.pk,
            7.0,  # a tag 3, a title word 1.5, what matters 2, close circle 0.5
            [
                "tags: rust",
                "title: Staff Engineer",
                "what matters: 'Wants to move into compilers'",
                "close circle",
            ],
        ]
    ]
    assert shown(network) == [
        (
            job.pk,
            ["Grace Hopper"],
            "Grace Hopper (tags: rust; title: Staff Engineer; what matters: 'Wants to move "
            "into compilers'; close circle)",
        )
    ]


def test_the_agenda_reads_the_stored_matches_in_two_queries(network, grace, job):
    make_opportunity(network, "Rust meetup talk", kind="speaking", tags=["rust"])
    assert_current(network)
    with CaptureQueriesContext(connection) as queries:
        section = opportunities_to_share(network, TODAY)
    assert len(section.items) == 2
    assert len(queries) == 2  # the opportunities, their people's names


def test_closing_or_sharing_an_opportunity(network, owner, grace, job):
    ada = make_person(network, "Ada Lovelace", tags=["rust"])
    assert [names for _, names, _ in assert_current(network)] == [["Grace Hopper", "Ada Lovelace"]]
    make_share(network, job, grace)
    assert [names for _, names, _ in assert_current(network)] == [["Ada Lovelace"]]
    set_status(network, owner, job, "won")
    job.refresh_from_db()
    assert job.agenda_matches is None
    assert assert_current(network) == []
    set_status(network, owner, job, "shared")
    assert [names for _, names, _ in assert_current(network)] == [[ada.full_name]]


def test_editing_tags_headline_and_jobs(network, owner, grace, job):
    ada = make_person(network, "Ada Lovelace")
    assert [names for _, names, _ in assert_current(network)] == [["Grace Hopper"]]
    update_person(network, owner, ada, PersonChanges(tags=["rust", "math"]))
    assert [names for _, names, _ in assert_current(network)] == [["Grace Hopper", "Ada Lovelace"]]
    update_person(network, owner, ada, PersonChanges(headline="Compiler engineer"))
    found = assert_current(network)
    assert found[0][1] == ["Grace Hopper", "Ada Lovelace"]  # 7 and 6
    assert "Ada Lovelace (tags: rust; title: Compiler engineer)" in found[0][2]
    update_person(network, owner, grace, PersonChanges(tags=["python"]))
    assert [names for _, names, _ in assert_current(network)] == [["Ada Lovelace", "Grace Hopper"]]
    bob = make_person(network, "Bob Babbage")
    add_affiliation(network, owner, bob, organization="Analytical", title="Compiler engineer")
    add_tag(network, owner, Person.objects.filter(pk=bob.pk), "rust")
    found = assert_current(network)
    assert found[0][1] == ["Ada Lovelace", "Bob Babbage", "Grace Hopper"]  # 6, 6 by name, 4
    assert "Bob Babbage (tags: rust; title: Compiler engineer)" in found[0][2]
    update_person(network, owner, grace, PersonChanges(circle="close", tags=["rust"]))
    assert assert_current(network)[0][1] == ["Grace Hopper", "Ada Lovelace", "Bob Babbage"]


def test_deleting_merging_archiving_and_restoring_people(network, owner, grace, job):
    ada = make_person(network, "Ada Lovelace", tags=["rust"])
    delete_person(network, owner, grace)
    assert [names for _, names, _ in assert_current(network)] == [["Ada Lovelace"]]
    restore(network, owner, TrashedItem.objects.get(network=network))
    assert [names for _, names, _ in assert_current(network)] == [["Grace Hopper", "Ada Lovelace"]]
    archive_person(network, owner, ada)
    assert [names for _, names, _ in assert_current(network)] == [["Grace Hopper"]]
    unarchive_person(network, owner, ada)
    twin = make_person(network, "G. Hopper", headline="Compiler engineer")
    merge_people(network, owner, ada, twin)
    found = assert_current(network)
    assert found[0][1] == ["Grace Hopper", "Ada Lovelace"]
    assert "Ada Lovelace (tags: rust; title: Compiler engineer)" in found[0][2]


def test_an_import_brings_new_matches(network, owner, grace, job):
    plan = plan_import(
        network,
        ParseResult(
            contacts=[
                ContactRecord(
                    source="vcard",
                    path="people.vcf",
                    line=2,
                    full_name="Ada Lovelace",
                    tags=["rust"],
                    title="Compiler engineer",
                    organization="Analytical",
                )
            ]
        ),
    )
    apply_plan(network, owner, plan)
    found = assert_current(network)
    assert found[0][1] == ["Grace Hopper", "Ada Lovelace"]
    assert "Ada Lovelace (tags: rust; title: Compiler engineer)" in found[0][2]


def test_nothing_stored_is_computed_and_the_hourly_job_stores_it(network, grace, job):
    Opportunity.objects.update(agenda_matches=None)  # as after the upgrade
    before = shown(network)
    assert before and before[0][1] == ["Grace Hopper"]
    assert opportunity_matches.refresh_hourly(clock.now()) == 1
    assert assert_current(network) == before
    assert opportunity_matches.refresh_hourly(clock.now()) == 0  # idempotent


def test_the_doctor_finds_stale_matches(network, grace, job):
    def finding():
        return next(f for f in run_checks() if f.check == "opportunity matches")

    assert finding().ok
    Opportunity.objects.filter(pk=job.pk).update(agenda_matches=[])  # written behind its back
    assert shown(network) == []
    stale = finding()
    assert not stale.ok
    assert f"#{job.pk}" in stale.detail and "kith worker --once" in stale.detail
    opportunity_matches.refresh_hourly(clock.now())
    assert finding().ok
    assert assert_current(network)


def test_only_the_first_opportunities_are_kept(network, grace):
    many = [
        make_opportunity(network, f"Rust role {n}", tags=["rust"], deadline=TODAY + dt.timedelta(n))
        for n in range(1, opportunity_matches.STORED + 3)
    ]
    stored = dict(Opportunity.objects.values_list("pk", "agenda_matches"))
    assert [stored[o.pk] is not None for o in many] == [True] * opportunity_matches.STORED + [
        False
    ] * 2
    assert_current(network)


def test_kith_today_prints_the_same_from_stored_matches(kith, network, grace, job):
    stored = kith("today").output
    assert "Share Compiler engineer at Babbage" in stored
    assert "Grace Hopper" in stored
    Opportunity.objects.update(agenda_matches=None)
    assert kith("today").output == stored


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_leave_the_matches_of_both():
    """PostgreSQL: a second writer's refresh waits for the first to commit, then sees it;
    without the lock it would store matches computed before the first write."""
    import threading

    from tests import factories

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    owner = factories.make_user("owner")
    network = factories.network_of(owner)
    ada = make_person(network, "Ada Lovelace")
    bob = make_person(network, "Bob Babbage")
    make_opportunity(network, "Rust engineer", tags=["rust"])
    refreshed, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        from django.db import connection as own

        try:
            with transaction.atomic():
                add_tag(network, owner, Person.objects.filter(pk=ada.pk), "rust")
                refreshed.set()
                release.wait(10)
        except BaseException as error:  # reported by the test
            failures.append(error)
        finally:
            own.close()

    def second() -> None:
        from django.db import connection as own

        try:
            add_tag(network, owner, Person.objects.filter(pk=bob.pk), "rust")
        except BaseException as error:
            failures.append(error)
        finally:
            own.close()

    one = threading.Thread(target=first)
    one.start()
    assert refreshed.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive()  # waiting for the first writer's opportunities
    release.set()
    one.join()
    two.join()
    assert failures == []
    assert [names for _, names, _ in assert_current(network)] == [["Ada Lovelace", "Bob Babbage"]]
