"""The writes behind a calendar sync (services.synced_events), without a server: which
interactions a calendar's meetings make, keep, update and remove."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Change, Interaction, SyncedEvent
from kithkin.services.synced_events import Meeting, forget_account, write_meetings
from tests import factories
from tests.conftest import FROZEN_NOW

NOW = FROZEN_NOW.astimezone(dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=400)


@pytest.fixture
def ada(network):
    return factories.make_person(network, "Ada Lovelace", emails=["ada@example.com"])


def meeting(ada, uid: str = "lunch", *, at: dt.datetime = NOW, summary: str = "Lunch") -> Meeting:
    return Meeting(
        href=f"/cal/{uid}.ics",
        external_id=uid,
        kind="meeting",
        occurred_at=at,
        direction="mutual",
        summary=summary,
        people=(ada.pk,),
    )


def write(network, owner, calendar: str, meetings: list[Meeting], examined, **kw):
    return write_meetings(
        network,
        owner,
        account="acct",
        calendar=calendar,
        meetings=meetings,
        examined=examined,
        keep_before=kw.pop("keep_before", NOW - dt.timedelta(days=90)),
        **kw,
    )


def test_a_meeting_in_two_calendars_is_one_interaction_removed_with_the_last(network, owner, ada):
    assert write(network, owner, "/work/", [meeting(ada)], ["/cal/lunch.ics"]).logged == 1
    assert write(network, owner, "/home/", [meeting(ada)], ["/cal/lunch.ics"]).logged == 0
    assert Interaction.objects.count() == 1

    assert write(network, owner, "/work/", [], ["/cal/lunch.ics"]).removed == 0
    assert Interaction.objects.count() == 1
    assert write(network, owner, "/home/", [], ["/cal/lunch.ics"]).removed == 1
    assert not Interaction.objects.exists()
    assert not SyncedEvent.objects.exists()


def test_an_update_keeps_what_the_person_wrote(network, owner, ada):
    write(network, owner, "/work/", [meeting(ada)], ["/cal/lunch.ics"])
    interaction = Interaction.objects.get()
    interaction.learned = "She is moving to Lyon"
    interaction.save()

    later = NOW - dt.timedelta(hours=2)
    written = write(network, owner, "/work/", [meeting(ada, at=later, summary="Late lunch")], ["x"])

    assert written.updated == 1
    interaction.refresh_from_db()
    assert (interaction.summary, interaction.occurred_at) == ("Late lunch", later)
    assert interaction.learned == "She is moving to Lyon"
    change = Change.objects.filter(kind="interaction.updated").get()
    assert sorted(change.data["fields"]) == ["occurred_at", "summary"]


def test_what_happened_before_the_window_is_left_alone(network, owner, ada):
    write(
        network,
        owner,
        "/work/",
        [meeting(ada, at=LONG_AGO)],
        ["/cal/lunch.ics"],
        keep_before=LONG_AGO - dt.timedelta(days=1),
    )
    assert write(network, owner, "/work/", [], ["/cal/lunch.ics"]).removed == 0
    assert Interaction.objects.count() == 1


def test_an_unreadable_resource_keeps_what_it_made(network, owner, ada):
    write(network, owner, "/work/", [meeting(ada)], None)
    written = write(network, owner, "/work/", [], None, unreadable=["/cal/lunch.ics"])
    assert written.removed == 0
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize(("remove", "left"), [(True, 0), (False, 1)])
def test_forgetting_an_account(network, owner, ada, remove, left):
    write(network, owner, "/work/", [meeting(ada)], None)
    assert forget_account(network, owner, "acct", remove=remove) == 1 - left
    assert Interaction.objects.count() == left
    assert not SyncedEvent.objects.exists()


def test_a_viewer_writes_nothing(network, ada):
    from kithkin.errors import Forbidden

    viewer = factories.make_member(network, "vera", role="viewer")
    with pytest.raises(Forbidden):
        write(network, viewer, "/work/", [meeting(ada)], None)
    assert not Interaction.objects.exists()


def test_removing_a_calendar_account_keeps_its_meetings_and_drops_its_links(network, owner, ada):
    from kithkin.services.sync_accounts import add_calendar_url, remove_account

    account = add_calendar_url(network, owner, url="https://calendar.example.com/secret.ics")
    account.state["key"] = "acct"  # what the first sync keeps (sync.calendar_events)
    account.save_state()
    write(network, owner, "/work/", [meeting(ada)], None)

    remove_account(owner, network, account.pk)
    assert Interaction.objects.count() == 1  # logged, kept as if imported
    assert not SyncedEvent.objects.exists()
