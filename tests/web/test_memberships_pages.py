"""The organizations pages and my memberships, as the owner and a viewer see them; the
renewals on Today; social profiles on the person page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from kithkin.models import Affiliation, ContactPoint, Network, Organization
from kithkin.services.affiliations import add_affiliation, end_affiliation
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_memberships import make_membership, make_organization

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def mine(network):
    return Affiliation.objects.filter(person__network=network, person__is_self=True)


@pytest.fixture
def guild(network, owner):
    guild = make_organization(
        network,
        "Guild of Data Engineers",
        kind="association",
        website="https://data-engineers-guild.example",
        tags=["data"],
    )
    ada = make_person(network, "Ada Lovelace")
    add_affiliation(network, owner, ada, organization=guild.name, title="Treasurer")
    grace = make_person(network, "Grace Hopper")
    founder = add_affiliation(
        network,
        owner,
        grace,
        organization=guild.name,
        title="Founder",
        start_on=dt.date(2015, 1, 1),
    )
    end_affiliation(network, owner, founder, end_on=dt.date(2020, 6, 1))
    return guild


def test_the_organization_page_lists_its_people_and_offers_to_join(owner_client, guild):
    page = html(owner_client.get(f"/organizations/{guild.pk}/"))
    assert "Professional association" in page
    assert "Ada Lovelace" in page and "Treasurer" in page
    assert "Were there" in page and "Grace Hopper" in page and "Founder" in page
    assert "2015\u20132020" in page  # an en dash
    assert "I am not a member" in page
    assert f'action="{reverse("organization_join", args=[guild.pk])}"' in page
    assert "Record renewal" not in page


def test_joining_renewing_and_leaving_from_the_organization_page(owner_client, network, guild):
    response = owner_client.post(
        reverse("organization_join", args=[guild.pk]),
        {"join-role": "Board member", "join-since": "2024-03-01", "join-renews_on": "2026-03-01"},
    )
    assert response.status_code == 302 and response.url == f"/organizations/{guild.pk}/"
    membership = mine(network).get()
    assert (membership.kind, membership.title, membership.start_on, membership.renews_on) == (
        "membership",
        "Board member",
        dt.date(2024, 3, 1),
        dt.date(2026, 3, 1),
    )
    page = html(owner_client.get(f"/organizations/{guild.pk}/"))
    assert "Board member" in page and "since 1 Mar 2024" in page and "renews 1 Mar 2026" in page
    assert "Record renewal" in page and "Leave Guild of Data Engineers" in page
    assert "Joined Guild of Data Engineers." in page

    owner_client.post(reverse("organization_renew", args=[guild.pk]), {"until": "2027-03-01"})
    assert mine(network).get().renews_on == dt.date(2027, 3, 1)

    response = owner_client.post(
        reverse("organization_renew", args=[guild.pk]), {"until": "2026-01-01"}
    )
    assert response.status_code == 302
    page = html(owner_client.get(f"/organizations/{guild.pk}/"))
    assert "until: 2026-01-01 is not after today" in page
    assert mine(network).get().renews_on == dt.date(2027, 3, 1)

    owner_client.post(reverse("organization_leave", args=[guild.pk]))
    assert mine(network).get().end_on == TODAY
    page = html(owner_client.get(f"/organizations/{guild.pk}/"))
    assert "I am not a member" in page and "Left Guild of Data Engineers." in page


def test_a_bad_join_form_changes_nothing_and_says_why(owner_client, network, guild):
    owner_client.post(
        reverse("organization_join", args=[guild.pk]),
        {"join-role": "member", "join-since": "2026-02-01", "join-renews_on": "2025-01-01"},
    )
    assert not mine(network).exists()
    page = html(owner_client.get(f"/organizations/{guild.pk}/"))
    assert "renews_on: 2025-01-01 is before the membership started" in page


def test_the_organizations_list_filters_by_kind_and_shows_my_memberships(
    owner_client, network, guild
):
    make_organization(network, "Analytical Engines", kind="company")
    make_organization(network, "Python Meetup Circle", kind="community")
    make_membership(network, guild, renews_on=dt.date(2026, 3, 1))
    page = html(owner_client.get("/organizations/"))
    assert "Analytical Engines" in page and "Python Meetup Circle" in page
    assert "1 person there now" in page
    memberships = page.split('id="my-memberships"')[1].split("</section>")[0]
    assert "Guild of Data Engineers" in memberships and "renews 1 Mar 2026" in memberships
    assert 'name="renewal_notice_days"' in page and 'value="30"' in page
    assert reverse("organization_new") in page

    only = html(owner_client.get("/organizations/?kind=community"))
    listed = only.split('id="my-memberships"')[1].split("</section>", 1)[1]
    assert "Python Meetup Circle" in listed
    assert "Analytical Engines" not in listed and "Guild of Data Engineers" not in listed
    assert 'aria-current="true">Community<' in only


def test_adding_an_organization(owner_client, network):
    assert "Add an organization" in html(owner_client.get(reverse("organization_new")))
    response = owner_client.post(
        reverse("organization_new"),
        {
            "name": "Society for Product Craft",
            "kind": "association",
            "website": "product-craft.example",
            "tags": "product, craft",
        },
    )
    organization = Organization.objects.get(network=network)
    assert response.status_code == 302 and response.url == f"/organizations/{organization.pk}/"
    assert (organization.kind, organization.website) == (
        "association",
        "https://product-craft.example",
    )
    assert sorted(organization.tags.values_list("name", flat=True)) == ["craft", "product"]
    again = html(
        owner_client.post(
            reverse("organization_new"), {"name": "society for product craft", "kind": "company"}
        )
    )
    assert "Society for Product Craft is already an organization" in again
    assert Organization.objects.filter(network=network).count() == 1


def test_the_renewal_notice_form(owner_client, network):
    owner_client.post(reverse("organization_notice"), {"renewal_notice_days": "45"})
    assert Network.objects.get(pk=network.pk).renewal_notice_days == 45
    owner_client.post(reverse("organization_notice"), {"renewal_notice_days": "400"})
    assert Network.objects.get(pk=network.pk).renewal_notice_days == 45
    assert "Could not change the reminders" in html(owner_client.get("/organizations/"))


def test_a_viewer_sees_memberships_but_may_not_change_them(network, viewer, guild):
    from tests.web.conftest import client_for

    make_membership(network, guild, renews_on=dt.date(2026, 3, 1))
    viewer.current_network = network
    viewer.save()
    client = client_for(viewer)
    page = html(client.get(f"/organizations/{guild.pk}/"))
    assert "renews 1 Mar 2026" in page and "Record renewal" not in page and "Leave" not in page
    listing = html(client.get("/organizations/"))
    assert "Add organization" not in listing and 'name="renewal_notice_days"' not in listing
    assert "Renewal reminders: 30 days ahead" in listing
    for url, data in (
        (reverse("organization_new"), {"name": "X", "kind": "company"}),
        (reverse("organization_join", args=[guild.pk]), {"join-role": "member"}),
        (reverse("organization_renew", args=[guild.pk]), {"until": "2027-01-01"}),
        (reverse("organization_leave", args=[guild.pk]), {}),
        (reverse("organization_notice"), {"renewal_notice_days": "5"}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("organization_new")).status_code == 403
    assert mine(network).get().renews_on == dt.date(2026, 3, 1)
    assert Network.objects.get(pk=network.pk).renewal_notice_days == 30
    assert Organization.objects.filter(network=network).count() == 1


def test_renewals_on_today_with_the_renewed_form(owner_client, network, guild):
    make_membership(network, guild, renews_on=dt.date(2026, 3, 4))
    make_membership(network, "Far Society", renews_on=dt.date(2026, 6, 1))
    page = html(owner_client.get("/today/"))
    section = page.split('id="section-renewals"')[1].split("</section>")[0]
    assert "Renew memberships" in section
    assert "Renew my membership of Guild of Data Engineers" in section
    assert "renews in 12 days (4 March)" in section
    assert "Far Society" not in section
    assert f'action="{reverse("organization_renew", args=[guild.pk])}"' in section
    assert f'href="{reverse("organization", args=[guild.pk])}"' in section
    assert 'name="csrfmiddlewaretoken"' in section

    response = owner_client.post(
        reverse("organization_renew", args=[guild.pk]),
        {"until": "2027-03-04", "from": "today"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response.content == b""
    assert 'id="section-renewals"' not in html(owner_client.get("/today/"))
    response = owner_client.post(
        reverse("organization_renew", args=[guild.pk]), {"until": "2028-03-04", "from": "today"}
    )
    assert response.status_code == 302 and response.url == "/today/"


def test_today_uses_the_users_local_date(owner_client, owner, network, guild):
    """23:30 UTC on 20 February is 21 February in Auckland: 30 days ahead is 23 March."""
    owner.time_zone = network.time_zone = "Pacific/Auckland"
    owner.save()
    network.save()
    make_membership(network, guild, renews_on=dt.date(2026, 3, 23))
    with time_machine.travel(dt.datetime(2026, 2, 20, 23, 30, tzinfo=dt.UTC), tick=False):
        page = html(owner_client.get("/today/"))
    assert "renews in 30 days (23 March)" in page
    page = html(owner_client.get("/today/"))  # 20 February, 09:00 in Paris: still 31 days
    assert 'id="section-renewals"' not in page


def test_a_viewer_sees_renewals_without_the_form(network, viewer, guild):
    from tests.web.conftest import client_for

    make_membership(network, guild, renews_on=dt.date(2026, 2, 17))
    viewer.current_network = network
    viewer.save()
    page = html(client_for(viewer).get("/today/"))
    section = page.split('id="section-renewals"')[1].split("</section>")[0]
    assert "renewal overdue by 3 days" in section
    assert "organization_renew" not in section and "/renew/" not in section


# Social profiles on the person page


def test_profiles_added_on_the_person_page_are_canonical_and_linked(owner_client, network):
    augusta = make_person(network, "Augusta King")
    for raw in (
        "https://twitter.com/Ada",
        "@ada@hachyderm.io",
        "github.com/ada",
        "bsky.app/profile/ada.bsky.social",
        "https://augusta.example",
    ):
        response = owner_client.post(
            reverse("contact_point_add", args=[augusta.pk]),
            {"contact-kind": "url", "contact-value": raw},
        )
        assert response.status_code == 302
    assert sorted(
        ContactPoint.objects.filter(person=augusta).values_list("service", "kind", "normalized")
    ) == [
        ("bluesky", "social", "https://bsky.app/profile/ada.bsky.social"),
        ("github", "social", "https://github.com/ada"),
        ("mastodon", "social", "https://hachyderm.io/@ada"),
        ("website", "url", "https://augusta.example"),
        ("x", "social", "https://x.com/ada"),
    ]
    page = html(owner_client.get(f"/people/{augusta.pk}/"))
    for url in (
        "https://x.com/ada",
        "https://hachyderm.io/@ada",
        "https://github.com/ada",
        "https://bsky.app/profile/ada.bsky.social",
        "https://augusta.example",
    ):
        link = re.search(rf'<a href="{re.escape(url)}"([^>]*)>', page)
        assert link, url
        assert 'rel="noopener noreferrer' in link.group(1)
    # Adding the same profile in another spelling is refused.
    owner_client.post(
        reverse("contact_point_add", args=[augusta.pk]),
        {"contact-kind": "url", "contact-value": "https://x.com/ADA/"},
    )
    assert ContactPoint.objects.filter(person=augusta, service="x").count() == 1
    assert "already has https://x.com/ada" in html(owner_client.get(f"/people/{augusta.pk}/"))


def test_people_search_finds_social_handles(owner_client, network):
    make_person(network, "Augusta King", urls=["@ada@hachyderm.io"])
    make_person(network, "Grace Hopper")
    page = html(owner_client.get("/people/?q=hachyderm"))
    assert "Augusta King" in page and "Grace Hopper" not in page
