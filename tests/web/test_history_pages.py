"""The History panel on a person page, the whole History, and the Trash page."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import FollowUp, Person, TrashedItem
from kithkin.services.people import PersonChanges, update_person
from tests.factories import log, make_follow_up, make_person
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace", headline="Countess")


def test_the_person_page_shows_who_changed_what_from_what_to_what(
    owner_client, network, teammate, ada
):
    update_person(network, teammate, ada, PersonChanges(headline="Mathematician"))
    log(network, ada, on=dt.date(2026, 2, 19), by=teammate, summary="Coffee")

    page = html(owner_client.get(f"/people/{ada.pk}/"))

    panel = page[page.index('id="history-panel"') :]
    assert "Teammate Member logged an interaction" in panel
    assert "Teammate Member changed their details" in panel
    assert "<del>Countess</del> → <ins>Mathematician</ins>" in panel
    assert "Olive Owner added them" in panel
    assert "20 Feb 2026 09:00" in panel  # the owner's zone: Paris


def test_the_whole_history_is_paged(owner_client, network, owner, ada):
    for number in range(25):
        update_person(network, owner, ada, PersonChanges(headline=f"Title {number}"))

    first = html(owner_client.get(f"/people/{ada.pk}/history/"))
    second = html(owner_client.get(f"/people/{ada.pk}/history/?page=2"))

    assert "<ins>Title 24</ins>" in first and "<ins>Title 5</ins>" in first
    assert "<ins>Title 4</ins>" not in first and "?page=2" in first
    assert "<ins>Title 4</ins>" in second and "Olive Owner added them" in second
    page = html(owner_client.get(f"/people/{ada.pk}/"))
    assert f'href="/people/{ada.pk}/history/"' in page


def test_delete_then_restore_from_the_trash_page(owner_client, network, owner, ada):
    ada_id = ada.pk
    owed = make_follow_up(network, ada, "Send the paper", due_on=dt.date(2026, 2, 20))

    deleted = owner_client.post(f"/people/{ada_id}/delete/", follow=True)
    assert "Moved Ada Lovelace and what only concerned them to the trash" in html(deleted)
    assert not Person.objects.filter(pk=ada_id).exists()

    trash = html(owner_client.get("/trash/"))
    item = TrashedItem.objects.get()
    assert "Ada Lovelace" in trash and "Olive Owner" in trash
    assert f'action="/trash/{item.pk}/restore/"' in trash

    restored = owner_client.post(f"/trash/{item.pk}/restore/", follow=True)

    assert "Restored Ada Lovelace." in html(restored)
    assert restored.redirect_chain[-1][0] == f"/people/{ada_id}/"
    assert FollowUp.objects.get(pk=owed.pk).people.get().pk == ada_id
    assert "Send the paper" in html(owner_client.get("/today/"))
    assert "The trash is empty." in html(owner_client.get("/trash/"))


def test_the_trash_is_linked_from_settings(owner_client):
    assert 'href="/trash/"' in html(owner_client.get("/settings/"))


def test_a_refused_restore_says_why(owner_client, network, owner, ada):
    ada_id = ada.pk
    owner_client.post(f"/people/{ada_id}/delete/")
    Person.objects.create(pk=ada_id, network=network, full_name="Someone Else")

    response = owner_client.post(f"/trash/{TrashedItem.objects.get().pk}/restore/", follow=True)

    assert "exists again; nothing was restored" in html(response)
    assert TrashedItem.objects.exists()


def test_a_teammate_restores_what_the_owner_deleted(network, owner, teammate, ada):
    client_for(owner).post(f"/people/{ada.pk}/delete/")
    item = TrashedItem.objects.get()
    teammate.current_network = network
    teammate.save()

    response = client_for(teammate).post(f"/trash/{item.pk}/restore/")

    assert response.status_code == 302
    assert not TrashedItem.objects.exists()


def test_a_viewer_sees_the_trash_but_cannot_restore_or_delete(
    network, owner, viewer, viewer_client, ada
):
    client_for(owner).post(f"/people/{ada.pk}/delete/")
    item = TrashedItem.objects.get()
    viewer.current_network = network
    viewer.save()

    page = html(viewer_client.get("/trash/"))
    assert "Ada Lovelace" in page and "Restore</button>" not in page
    assert viewer_client.post(f"/trash/{item.pk}/restore/").status_code == 403
    grace = make_person(network, "Grace Hopper")
    assert viewer_client.post(f"/people/{grace.pk}/delete/").status_code == 403
    assert TrashedItem.objects.count() == 1 and Person.objects.filter(pk=grace.pk).exists()


def test_an_outsider_finds_nothing(network, owner, outsider_client, ada):
    ada_id = ada.pk
    client_for(owner).post(f"/people/{ada_id}/delete/")
    item = TrashedItem.objects.get()

    assert outsider_client.post(f"/trash/{item.pk}/restore/").status_code == 404
    assert "Ada Lovelace" not in html(outsider_client.get("/trash/"))
    assert TrashedItem.objects.exists()
