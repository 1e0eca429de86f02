"""The ledger page, its forms, the person panel and the Thank button on Today."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Interaction, Network, ValueExchange
from tests.factories import make_person
from tests.factories_ledger import gave, me, received
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace", emails=["ada@example.org"])


@pytest.fixture
def grace(network):
    return make_person(network, "Grace Hopper")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_ledger_page_shows_the_balance_and_both_lists(owner_client, network, ada, grace):
    received(network, ada, "referral", "Hiring manager at Babbage & Co", weight=4)
    received(network, grace, "gift", "A book", on=dt.date(2026, 1, 2))
    gave(network, grace, "advice", "Reviewed her CV", on=dt.date(2026, 1, 20))
    page = html(owner_client.get("/ledger/"))
    assert "You gave <strong>2</strong> (1 time) and received <strong>6</strong> (2 times)" in page
    assert "you have received more" in page
    helpers = page.split('id="helpers-heading"')[1].split("</section>")[0]
    assert helpers.index("Ada Lovelace") < helpers.index("Grace Hopper")
    give_back = page.split('id="give-back-heading"')[1].split("</section>")[0]
    assert "Ada Lovelace" in give_back and "you never gave them anything" in give_back
    assert "Grace Hopper" not in give_back
    assert "Hiring manager at Babbage &amp; Co" in page and "not thanked" in page
    assert "Record an exchange" in page and 'name="days" min="0" max="365" value="3"' in page


def test_record_a_gift_received_from_the_ledger_form(owner_client, network, ada):
    response = owner_client.post(
        "/ledger/",
        {
            "action": "got",
            "person": "ada",
            "kind": "referral",
            "description": "Hiring manager",
            "on": "2026-02-14",
            "weight": "3",
        },
    )
    assert response.status_code == 302 and response.url == "/ledger/"
    exchange = ValueExchange.objects.get()
    assert (exchange.giver, exchange.receiver, exchange.weight) == (ada, me(network), 3)
    assert exchange.occurred_on == dt.date(2026, 2, 14)
    page = html(owner_client.get("/ledger/"))
    assert "Ada Lovelace gave you referral. Remember to thank them." in page


def test_record_an_introduction_from_the_ledger_form(owner_client, network, ada, grace):
    response = owner_client.post(
        "/ledger/",
        {
            "action": "intro",
            "person": "Ada Lovelace",
            "other": "Grace",
            "kind": "introduction",
            "description": "both work on compilers",
            "weight": "2",
        },
    )
    assert response.status_code == 302
    assert ValueExchange.objects.filter(kind="introduction").count() == 2
    assert Interaction.objects.get().summary == (
        "Introduced Ada Lovelace and Grace Hopper: both work on compilers"
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"person": "Nobody Atall"}, "No one"),
        ({"person": "me"}, "that is you"),
        ({"on": "2026-03-01"}, "is in the future"),
        ({"weight": "9"}, "Select a valid choice"),
        ({"action": "intro"}, "Who did you introduce them to?"),
    ],
)
def test_ledger_form_errors_are_shown_next_to_the_form(owner_client, ada, data, error):
    values = {"action": "give", "person": "Ada", "kind": "advice", "weight": "2"} | data
    response = owner_client.post("/ledger/", values)
    page = html(response)
    assert error in page
    assert 'value="' in page and "Record an exchange" in page
    assert not ValueExchange.objects.exists()


def test_the_thanks_window_form(owner_client, network):
    response = owner_client.post("/ledger/thanks-window/", {"days": "5"})
    assert response.status_code == 302
    assert Network.objects.get(pk=network.pk).thanks_within_days == 5
    owner_client.post("/ledger/thanks-window/", {"days": "-1"})
    assert Network.objects.get(pk=network.pk).thanks_within_days == 5


def test_the_person_panel_shows_the_balance_and_records(owner_client, network, ada):
    received(network, ada, "referral", "Hiring manager", on=dt.date(2026, 2, 10), weight=3)
    gave(network, ada, "advice", "Talk review", on=dt.date(2026, 1, 5))
    page = html(owner_client.get(f"/people/{ada.pk}/"))
    panel = page.split('id="ledger-panel"')[1].split("</section>")[0]
    assert "You gave 2, they gave 3: they have given more." in panel
    assert "they have given more" in panel and "You last gave 5 Jan 2026" in panel
    assert "1 not thanked" in panel and "Thank Ada Lovelace" in panel
    response = owner_client.post(
        f"/people/{ada.pk}/ledger/",
        {"action": "give", "kind": "resource", "description": "A paper", "weight": "1"},
    )
    assert response.status_code == 302 and response.url == f"/people/{ada.pk}/"
    assert ValueExchange.objects.filter(giver=me(network), kind="resource").exists()


def test_my_own_page_has_no_ledger_panel(owner_client, network):
    assert 'id="ledger-panel"' not in html(owner_client.get(f"/people/{me(network).pk}/"))


def test_thank_from_the_person_page(owner_client, network, ada):
    exchange = received(network, ada, on=dt.date(2026, 2, 10))
    response = owner_client.post(f"/people/{ada.pk}/thank/", {"note": "Sent a card"})
    assert response.status_code == 302 and response.url == f"/people/{ada.pk}/"
    exchange.refresh_from_db()
    assert exchange.thanked_in.summary.endswith("Sent a card")
    assert "Thank Ada Lovelace" not in html(owner_client.get(f"/people/{ada.pk}/"))


def test_say_thanks_on_today_and_the_thank_button(owner_client, network, ada):
    received(network, ada, "referral", "Hiring manager", on=dt.date(2026, 2, 14))
    received(network, ada, "advice", "", on=dt.date(2026, 2, 19))  # not due yet
    page = html(owner_client.get("/today/"))
    section = page.split('id="section-thanks"')[1].split("</section>")[0]
    assert "Say thanks" in section and "Thank Ada Lovelace" in section
    assert "referral on 14 February and 1 more" not in section  # the other is not due
    assert "referral on 14 February, not thanked after 6 days" in section
    assert f'action="/people/{ada.pk}/thank/"' in section
    response = owner_client.post(
        f"/people/{ada.pk}/thank/", {"from": "today"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content == b""
    assert ValueExchange.objects.filter(thanked_at__isnull=True).count() == 0
    assert 'id="section-thanks"' not in html(owner_client.get("/today/"))


def test_removing_an_exchange(owner_client, network, ada):
    exchange = gave(network, ada)
    response = owner_client.post(f"/ledger/exchanges/{exchange.pk}/delete/")
    assert response.status_code == 302 and response.url == "/ledger/"
    assert not ValueExchange.objects.exists()


def test_a_viewer_sees_the_ledger_but_changes_nothing(network, viewer, ada):
    viewer.current_network = network
    viewer.save()
    exchange = received(network, ada, on=dt.date(2026, 2, 10))
    client = client_for(viewer)
    page = html(client.get("/ledger/"))
    assert "Ada Lovelace" in page and "Record an exchange" not in page and "Remove" not in page
    assert f'action="/people/{ada.pk}/thank/"' not in html(client.get("/today/"))
    posts = [
        ("/ledger/", {"action": "give", "person": "Ada", "kind": "advice", "weight": "2"}),
        ("/ledger/thanks-window/", {"days": "9"}),
        (f"/ledger/exchanges/{exchange.pk}/delete/", {}),
        (f"/people/{ada.pk}/ledger/", {"action": "give", "kind": "advice", "weight": "2"}),
        (f"/people/{ada.pk}/thank/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert ValueExchange.objects.count() == 1 and ValueExchange.objects.get().thanked_at is None
    assert Network.objects.get(pk=network.pk).thanks_within_days == 3


def test_an_outsider_gets_404_for_records_of_another_network(network, outsider, ada):
    exchange = received(network, ada, on=dt.date(2026, 2, 10))
    client = client_for(outsider)
    for url in (
        f"/ledger/exchanges/{exchange.pk}/delete/",
        f"/people/{ada.pk}/ledger/",
        f"/people/{ada.pk}/thank/",
    ):
        assert (
            client.post(url, {"action": "give", "kind": "advice", "weight": "2"}).status_code == 404
        )
    assert "Ada Lovelace" not in html(client.get("/ledger/"))
    assert ValueExchange.objects.get().thanked_at is None


def test_the_ledger_page_costs_a_bounded_number_of_queries(
    owner_client, network, django_assert_max_num_queries
):
    for number in range(30):
        person = make_person(network, f"Person {number:02}")
        received(network, person, on=dt.date(2026, 1, 1) + dt.timedelta(days=number))
        gave(network, person, on=dt.date(2025, 1, 1))
    with django_assert_max_num_queries(20):
        html(owner_client.get("/ledger/"))


def test_the_thank_row_links_the_thank_you_draft_when_drafts_exist(owner_client, network, ada):
    from django.urls import NoReverseMatch, reverse

    received(network, ada, on=dt.date(2026, 2, 10))
    section = html(owner_client.get("/today/")).split('id="section-thanks"')[1]
    section = section.split("</section>")[0]
    try:
        url = reverse("person_draft", args=[ada.pk])
    except NoReverseMatch:
        assert "Draft" not in section
    else:
        assert f'href="{url}?kind=thank-you"' in section
