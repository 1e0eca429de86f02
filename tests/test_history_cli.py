"""`kith history`, `kith delete`, `kith trash` and `kith trash restore`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import TypeAdapter

from kithkin.models import FollowUp, Person, TrashedItem
from kithkin.schemas.history import HistoryEntryOut, RestoredOut, TrashedItemOut
from kithkin.services.people import PersonChanges, update_person
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace", emails=["ada@example.org"], headline="Countess")


def test_history_shows_who_changed_which_field_from_what_to_what(kith, network, teammate, ada):
    update_person(network, teammate, ada, PersonChanges(headline="Mathematician"))
    log(network, ada, on=dt.date(2026, 2, 19), by=teammate, summary="Coffee")

    result = kith("history", "Ada")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2026-02-20 09:00  Teammate Member logged an interaction"
    assert lines[1] == "2026-02-20 09:00  Teammate Member changed their details"
    assert lines[2] == "    headline: Countess → Mathematician"
    assert lines[3] == "2026-02-20 09:00  Olive Owner added them"


def test_history_as_json(kith, network, teammate, ada):
    update_person(network, teammate, ada, PersonChanges(headline="Mathematician", tags=["math"]))

    printed = kith("history", "Ada", "--json").stdout

    entries = TypeAdapter(list[HistoryEntryOut]).validate_json(printed, strict=True)
    edit = entries[0]
    assert (edit.kind, edit.who, edit.fields) == (
        "person.updated",
        "Teammate Member",
        ["headline", "tags"],
    )
    assert [(v.field, v.before, v.after) for v in edit.values] == [
        ("headline", "Countess", "Mathematician"),
        ("tags", [], ["math"]),
    ]
    assert json.loads(printed)[0]["occurred_at"] == "2026-02-20T08:00:00+00:00"


def test_delete_asks_first_and_says_how_to_restore(kith, network, ada):
    asked = kith("delete", "Ada")  # no terminal in the test: nothing is deleted
    assert asked.stdout == "Nothing changed. Run again with --yes to delete.\n"
    assert Person.objects.filter(full_name="Ada Lovelace").exists()

    result = kith("delete", "Ada", "--yes")

    item = TrashedItem.objects.get()
    assert result.stdout == (
        f"Moved Ada Lovelace to the trash: `kith trash restore {item.pk}` brings them back "
        "within 30 days.\n"
    )
    assert not Person.objects.filter(full_name="Ada Lovelace").exists()


def test_trash_lists_and_restores(kith, network, teammate, ada):
    ada_id = ada.pk
    owed = make_follow_up(network, ada, "Send the paper", due_on=dt.date(2026, 2, 21))
    owed_id = owed.pk
    kith("delete", "Ada", "--yes")

    listed = kith("trash")
    assert "Ada Lovelace" in listed.stdout and "Olive Owner" in listed.stdout
    assert "30" in listed.stdout
    rows = TypeAdapter(list[TrashedItemOut]).validate_json(kith("trash", "--json").stdout)
    assert [(row.kind, row.name, row.deleted_by, row.days_left) for row in rows] == [
        ("person", "Ada Lovelace", "Olive Owner", 30)
    ]

    restored = kith("trash", "restore", str(rows[0].id), "--json")

    assert RestoredOut.model_validate_json(restored.stdout).record_id == ada_id
    assert FollowUp.objects.get(pk=owed_id).people.get().pk == ada_id
    assert kith("trash").stdout == "The trash is empty.\n"


def test_restoring_twice_or_a_wrong_id_is_one_clear_line(kith, network, ada):
    kith("delete", "Ada", "--yes")
    item = TrashedItem.objects.get()
    assert kith("trash", "restore", str(item.pk)).stdout == "Restored Ada Lovelace.\n"

    again = kith("trash", "restore", str(item.pk))

    assert again.exit_code != 0
    assert "No item in the trash" in again.stderr
    assert "Traceback" not in again.output


def test_restore_when_the_id_was_taken_refuses(kith, network, ada):
    ada_id = ada.pk
    kith("delete", "Ada", "--yes")
    Person.objects.create(pk=ada_id, network=network, full_name="Someone Else")

    result = kith("trash", "restore", str(TrashedItem.objects.get().pk))

    assert result.exit_code == 2
    assert "exists again; nothing was restored" in result.stderr
    assert TrashedItem.objects.exists()
