"""Cursor pages and ETags, the building blocks of every list and every conditional write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory

from kithkin.api import etags, paging
from kithkin.models import Person
from kithkin.schemas.base import PersonRef
from tests.factories import make_person

pytestmark = pytest.mark.django_db

BY_NAME = paging.Ordering("name", (paging.Key("full_name"),))
BY_DUE = paging.Ordering("due", (paging.Key("check_in_due_on", nullable=True),))
BY_DUE_DESC = paging.Ordering(
    "due-desc", (paging.Key("check_in_due_on", descending=True, nullable=True),)
)


def every_page(rows, ordering, limit):
    seen, cursor, pages = [], None, 0
    while True:
        found, cursor = paging.page_of(rows, ordering, cursor, limit)
        seen += [p.pk for p in found]
        pages += 1
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("ordering", [BY_NAME, BY_DUE, BY_DUE_DESC])
@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_pages_by_a_non_unique_key_have_no_duplicates_or_gaps(network, ordering, limit):
    names = ["Ada", "Ada", "Ada", "Bo", "Bo", "Cy", "Ada", "Di"]
    dues = [None, dt.date(2026, 1, 1), None, dt.date(2026, 1, 1), None, dt.date(2025, 5, 1)]
    for i, name in enumerate(names):
        person = make_person(network, name)
        Person.objects.filter(pk=person.pk).update(check_in_due_on=dues[i % len(dues)])
    rows = Person.objects.filter(network=network, is_self=False)
    expected = [p.pk for p in rows.order_by(*ordering.order_by())]
    seen, pages = every_page(rows, ordering, limit)
    assert seen == expected and len(set(seen)) == len(names)
    assert pages == max(1, -(-len(names) // limit))
    if ordering is BY_DUE:  # nulls last
        dues_seen = [Person.objects.get(pk=pk).check_in_due_on for pk in seen]
        assert dues_seen[-1] is None and dues_seen[0] == dt.date(2025, 5, 1)


def test_a_row_added_between_pages_neither_repeats_nor_hides_another(network):
    for name in ["Ada", "Bo", "Cy", "Di"]:
        make_person(network, name)
    rows = Person.objects.filter(network=network, is_self=False)
    first, cursor = paging.page_of(rows, BY_NAME, None, 2)
    make_person(network, "Aaron")  # sorts before the cursor: not on the next page
    second, cursor = paging.page_of(rows, BY_NAME, cursor, 2)
    assert [p.full_name for p in first + second] == ["Ada", "Bo", "Cy", "Di"]
    assert cursor is None


def test_a_foreign_or_forged_cursor_is_invalid_input_on_cursor(network):
    make_person(network, "Ada")
    make_person(network, "Bo")
    rows = Person.objects.filter(network=network, is_self=False)
    _, cursor = paging.page_of(rows, BY_NAME, None, 1)
    assert cursor is not None
    for bad in ["nonsense!", paging.encode(BY_NAME, ["x"]), cursor]:
        with pytest.raises(paging.BadCursor) as raised:
            paging.page_of(rows, BY_DUE if bad == cursor else BY_NAME, bad, 1)
        assert raised.value.errors[0]["loc"] == ("query", "cursor")


def test_the_link_header_keeps_the_filters_and_replaces_the_cursor():
    request = RequestFactory().get("/api/v1/networks/1/people", {"tag": "x", "cursor": "old"})
    assert paging.next_link(request, "new") == (
        "http://testserver/api/v1/networks/1/people?tag=x&cursor=new"
    )


def test_an_etag_is_strong_and_if_match_is_compared_strongly(network):
    ada = make_person(network, "Ada")
    tag = etags.of_shape(PersonRef.of(ada))
    assert tag.startswith('"') and tag == etags.of_shape(PersonRef.of(ada))
    assert tag != etags.of_shape(PersonRef(id=ada.pk, name="Ada L."))
    assert etags.stamped(ada).startswith(f'"person-{ada.pk}-')

    def request(header):
        extra = {"HTTP_IF_MATCH": header} if header is not None else {}
        return RequestFactory().patch("/", **extra)

    for ok in [None, "*", tag, f'"other", {tag}']:
        etags.require(request(ok), lambda: tag)
    for stale in ['"other"', f"W/{tag}"]:
        with pytest.raises(etags.PreconditionFailed) as raised:
            etags.require(request(stale), lambda: tag)
        assert raised.value.status_code == 412
