"""The API's memberships: anyone's read, mine joined, changed, renewed and left."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Affiliation
from tests.api.practices import items, queries_of
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_memberships import make_membership, make_organization

pytestmark = pytest.mark.django_db


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}/memberships{rest}"


def contacts_membership(network, person, organization) -> Affiliation:
    return Affiliation.objects.create(
        person=person, organization=organization, kind=Affiliation.Kind.MEMBERSHIP, title="chair"
    )


def test_memberships_mine_and_others_next_renewal_first(owner_api, network):
    make_membership(network, "ACM", renews_on=TODAY + dt.timedelta(days=40))
    make_membership(network, "IEEE", renews_on=TODAY + dt.timedelta(days=10))
    ada = make_person(network, "Ada Lovelace")
    contacts_membership(network, ada, make_organization(network, "Guild"))
    rows = items(owner_api.get(url(network)))
    assert [(r["organization"]["name"], r["mine"]) for r in rows] == [
        ("IEEE", True),
        ("ACM", True),
        ("Guild", False),
    ]
    theirs = items(owner_api.get(url(network, f"?person={ada.pk}")))
    assert [(r["person"]["name"], r["role"]) for r in theirs] == [("Ada Lovelace", "chair")]
    assert len(items(owner_api.get(url(network, "?mine=true")))) == 2


def test_the_memberships_list_costs_the_same_queries_for_two_rows_or_ten(owner_api, network):
    for n in range(2):
        make_membership(network, f"A{n}")
    few = queries_of(lambda: owner_api.get(url(network)))
    for n in range(8):
        make_membership(network, f"B{n}")
    assert queries_of(lambda: owner_api.get(url(network))) == few


def test_joining_then_updating_the_same_membership(teammate_api, network):
    joined = teammate_api.call("POST", url(network), {"organization": "ACM", "role": "member"})
    assert joined.status_code == 201, joined.content
    assert (joined.json()["new_organization"], joined.json()["role"]) == (True, "member")
    again = teammate_api.call("POST", url(network), {"organization": "acm", "role": "treasurer"})
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["role"]) == (joined.json()["id"], "treasurer")
    nameless = teammate_api.call("POST", url(network), {})
    assert nameless.status_code == 422 and nameless.json()["errors"][0]["field"] == "organization"


def test_renewing_changing_and_leaving_my_membership(owner_api, network):
    membership = make_membership(network, "ACM", renews_on=TODAY + dt.timedelta(days=3))
    path = url(network, f"/{membership.pk}")
    early = owner_api.call("POST", f"{path}/renew", {"until": TODAY.isoformat()})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "until"
    renewed = owner_api.call("POST", f"{path}/renew", {"until": "2027-02-20"})
    assert renewed.json()["renews_on"] == "2027-02-20"
    etag = owner_api.get(path)["ETag"]
    changed = owner_api.patch(path, {"role": "board member"}, if_match=etag)
    assert changed.json()["role"] == "board member"
    assert owner_api.patch(path, {"role": "chair"}, if_match=etag).status_code == 412
    left = owner_api.call("POST", f"{path}/leave")
    assert left.json()["until"] == TODAY.isoformat()
    assert owner_api.call("POST", f"{path}/leave").status_code == 422


def test_a_contacts_membership_is_read_but_not_changed_here(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    theirs = contacts_membership(network, ada, make_organization(network, "Guild"))
    path = url(network, f"/{theirs.pk}")
    assert owner_api.get(path).json()["person"]["name"] == "Ada Lovelace"
    refused = owner_api.call("POST", f"{path}/leave")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "membership"


def test_a_job_is_not_a_membership(owner_api, network):
    job = Affiliation.objects.create(
        person=make_person(network, "Ada Lovelace"),
        organization=make_organization(network, "Babbage", kind="company"),
        kind=Affiliation.Kind.EMPLOYMENT,
    )
    assert owner_api.get(url(network, f"/{job.pk}")).status_code == 404


def test_a_viewer_joins_nothing(viewer_api, network):
    assert viewer_api.call("POST", url(network), {"organization": "ACM"}).status_code == 403
    assert not Affiliation.objects.exists()
