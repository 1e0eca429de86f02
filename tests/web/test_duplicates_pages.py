"""The Duplicates page, the merge preview, merging and dismissing, as each user sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.models import DismissedDuplicate, Person
from kithkin.services import duplicates
from tests.factories import log, make_person, network_of

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def twins(network):
    ada = make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        organization="Analytical Engines",
        title="CTO",
    )
    augusta = make_person(
        network, "Augusta King", emails=["ada@example.org", "augusta@example.org"], tags=["poetry"]
    )
    log(network, augusta, on=dt.date(2026, 2, 1), summary="Tea with Augusta")
    return ada, augusta


def test_the_list_shows_each_pair_with_its_score_reasons_and_actions(owner_client, twins):
    ada, augusta = twins
    page = html(owner_client.get("/duplicates/"))
    assert "<h1>Duplicates</h1>" in page and 'aria-current="page">People</a>' in page
    assert "Ada Lovelace" in page and "CTO at Analytical Engines" in page
    assert "Augusta King" in page and "0.95" in page and "same email ada@example.org" in page
    assert f'href="/duplicates/merge/{ada.pk}/{augusta.pk}/"' in page  # merge into left
    assert f'href="/duplicates/merge/{augusta.pk}/{ada.pk}/"' in page  # merge into right
    assert f'action="/duplicates/dismiss/{ada.pk}/{augusta.pk}/"' in page
    assert "Not the same person" in page


def test_without_pairs_the_page_says_so(owner_client, network):
    make_person(network, "Ada Lovelace")
    assert "No likely duplicates" in html(owner_client.get("/duplicates/"))


def test_the_preview_shows_what_the_kept_person_gets_and_changes_nothing(owner_client, twins):
    ada, augusta = twins
    page = html(owner_client.get(f"/duplicates/merge/{ada.pk}/{augusta.pk}/"))
    assert "Merge Augusta King into Ada Lovelace?" in page
    assert "augusta@example.org" in page and "#poetry" in page
    assert "Already there: ada@example.org" in page
    assert "1 moved" in page
    assert "Also recorded as Augusta King." in page  # the notes after
    assert f'action="/duplicates/merge/{ada.pk}/{augusta.pk}/"' in page
    assert Person.objects.filter(pk=augusta.pk).exists()


def test_confirming_merges_and_shows_the_kept_person(owner_client, twins):
    ada, augusta = twins
    response = owner_client.post(f"/duplicates/merge/{ada.pk}/{augusta.pk}/")
    assert response.status_code == 302 and response.url == f"/people/{ada.pk}/"
    page = html(owner_client.get(response.url))
    assert "Merged Augusta King into Ada Lovelace." in page
    assert "Tea with Augusta" in page and "augusta@example.org" in page
    assert not Person.objects.filter(pk=augusta.pk).exists()
    assert "No likely duplicates" in html(owner_client.get("/duplicates/"))


def test_merging_me_into_someone_is_refused_with_a_message(owner_client, network):
    me = Person.objects.get(network=network, is_self=True)
    olive = make_person(network, "Olive Owner")
    response = owner_client.post(f"/duplicates/merge/{olive.pk}/{me.pk}/", follow=True)
    assert "merge them into you instead" in html(response)
    assert Person.objects.filter(pk=me.pk).exists()


def test_not_the_same_person_is_remembered(owner_client, twins):
    ada, augusta = twins
    response = owner_client.post(f"/duplicates/dismiss/{augusta.pk}/{ada.pk}/")
    assert response.status_code == 302 and response.url == "/duplicates/"
    page = html(owner_client.get("/duplicates/"))
    assert "Noted: Augusta King and Ada Lovelace are two people." in page
    assert "No likely duplicates" in page
    assert DismissedDuplicate.objects.get().person_a_id == ada.pk


def test_dismissing_with_htmx_swaps_the_row_out(owner_client, twins):
    ada, augusta = twins
    response = owner_client.post(
        f"/duplicates/dismiss/{ada.pk}/{augusta.pk}/", HTTP_HX_REQUEST="true"
    )
    assert (response.status_code, response.content) == (200, b"")
    assert DismissedDuplicate.objects.count() == 1


def test_a_viewer_sees_the_list_but_may_not_merge_or_dismiss(viewer_client, viewer, network, twins):
    viewer.current_network = network
    viewer.save()
    ada, augusta = twins
    page = html(viewer_client.get("/duplicates/"))
    assert "Augusta King" in page and "same email ada@example.org" in page
    assert "Merge into left" not in page and "Not the same person" not in page
    merge = f"/duplicates/merge/{ada.pk}/{augusta.pk}/"
    assert viewer_client.get(merge).status_code == 403
    assert viewer_client.post(merge).status_code == 403
    assert viewer_client.post(f"/duplicates/dismiss/{ada.pk}/{augusta.pk}/").status_code == 403
    assert Person.objects.filter(pk=augusta.pk).exists()
    assert not DismissedDuplicate.objects.exists()


def test_an_outsider_gets_not_found_for_another_networks_people(outsider_client, outsider, twins):
    ada, augusta = twins
    mine = make_person(network_of(outsider), "Ada Lovelace", emails=["ada@example.org"])
    for path in (
        f"/duplicates/merge/{ada.pk}/{augusta.pk}/",
        f"/duplicates/merge/{mine.pk}/{augusta.pk}/",
        f"/duplicates/merge/{ada.pk}/{mine.pk}/",
    ):
        assert outsider_client.get(path).status_code == 404, path
        assert outsider_client.post(path).status_code == 404, path
    assert outsider_client.post(f"/duplicates/dismiss/{mine.pk}/{ada.pk}/").status_code == 404
    assert "Augusta" not in html(outsider_client.get("/duplicates/"))
    assert Person.objects.filter(pk__in=[ada.pk, augusta.pk, mine.pk]).count() == 3
    assert not DismissedDuplicate.objects.exists()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(network, start: int, count: int) -> None:
    """Pairs of every kind: the same email, a nickname at the same organization, namesakes."""
    for i in range(start, start + count):
        make_person(network, f"Robert Pair{i}", emails=[f"p{i}@example.org"], organization="Acme")
        make_person(network, f"Bob Pair{i}", emails=[f"p{i}@example.org"], organization="Acme")
        make_person(network, f"Grace Namesake{i}", organization=f"Org {i}")
        make_person(network, f"Grace Namesake{i}")


def test_the_duplicates_page_does_not_grow_with_the_network(owner_client, network):
    """Reading the stored pairs; the first visit after a change computes them again."""
    grow(network, 0, 2)
    owner_client.get("/duplicates/")
    small = queries(owner_client, "/duplicates/")
    grow(network, 2, 8)
    owner_client.get("/duplicates/")
    assert queries(owner_client, "/duplicates/") == small


def test_a_large_network_is_computed_in_the_background_and_the_page_says_so(
    network, owner_client, monkeypatch
):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    make_person(network, "Augusta King", emails=["ADA@example.org"])
    duplicates.ensure_current(network)
    started: list[int] = []
    monkeypatch.setattr(duplicates, "INLINE_UP_TO", 1)
    monkeypatch.setattr(duplicates, "_enqueue_refresh", started.append)
    make_person(network, "Augusta Ada King", emails=["ada@example.org"])
    page = owner_client.get("/duplicates/").content.decode()
    assert started == [network.pk]
    assert "Checking the latest changes" in page
    assert "Ada Lovelace" in page  # the stored pairs, meanwhile
    assert duplicates.status(network).pending
