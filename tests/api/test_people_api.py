"""People in the API: the list (filters, sorts, cursor pages), the card, add, edit with
If-Match, archive, the timeline — each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kithkin.models import Person
from tests.api.conftest import caller
from tests.factories import log, make_person

pytestmark = pytest.mark.django_db


def base(network) -> str:
    return f"/api/v1/networks/{network.pk}"


def every_page(api, path: str) -> tuple[list[dict], int]:
    items, pages, url = [], 0, path
    while url:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        pages += 1
        assert (body["next"] is None) == ("Link" not in response)
        url = response["Link"][1:].split(">")[0] if body["next"] else None
    return items, pages


@pytest.mark.parametrize("sort", ["name", "due", "recent", "added"])
def test_every_sort_pages_without_duplicates_or_gaps(owner_api, network, sort):
    for i, name in enumerate(["Ada", "Ada", "Bo", "Bo", "Bo", "Cy", "Di"]):
        person = make_person(network, name, circle="close" if i % 2 else "")
        if i % 3 == 0:
            log(network, person, on=dt.date(2025, 12, 1 + i))
    expected = Person.objects.filter(network=network, is_self=False).count()
    items, pages = every_page(owner_api, f"{base(network)}/people?sort={sort}&limit=2")
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == expected
    assert pages == 4
    if sort == "name":
        assert [item["name"] for item in items] == sorted(item["name"] for item in items)


def test_filters_match_the_people_page(owner_api, network):
    ada = make_person(network, "Ada Lovelace", circle="close", tags=["maths"], organization="ACME")
    make_person(network, "Bob Babbage", circle="regular")
    archived = make_person(network, "Cy Archived")
    owner_api.call("DELETE", f"{base(network)}/people/{archived.pk}")

    def names(query: str) -> list[str]:
        response = owner_api.get(f"{base(network)}/people?{query}")
        assert response.status_code == 200, response.content
        return [item["name"] for item in response.json()["items"]]

    assert names("") == ["Ada Lovelace", "Bob Babbage"]
    assert names("circle=close") == ["Ada Lovelace"]
    assert names("tag=Maths") == ["Ada Lovelace"]
    org = ada.affiliations.get().organization_id
    assert names(f"organization={org}") == ["Ada Lovelace"]
    assert names("q=babb") == ["Bob Babbage"]
    assert names("status=archived") == ["Cy Archived"]
    Person.objects.filter(pk=ada.pk).update(check_in_due_on=dt.date(2020, 1, 1))
    assert names("due=true") == names("status=due") == ["Ada Lovelace"]
    response = owner_api.get(f"{base(network)}/people?sort=bogus")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sort"
    response = owner_api.get(f"{base(network)}/people?cursor=garbage")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "cursor"


def test_listing_people_takes_the_same_queries_for_any_page_size(
    owner_api, network, django_assert_max_num_queries
):
    for i in range(30):
        make_person(network, f"Person {i:02d}", tags=["t"], organization=f"Org {i % 3}")
    with django_assert_max_num_queries(8):
        assert len(owner_api.get(f"{base(network)}/people?limit=25").json()["items"]) == 25
    with django_assert_max_num_queries(9):
        owner_api.get(f"{base(network)}/people?limit=25&q=person&tag=t")


def test_the_card_add_edit_and_archive(owner_api, network, django_assert_max_num_queries):
    response = owner_api.call(
        "POST",
        f"{base(network)}/people",
        {"full_name": "Grace Hopper", "emails": ["grace@navy.mil"], "tags": ["cobol"]},
    )
    assert response.status_code == 201, response.content
    card = response.json()
    assert card["name"] == "Grace Hopper" and card["tags"] == ["cobol"]
    assert card["contact_points"][0]["value"] == "grace@navy.mil"
    url = f"{base(network)}/people/{card['id']}"
    with django_assert_max_num_queries(16):
        got = owner_api.get(url)
    assert got.json() == card and got["ETag"] == response["ETag"]

    changed = owner_api.patch(
        url,
        {"headline": "Admiral", "birthday": "--12-09", "cadence_days": 30},
        **{"If-Match": got["ETag"]},
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["headline"] == "Admiral"
    assert changed["ETag"] != got["ETag"]
    person = Person.objects.get(pk=card["id"])
    assert (person.birthday_month, person.birthday_day, person.cadence_days) == (12, 9, 30)

    stale = owner_api.patch(url, {"headline": "Rear Admiral"}, **{"If-Match": got["ETag"]})
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert Person.objects.get(pk=card["id"]).headline == "Admiral"

    assert owner_api.patch(url, {"cadence_days": None}).status_code == 200
    assert Person.objects.get(pk=card["id"]).cadence_days is None

    gone = owner_api.call("DELETE", url, **{"If-Match": got["ETag"]})
    assert gone.status_code == 412
    gone = owner_api.call("DELETE", url, **{"If-Match": changed["ETag"]})
    assert gone.status_code == 412  # the cadence changed since
    gone = owner_api.call("DELETE", url)
    assert gone.status_code == 200 and gone.json()["archived"] is True
    assert Person.objects.get(pk=card["id"]).archived_at is not None


def test_invalid_input_names_the_field(owner_api, network):
    ada = make_person(network, "Ada")
    url = f"{base(network)}/people/{ada.pk}"
    for body, field in [
        ({"circle": "nope"}, "circle"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"birthday": "1990-02-30"}, "birthday"),
        ({"birthday": "soon"}, "birthday"),
        ({"cadence_days": 0}, "cadence_days"),
        ({"unknown": 1}, "unknown"),
    ]:
        response = owner_api.patch(url, body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["errors"][0]["field"] == field
    response = owner_api.call("POST", f"{base(network)}/people", {"full_name": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "full_name"


def test_another_networks_person_is_not_found(owner_api, network, outsider):
    theirs = make_person(outsider.current_network, "Secret Person")
    for method in ["GET", "PATCH", "DELETE"]:
        body = {"headline": "x"} if method == "PATCH" else None
        response = owner_api.call(method, f"{base(network)}/people/{theirs.pk}", body)
        assert response.status_code == 404
        assert b"Secret" not in response.content
    assert owner_api.get(f"{base(network)}/people/{theirs.pk}/timeline").status_code == 404


def test_a_viewer_reads_but_cannot_write(viewer, network):
    ada = make_person(network, "Ada")
    api = caller(viewer, "read")
    assert api.get(f"{base(network)}/people/{ada.pk}").status_code == 200
    assert api.patch(f"{base(network)}/people/{ada.pk}", {"headline": "x"}).status_code == 403


def test_the_timeline_pages_newest_first(owner_api, network, django_assert_max_num_queries):
    ada, bob = make_person(network, "Ada"), make_person(network, "Bob")
    for day in range(1, 6):
        log(network, [ada, bob] if day % 2 else ada, on=dt.date(2025, 11, day), summary=f"d{day}")
    log(network, bob, on=dt.date(2025, 11, 9))
    url = f"{base(network)}/people/{ada.pk}/timeline?limit=2"
    with django_assert_max_num_queries(8):
        first = owner_api.get(url)
    items, pages = every_page(owner_api, url)
    assert [i["summary"] for i in items] == ["d5", "d4", "d3", "d2", "d1"]
    assert items[0]["others"] == ["Bob"] and items[1]["others"] == []
    assert pages == 3 and json.loads(first.content)["items"] == items[:2]
