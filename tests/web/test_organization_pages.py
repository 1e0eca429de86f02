"""Editing, merging and deleting an organization in the web app: the owner does it, a
viewer may not (nothing written), an outsider finds nothing (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kithkin.models import Affiliation, Organization
from kithkin.services.affiliations import add_affiliation
from tests.factories import make_person, network_of
from tests.factories_memberships import make_organization
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def viewer_client(network, viewer):
    """A viewer working in the owner's network."""
    viewer.current_network = network
    viewer.save()
    return client_for(viewer)


@pytest.fixture
def acm(network, owner):
    acm = make_organization(network, "ACM", kind="association", tags=["computing"])
    make_person(network, "Grace Hopper", organization="ACM", title="Member")
    return acm


@pytest.fixture
def twin(network, owner):
    twin = make_organization(network, "Assoc. for Computing Machinery", website="https://acm.org")
    ada = make_person(network, "Ada Lovelace")
    add_affiliation(network, owner, ada, organization=twin.name, title="Fellow")
    return twin


def snapshot(network):
    return (
        list(Organization.objects.filter(network=network).order_by("pk").values()),
        list(Affiliation.objects.filter(person__network=network).order_by("pk").values()),
    )


def test_the_organization_page_offers_edit_merge_and_delete(owner_client, viewer_client, acm):
    page = html(owner_client.get(reverse("organization", args=[acm.pk])))
    for name in ("organization_edit", "organization_merge", "organization_delete"):
        assert reverse(name, args=[acm.pk]) in page
    page = html(viewer_client.get(reverse("organization", args=[acm.pk])))
    assert reverse("organization_edit", args=[acm.pk]) not in page


def test_edit_form_saves_and_refuses_a_taken_name(owner_client, network, acm, twin):
    url = reverse("organization_edit", args=[acm.pk])
    form = html(owner_client.get(url))
    assert 'value="ACM"' in form and 'value="computing"' in form
    taken = {"name": "assoc. for computing machinery", "kind": "association", "tags": ""}
    page = html(owner_client.post(url, taken))
    assert "Assoc. for Computing Machinery is already an organization" in page
    assert Organization.objects.get(pk=acm.pk).name == "ACM"
    response = owner_client.post(
        url,
        {"name": "A.C.M.", "kind": "community", "website": "acm.org", "tags": "cs, acm"},
        follow=True,
    )
    assert "Saved A.C.M." in html(response)
    acm.refresh_from_db()
    assert (acm.name, acm.kind, acm.website) == ("A.C.M.", "community", "https://acm.org")
    assert sorted(acm.tags.values_list("name", flat=True)) == ["acm", "cs"]


def test_merge_picker_previews_then_merges(owner_client, network, acm, twin):
    url = reverse("organization_merge", args=[acm.pk])
    picker = html(owner_client.get(url))
    assert '<option value="Assoc. for Computing Machinery">' in picker
    assert '<option value="ACM">' not in picker
    preview = html(owner_client.get(url, {"other": "assoc"}))
    assert "Merge Assoc. for Computing Machinery into ACM?" in preview
    assert "Ada Lovelace (Fellow)" in preview
    assert Organization.objects.filter(pk=twin.pk).exists()  # a preview writes nothing
    unknown = html(owner_client.get(url, {"other": "Nowhere Inc"}))
    assert "No organization called &#x27;Nowhere Inc&#x27;" in unknown
    response = owner_client.post(url, {"other": twin.pk}, follow=True)
    assert "Merged Assoc. for Computing Machinery into ACM." in html(response)
    assert not Organization.objects.filter(pk=twin.pk).exists()
    assert sorted(
        Affiliation.objects.filter(organization=acm).values_list("person__full_name", flat=True)
    ) == ["Ada Lovelace", "Grace Hopper"]


def test_delete_asks_with_what_goes_then_deletes(owner_client, network, acm):
    url = reverse("organization_delete", args=[acm.pk])
    page = html(owner_client.get(url))
    assert "This removes 1 affiliation with it:" in page
    assert "Grace Hopper · Member" in page
    response = owner_client.post(url, follow=True)
    assert "Deleted ACM and 1 affiliation." in html(response)
    assert not Organization.objects.filter(pk=acm.pk).exists()


@pytest.mark.parametrize("name", ["organization_edit", "organization_merge", "organization_delete"])
def test_a_viewer_may_not_change_organizations(viewer_client, network, acm, twin, name):
    before = snapshot(network)
    url = reverse(name, args=[acm.pk])
    assert viewer_client.get(url).status_code == 403
    data = {"name": "Hacked", "kind": "company", "other": twin.pk}
    assert viewer_client.post(url, data).status_code == 403
    assert snapshot(network) == before


@pytest.mark.parametrize("name", ["organization_edit", "organization_merge", "organization_delete"])
def test_an_outsider_finds_nothing(outsider_client, outsider, network, acm, twin, name):
    before = snapshot(network)
    url = reverse(name, args=[acm.pk])
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(url, {"name": "Hacked", "other": twin.pk}).status_code == 404
    assert snapshot(network) == before


def test_merging_in_another_networks_organization_is_not_found(owner_client, outsider, acm):
    theirs = make_organization(network_of(outsider), "Theirs")
    url = reverse("organization_merge", args=[acm.pk])
    assert owner_client.post(url, {"other": theirs.pk}).status_code == 404
    assert owner_client.get(url, {"other": f"#{theirs.pk}"}).status_code == 200
    assert Organization.objects.filter(pk=theirs.pk).exists()
