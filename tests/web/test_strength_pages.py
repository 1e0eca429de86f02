"""Relationship strength on the web: the person page's panel, People sorted by strength,
and the weights in Settings (owners and editors change them; viewers and outsiders not)."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import StrengthSettings
from kithkin.queries import strength as queries
from tests.conftest import TODAY
from tests.factories import log, make_person

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def ada(network):
    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=days_ago(12), kind="meeting", direction="inbound")
    return ada


def test_the_person_page_shows_the_score_its_trend_and_its_words(owner_client, ada):
    page = owner_client.get(f"/people/{ada.pk}/").content.decode()
    assert 'id="strength-panel"' in page
    assert "Last in touch 12 days ago; 1 interaction in the past year" in page
    assert "since 90 days ago" in page


def test_no_panel_for_someone_without_contact(owner_client, network):
    grace = make_person(network, "Grace Hopper")
    assert 'id="strength-panel"' not in owner_client.get(f"/people/{grace.pk}/").content.decode()


def test_people_sort_by_strength_strongest_first(owner_client, network, ada):
    bob = make_person(network, "Bob Often")
    for n in range(1, 200, 20):
        log(network, bob, on=days_ago(n), kind="meeting")
    make_person(network, "Aaron Never")
    page = owner_client.get("/people/?sort=strength").content.decode()
    assert page.index("Bob Often") < page.index("Ada Lovelace") < page.index("Aaron Never")
    assert "strength " in page


def test_an_editor_chooses_a_preset_or_weights(owner_client, network, ada):
    before = queries.of_person(network, ada)
    response = owner_client.post("/settings/strength/", {"preset": "meetings"})
    assert response.status_code == 302
    assert queries.weights(network).preset == "meetings"
    owner_client.post(
        "/settings/strength/",
        {
            "preset": "custom",
            "recency": "10",
            "frequency": "0",
            "depth": "0",
            "continuity": "0",
            "reciprocity": "0",
            "given": "0",
            "received": "0",
        },
    )
    after = queries.of_person(network, ada)
    assert after is not None and before is not None
    assert after.words == ("last in touch 12 days ago",) and after.score > before.score
    page = owner_client.get("/settings/").content.decode()
    assert 'id="strength"' in page and 'action="/settings/strength/"' in page


def test_bad_weights_are_refused_with_a_message(owner_client, network):
    response = owner_client.post(
        "/settings/strength/", {"preset": "custom", "recency": "11"}, follow=True
    )
    assert "Relationship strength:" in response.content.decode()
    assert not StrengthSettings.objects.filter(network=network).exclude(weights={}).exists()


def test_a_viewer_sees_the_weights_and_cannot_change_them(viewer_client, viewer, network):
    viewer.current_network = network
    viewer.save(update_fields=["current_network"])
    page = viewer_client.get("/settings/").content.decode()
    assert "Relationship strength" in page and 'action="/settings/strength/"' not in page
    assert viewer_client.post("/settings/strength/", {"preset": "giving"}).status_code == 403
    assert queries.weights(network).preset == "balanced"


def test_an_outsider_changes_only_their_own_network(outsider_client, outsider, network, ada):
    assert outsider_client.get(f"/people/{ada.pk}/").status_code == 404
    outsider_client.post("/settings/strength/", {"preset": "giving"})
    assert queries.weights(network).preset == "balanced"


def test_the_brief_says_how_strong_the_relationship_is(owner_client, kith, ada):
    page = owner_client.get(f"/people/{ada.pk}/brief/").content.decode()
    assert 'id="brief-strength"' in page and "Last in touch 12 days ago" in page
    assert "Strength: " in kith("brief", "Ada").stdout
