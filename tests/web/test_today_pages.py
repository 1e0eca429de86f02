"""Today's pages: the plan first, sections collapsed with "show all", actions in place that
re-render the counts with Undo, and follow-ups edited and deleted."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kithkin import access
from kithkin.models import FollowUp, UndoableAction
from kithkin.services.followups import complete_follow_up
from tests.conftest import TODAY
from tests.factories import make_follow_up, make_person
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace")


@pytest.fixture
def promises(network, ada):
    return [
        make_follow_up(network, ada, f"Promise {day}", due_on=TODAY - dt.timedelta(days=day))
        for day in range(1, 6)
    ]


def test_today_opens_with_the_plan_then_sections_collapsed(owner_client, promises):
    page = html(owner_client.get("/today/"))
    assert page.index("Your 5 for today") < page.index("Follow-ups due")
    assert "overdue by 5 days (due 2026-02-15)" in page
    # the section shows its count and its first three rows, the rest one click away
    section = page[page.index('id="section-follow-ups"') :]
    assert '<span class="count">5</span>' in section
    assert section.count('id="follow-up-') == 3
    assert "Show all 5" in section


def test_show_all_loads_a_section_in_full(owner_client, promises):
    section = html(owner_client.get("/today/sections/follow-ups/?all=1"))
    assert section.count('id="follow-up-') == 5
    assert "Show all" not in section
    assert owner_client.get("/today/sections/nonsense/").status_code == 404


def test_an_action_in_place_tells_today_to_re_render_with_undo(owner_client, promises):
    response = owner_client.post(
        f"/follow-ups/{promises[0].pk}/done/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"agenda-changed": {"target": "body"}}

    live = html(owner_client.get("/today/live/", headers={"HX-Request": "true"}))

    assert "Done: Promise 1." in live
    action = UndoableAction.objects.get(kind="done")
    assert f'action="/undo/{action.pk}/"' in live
    assert "Your 4 for today" in live
    assert '<span class="count">4</span>' in live


def test_undo_from_the_web_reverts_and_the_counts_come_back(owner_client, owner, network, promises):
    complete_follow_up(network, owner, promises[0], today=TODAY)
    action = access.last_undoable_action(owner, network)

    response = owner_client.post(f"/undo/{action.pk}/", headers={"HX-Request": "true"})

    assert json.loads(response["HX-Trigger"]) == {"agenda-changed": {"target": "body"}}
    promises[0].refresh_from_db()
    assert promises[0].done_at is None
    live = html(owner_client.get("/today/live/"))
    assert "Undone: Done: Promise 1." in live
    assert "Your 5 for today" in live
    assert f'action="/undo/{action.pk}/"' not in live  # undone: no Undo offered again


def test_no_one_else_can_undo_an_action(
    owner, network, promises, teammate, viewer, outsider, viewer_client, outsider_client
):
    complete_follow_up(network, owner, promises[0], today=TODAY)
    action = access.last_undoable_action(owner, network)
    assert outsider_client.post(f"/undo/{action.pk}/").status_code == 404
    assert client_for(teammate).post(f"/undo/{action.pk}/").status_code == 404
    viewer.current_network = network
    viewer.save()
    assert viewer_client.post(f"/undo/{action.pk}/").status_code == 403
    assert "Undo" not in html(client_for(teammate).get("/today/live/"))
    promises[0].refresh_from_db()
    assert promises[0].done_at is not None


def test_a_viewer_sees_the_plan_without_actions(viewer, network, viewer_client, promises):
    viewer.current_network = network
    viewer.save()
    page = html(viewer_client.get("/today/"))
    assert "Your 5 for today" in page
    assert "/done/" not in page


def test_a_follow_up_is_edited_on_the_web(owner_client, network, ada, promises):
    grace = make_person(network, "Grace Hopper")
    item = promises[0]
    form = html(owner_client.get(f"/follow-ups/{item.pk}/edit/"))
    assert 'value="Promise 1"' in form and 'value="Ada Lovelace"' in form

    response = owner_client.post(
        f"/follow-ups/{item.pk}/edit/",
        {
            "title": "Send the paper",
            "people": "Ada Lovelace, Grace Hopper",
            "due_on": "2026-03-02",
            "every": "2w",
            "person": str(ada.pk),
        },
    )

    assert response.status_code == 302 and response.url == f"/people/{ada.pk}/"
    item.refresh_from_db()
    assert (item.title, item.due_on, item.recurrence) == (
        "Send the paper",
        dt.date(2026, 3, 2),
        "FREQ=WEEKLY;INTERVAL=2",
    )
    assert set(item.people.all()) == {ada, grace}


def test_editing_a_follow_up_reports_an_unknown_person(owner_client, promises):
    response = owner_client.post(
        f"/follow-ups/{promises[0].pk}/edit/",
        {"title": "x", "people": "Nobody At All", "due_on": "2026-03-02", "every": ""},
    )
    assert response.status_code == 200
    assert "Nobody At All" in response.content.decode()
    promises[0].refresh_from_db()
    assert promises[0].title == "Promise 1"


def test_a_follow_up_is_deleted_from_the_person_page(owner_client, ada, promises):
    response = owner_client.post(
        f"/follow-ups/{promises[0].pk}/delete/", {"person": str(ada.pk)}, follow=True
    )
    assert "Moved the follow-up “Promise 1” to the trash (restorable for 30 days)." in html(
        response
    )
    assert not FollowUp.objects.filter(pk=promises[0].pk).exists()
    page = html(owner_client.get(f"/people/{ada.pk}/"))
    assert f"/follow-ups/{promises[1].pk}/edit/" in page


def test_outsiders_and_viewers_cannot_edit_or_delete_follow_ups(
    network, viewer, viewer_client, outsider_client, promises
):
    item = promises[0]
    for client, status in ((outsider_client, 404),):
        assert client.get(f"/follow-ups/{item.pk}/edit/").status_code == status
        assert client.post(f"/follow-ups/{item.pk}/delete/").status_code == status
    viewer.current_network = network
    viewer.save()
    assert viewer_client.get(f"/follow-ups/{item.pk}/edit/").status_code == 403
    assert viewer_client.post(f"/follow-ups/{item.pk}/edit/", {"title": "x"}).status_code == 403
    assert viewer_client.post(f"/follow-ups/{item.pk}/delete/").status_code == 403
    item.refresh_from_db()
    assert item.title == "Promise 1"


def test_undo_is_offered_only_for_the_action_just_taken(owner_client, owner, network, promises):
    complete_follow_up(network, owner, promises[0], today=TODAY)  # not from this page
    assert "Undo" not in html(owner_client.get("/today/live/"))

    owner_client.post(f"/follow-ups/{promises[1].pk}/done/", headers={"HX-Request": "true"})
    action = UndoableAction.objects.get(summary="Done: Promise 2")
    assert f'action="/undo/{action.pk}/"' in html(owner_client.get("/today/live/"))
    assert "Undo" not in html(owner_client.get("/today/live/"))  # once, beside its message

    # an action that records nothing to undo offers no older one
    owner_client.post(f"/follow-ups/{promises[2].pk}/done/", headers={"HX-Request": "true"})
    owner_client.post(f"/follow-ups/{promises[2].pk}/done/", headers={"HX-Request": "true"})
    live = html(owner_client.get("/today/live/"))
    assert "is already done" in live
    assert "Undo" not in live


def test_a_long_backlog_is_counted_not_read(owner_client, network, ada):
    for day in range(1, 13):
        make_follow_up(network, ada, f"Owed {day:02d}", due_on=TODAY - dt.timedelta(days=day))
    page = html(owner_client.get("/today/"))
    assert "Your 5 for today" in page and "7 more can wait" in page
    assert '<span class="count">12</span>' in page and "Show all 12" in page
    section = html(owner_client.get("/today/sections/follow-ups/?all=1"))
    assert section.count('id="follow-up-') == 12
