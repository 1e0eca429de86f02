"""The API's likely duplicates: pairs, a merge previewed then done, a pair dismissed."""

from __future__ import annotations

import pytest

from kithkin.models import DismissedDuplicate, Interaction, Person
from tests.conftest import TODAY
from tests.factories import log, make_person
from tests.factories_ledger import me

pytestmark = pytest.mark.django_db


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}/duplicates{rest}"


def test_pairs_previews_and_a_merge_that_keeps_everything(owner_api, network):
    keep = make_person(network, "Grace Hopper")
    other = make_person(network, "Grace Hopper")
    log(network, other, on=TODAY)
    pairs = owner_api.get(url(network)).json()
    assert [(p["a"]["id"], p["b"]["id"]) for p in pairs] == [(keep.pk, other.pk)]
    preview = owner_api.get(url(network, f"/{keep.pk}/{other.pk}/merge")).json()
    assert preview["interactions_moved"] == 1
    assert Person.objects.filter(pk=other.pk).exists()
    merged = owner_api.call("POST", url(network, f"/{keep.pk}/{other.pk}/merge"))
    assert merged.status_code == 200, merged.content
    assert (merged.json()["merged"], merged.json()["person"]["id"]) == (True, keep.pk)
    assert not Person.objects.filter(pk=other.pk).exists()
    assert Interaction.objects.filter(participants=keep).count() == 1
    assert owner_api.get(url(network)).json() == []


def test_a_person_is_not_merged_with_themself_nor_me_into_someone(owner_api, network):
    grace = make_person(network, "Grace Hopper")
    same = owner_api.call("POST", url(network, f"/{grace.pk}/{grace.pk}/merge"))
    assert same.status_code == 422
    mine = owner_api.call("POST", url(network, f"/{grace.pk}/{me(network).pk}/merge"))
    assert mine.status_code == 422
    assert Person.objects.filter(pk=me(network).pk).exists()


def test_a_dismissed_pair_is_never_suggested_again(teammate_api, viewer_api, network):
    a, b = make_person(network, "Grace Hopper"), make_person(network, "Grace Hopper")
    assert viewer_api.call("POST", url(network, f"/{a.pk}/{b.pk}/dismiss")).status_code == 403
    assert teammate_api.call("POST", url(network, f"/{b.pk}/{a.pk}/dismiss")).status_code == 204
    assert DismissedDuplicate.objects.filter(person_a=a, person_b=b).exists()
    assert teammate_api.get(url(network)).json() == []


def test_people_of_another_network_are_404(owner_api, network, outsider):
    from tests.factories import network_of

    grace = make_person(network, "Grace Hopper")
    stranger = make_person(network_of(outsider), "Grace Hopper")
    assert (
        owner_api.call("POST", url(network, f"/{grace.pk}/{stranger.pk}/merge")).status_code == 404
    )
    assert Person.objects.filter(pk=stranger.pk).exists()


def test_pairs_cost_the_same_queries_for_one_pair_or_four(owner_api, network):
    from tests.api.practices import queries_of

    make_person(network, "Grace Hopper"), make_person(network, "Grace Hopper")
    owner_api.get(url(network))  # the pairs are computed and stored on the first read
    few = queries_of(lambda: owner_api.get(url(network)))
    for name in ("Alan Turing", "Barbara Liskov", "Edsger Dijkstra"):
        make_person(network, name), make_person(network, name)
    assert len(owner_api.get(url(network)).json()) == 4
    assert queries_of(lambda: owner_api.get(url(network))) == few
