"""An import is parsed and planned outside the write transaction and applied inside it
(importers.freshness, importers.apply.apply_plan). Whatever another writer commits in
between is neither lost nor duplicated: a plan that change could alter is made again; a
change no plan reads leaves it as it is."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from kithkin import transfer
from kithkin.importers import apply as apply_module
from kithkin.importers import formats
from kithkin.importers import plan as plan_module
from kithkin.importers.apply import apply_plan
from kithkin.importers.freshness import UNRELATED, changed_since, mark
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ContactRecord, InteractionRecord, ParseResult, Participant
from kithkin.models import ContactPoint, Interaction, InteractionTally, Person
from kithkin.services.changes import KINDS
from kithkin.services.people import PersonChanges, delete_person, update_person
from tests.factories import log, make_person
from tests.importers.test_plan_apply import _derived_state

pytestmark = pytest.mark.django_db


def contact(name: str, *, line: int = 2, **fields) -> ContactRecord:
    return ContactRecord(source="vcard", path="people.vcf", line=line, full_name=name, **fields)


def mail(n: int, email: str) -> InteractionRecord:
    return InteractionRecord(
        source="email",
        path="mail.mbox",
        line=n,
        external_id=f"<m{n}@example.org>",
        kind="email",
        occurred_at=dt.datetime(2026, 1, n, 9, tzinfo=dt.UTC),
        direction="inbound",
        summary=f"Message {n}",
        participants=[Participant(email=email)],
    )


def people_with(email: str) -> list[int]:
    return list(
        ContactPoint.objects.filter(kind="email", normalized=email).values_list(
            "person_id", flat=True
        )
    )


def no_planning_again(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("planned again")

    monkeypatch.setattr(apply_module, "plan_import", fail)


def test_every_change_kind_is_either_read_by_plans_or_named_unrelated():
    assert KINDS.keys() >= UNRELATED  # a renamed kind must not silently count as unrelated


def test_someone_added_between_plan_and_apply_is_matched_not_added_twice(network, owner):
    plan = plan_import(
        network,
        ParseResult(contacts=[contact("Ada Lovelace", emails=[("ada@example.org", "")])]),
    )
    assert plan.summary["new"] == 1
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])  # meanwhile
    assert changed_since(network, plan.as_of or "") == ["person.created"]
    summary = apply_plan(network, owner, plan)
    assert summary.created == []
    assert people_with("ada@example.org") == [ada.pk]
    assert summary.plan is not None and summary.plan.summary["unchanged"] == 1


def test_a_blank_filled_by_a_user_between_plan_and_apply_is_kept(network, owner):
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    plan = plan_import(
        network,
        ParseResult(
            contacts=[
                contact(
                    "Ada Lovelace",
                    emails=[("ada@example.org", "")],
                    headline="Mathematician",
                    phones=[("+44 20 7946 0958", "")],
                )
            ]
        ),
    )
    assert plan.contacts[0].fills == {"headline": "Mathematician"}
    update_person(network, owner, ada, PersonChanges(headline="Countess of Lovelace"))
    summary = apply_plan(network, owner, plan)
    ada.refresh_from_db()
    assert ada.headline == "Countess of Lovelace"  # not overwritten by the stale plan
    assert set(ada.contact_points.values_list("kind", flat=True)) == {"email", "phone"}
    assert summary.updated == [ada.pk]


def test_someone_deleted_between_plan_and_apply_is_not_written_to(network, owner):
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    plan = plan_import(
        network,
        ParseResult(
            contacts=[contact("Ada Lovelace", emails=[("ada@example.org", "")], headline="X")],
            interactions=[mail(1, "ada@example.org"), mail(2, "ada@example.org")],
        ),
    )
    assert plan.summary["interactions_new"] == 2
    delete_person(network, owner, ada)
    summary = apply_plan(network, owner, plan)
    assert summary.plan is not None
    assert summary.plan.summary["new"] == 1  # she is someone new to this import now
    [new_ada] = people_with("ada@example.org")
    assert new_ada != ada.pk
    assert set(
        Interaction.objects.filter(network=network).values_list("participants__id", flat=True)
    ) == {new_ada}


def test_a_call_logged_between_plan_and_apply_keeps_the_plan_and_counts_both(
    network, owner, monkeypatch
):
    from kithkin.services.checkins import refresh_check_ins

    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    plan = plan_import(
        network,
        ParseResult(interactions=[mail(n, "ada@example.org") for n in range(1, 4)]),
    )
    log(network, ada, on=dt.date(2026, 2, 1))  # meanwhile, in the web
    no_planning_again(monkeypatch)
    summary = apply_plan(network, owner, plan)
    assert summary.plan is plan and summary.interactions == 3
    assert Interaction.objects.filter(participants=ada).count() == 4
    assert InteractionTally.objects.get(person=ada).talks == 4
    before = _derived_state(network)
    assert refresh_check_ins(network) == 0  # what was added is what a recount finds
    assert _derived_state(network) == before


def test_the_same_records_imported_meanwhile_are_not_added_twice(network, owner):
    records = ParseResult(
        contacts=[contact("Grace Hopper", emails=[("grace@navy.example", "")])],
        interactions=[mail(1, "grace@navy.example")],
    )
    first = plan_import(network, records)
    second = plan_import(network, records)  # two imports of one file planned at once
    apply_plan(network, owner, first)
    summary = apply_plan(network, owner, second)
    assert (summary.created, summary.interactions) == ([], 0)
    assert len(people_with("grace@navy.example")) == 1
    assert Interaction.objects.filter(network=network).count() == 1


def test_a_plan_without_its_records_is_refused_when_outdated(network, owner):
    plan = plan_import(network, ParseResult(contacts=[contact("Ada Lovelace")]))
    plan.parsed = None
    make_person(network, "Someone Else")
    with pytest.raises(apply_module.PlanOutdated):
        apply_plan(network, owner, plan)
    assert not Person.objects.filter(full_name="Ada Lovelace").exists()


def test_a_mark_sees_only_what_came_after_it(network, owner):
    make_person(network, "Before")
    since = mark(network)
    assert changed_since(network, since) == []
    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=dt.date(2026, 2, 1))  # unrelated to any plan
    assert changed_since(network, since) == ["person.created"]


def test_a_confirmed_upload_changed_under_the_apply_is_refused_unwritten(
    network, owner, teammate, settings, tmp_path, monkeypatch
):
    """Planned again outside the transaction, the upload's plan still matches; then a
    teammate adds Ada before the transaction begins: planned once more inside it, the
    plan differs from the one reviewed, so nothing is written and the new plan is kept."""
    settings.DATA_DIR = tmp_path
    cards = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
    )
    stored = transfer.store_upload(network, owner, name="c.vcf", chunks=[cards])
    transfer.plan_upload(network, owner, stored.pk)
    planned_outside = transfer.plan_import

    def then_a_teammate_writes(*args, **kwargs):
        plan = planned_outside(*args, **kwargs)
        make_person(network, "Ada Lovelace", emails=["ada@example.org"], by=teammate)
        return plan

    monkeypatch.setattr(transfer, "plan_import", then_a_teammate_writes)
    with pytest.raises(transfer.StalePlan):
        transfer.apply_upload(network, owner, stored.pk)
    monkeypatch.undo()
    assert len(people_with("ada@example.org")) == 1
    stored.refresh_from_db()
    assert stored.applied_at is None
    assert transfer.stored_plan(network, owner, stored.pk).plan.summary["new"] == 0


# With real transactions: what runs inside the write transaction, and another connection.

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\n"
    "ORG:Analytical Engines\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@navy.example\r\nEND:VCARD\r\n"
)


def _vcard_file(tmp_path: Path) -> Path:
    path = tmp_path / "people.vcf"
    path.write_text(VCARD)
    return path


@pytest.mark.django_db(transaction=True)
def test_parsing_and_planning_run_outside_the_write_transaction(
    network, owner, tmp_path, monkeypatch
):
    seen: dict[str, bool] = {}
    label, parser = formats.FORMATS["vcard"]
    loader = plan_module.load_existing

    def parse(*args, **kwargs):
        seen["parse"] = connection.in_atomic_block
        return parser(*args, **kwargs)

    def load_existing(network):
        seen["plan"] = connection.in_atomic_block
        return loader(network)

    writer = apply_module.write_contacts

    def write_contacts(*args, **kwargs):
        seen["write"] = connection.in_atomic_block
        return writer(*args, **kwargs)

    monkeypatch.setitem(formats.FORMATS, "vcard", (label, parse))
    monkeypatch.setattr(plan_module, "load_existing", load_existing)
    monkeypatch.setattr(apply_module, "write_contacts", write_contacts)
    done = transfer.import_file(network, owner, "vcard", _vcard_file(tmp_path))
    assert done.summary is not None and len(done.summary.created) == 2
    assert seen == {"parse": False, "plan": False, "write": True}


@pytest.mark.django_db(transaction=True)
def test_a_write_from_another_connection_between_plan_and_apply_is_kept_and_not_duplicated(
    network, owner, tmp_path, monkeypatch
):
    applying = transfer.apply_plan
    other: dict[str, int] = {}

    def another_writer() -> None:
        try:
            other["ada"] = make_person(network, "Ada Lovelace", emails=["ada@example.org"]).pk
        finally:
            connections.close_all()

    def apply_after_another_write(*args, **kwargs):
        thread = threading.Thread(target=another_writer)
        thread.start()
        thread.join()
        return applying(*args, **kwargs)

    monkeypatch.setattr(transfer, "apply_plan", apply_after_another_write)
    done = transfer.import_file(network, owner, "vcard", _vcard_file(tmp_path))
    assert done.summary is not None
    assert people_with("ada@example.org") == [other["ada"]]  # theirs, not a second Ada
    ada = Person.objects.get(pk=other["ada"])
    assert [str(a) for a in ada.affiliations.all()] == ["Analytical Engines"]  # the import's
    assert len(people_with("grace@navy.example")) == 1
    assert done.plan.summary["new"] == 1 and done.plan.summary["updated"] == 1
    again = transfer.import_file(network, owner, "vcard", _vcard_file(tmp_path))
    assert again.summary is None  # idempotent
    assert Person.objects.filter(network=network, is_self=False).count() == 2
