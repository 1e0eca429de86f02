"""Walk every URL with the ids of another network's records, as everyone who must not see or
change them. Nothing of that network may appear in any answer, and nothing may change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver

from kithkin.models import (
    AccessToken,
    Affiliation,
    Attendance,
    Circle,
    ContactPoint,
    Event,
    FollowUp,
    Interaction,
    Invitation,
    Membership,
    Mentorship,
    Milestone,
    Network,
    Opportunity,
    OpportunityShare,
    Organization,
    Person,
    SyncAccount,
    TrashedItem,
    UndoableAction,
    ValueExchange,
    WebhookSubscription,
)
from kithkin.services.app_passwords import create_app_password
from kithkin.services.followups import snooze_follow_up
from kithkin.services.people import delete_person
from kithkin.services.photos import set_photo
from kithkin.services.sharing import invite
from kithkin.services.sync_accounts import add_imap_account
from kithkin.services.tokens import create_token
from kithkin.services.webhooks import add_subscription
from kithkin.web import urls as web_urls
from tests.factories import log, make_follow_up, make_person
from tests.photos.images import png
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar7f3c"
PERSONAL = {
    "login",
    "signup",
    "logout",
    "settings",
    "password_change",
    "sessions_end_others",
    "network_switch",
    "token_create",  # a token of one's own
    "digest_settings",  # one's own digest preferences
    "digest_unsubscribe",  # by a signed link, no sign-in
    "digest_open",  # switches one's own current network (a member's only: else 404)
    # a calendar feed of one's own (a viewer's too: a feed only reads)
    "feed_make",
    "feed_revoke",
    "feed_titles_only",
    "app_password_make",  # a CardDAV app password of one's own (a viewer's only reads)
    "invitation",
    "home",
    # signing in: one's own second factor and provider account (docs/two-factor.md, sso.md)
    "login_code",
    "oidc_login",
    "oidc_callback",
    "two_factor",
    "two_factor_enrol",
    "two_factor_confirm",
    "two_factor_codes",
    "two_factor_disable",
    "oidc_link",
    "oidc_unlink",
    # the installable app's files, public as icons are and holding no one's data (app.md)
    "manifest",
    "quick_log_manifest",
    "service_worker",
}


@pytest.fixture
def victim(owner, network, viewer):
    person = make_person(
        network,
        f"Secret {SECRET}",
        emails=[f"{SECRET.lower()}@example.org"],
        organization=f"{SECRET} Corp",
        notes=f"notes {SECRET}",
        tags=[f"tag{SECRET}"],
        circle="close",
        connected_on=dt.date(2025, 1, 1),
    )
    # A likely duplicate of the secret person, for the pages that take two people.
    twin = make_person(network, f"Twin {SECRET}", emails=[f"{SECRET.lower()}@example.org"])
    log(network, person, on=dt.date(2026, 1, 5), summary=f"talk {SECRET}")
    follow_up = make_follow_up(network, person, f"promise {SECRET}", due_on=dt.date(2026, 2, 19))
    invitation, _ = invite(network, owner, role="editor", email=f"{SECRET.lower()}@invitee.example")
    event = Event.objects.create(
        network=network, name=f"Summit {SECRET}", starts_on=dt.date(2026, 2, 10)
    )
    attendance = Attendance.objects.create(event=event, person=person, note=f"met {SECRET}")
    me = Person.objects.get(network=network, is_self=True)
    Affiliation.objects.create(
        person=me,
        organization=Organization.objects.get(network=network),
        kind="membership",
        title=f"member {SECRET}",
        start_on=dt.date(2024, 1, 1),
        renews_on=dt.date(2026, 3, 1),
    )
    mentorship = Mentorship.objects.create(
        network=network,
        mentor=person,
        mentee=me,
        goals=f"goal {SECRET}",
        cadence_days=30,
        started_on=dt.date(2025, 6, 1),
    )
    exchange = ValueExchange.objects.create(
        network=network,
        giver=person,
        receiver=me,
        kind="advice",
        description=f"advice {SECRET}",
        occurred_on=dt.date(2026, 2, 15),
    )
    milestone = Milestone.objects.create(
        network=network,
        person=person,
        kind="promotion",
        title=f"VP {SECRET}",
        year=2026,
        month=2,
        day=25,
    )
    opportunity = Opportunity.objects.create(
        network=network, kind="job", title=f"Job {SECRET}", source=person
    )
    share = OpportunityShare.objects.create(
        opportunity=opportunity, person=twin, note=f"share {SECRET}"
    )
    # Someone in the trash, whom only a member who writes may restore.
    trashed = delete_person(network, owner, make_person(network, f"Gone {SECRET}"))
    set_photo(network, owner, person, png())
    person.refresh_from_db()
    # The owner's last action, which only the owner may undo: undone, the due date moves.
    snooze_follow_up(network, owner, follow_up, dt.date(2026, 3, 5), today=dt.date(2026, 2, 20))
    return {
        "person_id": person.pk,
        "other_id": twin.pk,
        "follow_up_id": follow_up.pk,
        "organization_id": Organization.objects.get(network=network).pk,
        "membership_id": Membership.objects.get(network=network, user=owner).pk,
        "invitation_id": invitation.pk,
        "circle_id": Circle.objects.filter(network=network).first().pk,
        "point_id": ContactPoint.objects.get(person=person).pk,
        "interaction_id": Interaction.objects.get(network=network).pk,
        "event_id": event.pk,
        "attendance_id": attendance.pk,
        "mentorship_id": mentorship.pk,
        "exchange_id": exchange.pk,
        "milestone_id": milestone.pk,
        "opportunity_id": opportunity.pk,
        "share_id": share.pk,
        "action_id": UndoableAction.objects.get(network=network, kind="snooze").pk,
        "item_id": trashed.pk,
        "token_id": create_token(owner, f"token {SECRET}", "write", network=network).token.pk,
        "webhook_id": add_subscription(
            network, owner, f"https://93.184.215.14/hook/{SECRET}"
        ).subscription.pk,
        "account_id": add_imap_account(
            network, owner, preset="gmail", username=f"{SECRET}@gmail.com", password=SECRET
        ).pk,
        "kind": "follow-up",
        "key": "opportunities",
        "token": "not-a-real-token",
        "format_name": "json",
        "network_id": network.pk,
        "digest": person.photo_digest,
        "size": "small",
        "app_password_id": create_app_password(owner, f"phone {SECRET}").app_password.pk,
    }


def snapshot(network: Network) -> tuple:
    return (
        list(
            Person.objects.filter(network=network)
            .order_by("pk")
            .values_list(
                *("full_name", "archived_at", "snoozed_until", "circle_id", "cadence_days"),
                *("notes", "photo_digest"),
            )
        ),
        list(
            FollowUp.objects.filter(network=network)
            .order_by("pk")
            .values_list("title", "done_at", "due_on")
        ),
        Interaction.objects.filter(network=network).count(),
        list(TrashedItem.objects.filter(network=network).values_list("pk", flat=True)),
        list(ContactPoint.objects.filter(person__network=network).values_list("value", flat=True)),
        list(
            Membership.objects.filter(network=network).order_by("pk").values_list("user_id", "role")
        ),
        Invitation.objects.filter(network=network).count(),
        list(AccessToken.objects.filter(network=network).values_list("name", "revoked_at")),
        list(Circle.objects.filter(network=network).values_list("cadence_days", flat=True)),
        Network.objects.filter(pk=network.pk)
        .values_list("daily_outreach_budget", "name", "renewal_notice_days", "thanks_within_days")
        .get(),
        *(
            list(model.objects.filter(**{path: network}).order_by("pk").values())
            for model, path in (
                (Event, "network"),
                (Attendance, "event__network"),
                (Mentorship, "network"),
                (ValueExchange, "network"),
                (Milestone, "network"),
                (Opportunity, "network"),
                (OpportunityShare, "opportunity__network"),
                (Interaction, "network"),
                (Organization, "network"),
                (Affiliation, "person__network"),
                (WebhookSubscription, "network"),
                (SyncAccount, "network"),
            )
        ),
    )


def url_patterns(patterns: list, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """Every pattern with its whole route, through the included modules too."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            found.append((prefix + str(pattern.pattern), pattern))
    return found


def every_url(ids: dict[str, object]) -> list[tuple[str, str]]:
    urls = []
    for route, pattern in url_patterns(web_urls.urlpatterns):
        names = list(pattern.pattern.converters)
        for name in names:
            route = route.replace(f"<int:{name}>", str(ids[name])).replace(
                f"<str:{name}>", str(ids[name])
            )
        urls.append((pattern.name or route, "/" + route))
    return urls


def form_data(ids) -> dict[str, str]:
    """Plausible values for every form, so a missing check shows as a change, not a 400."""
    return {
        "full_name": "Hacked",
        "title": "hacked",
        "kind": "call",
        "on": "2026-02-20",
        "due_on": "2026-02-21",
        "until": "2026-03-30",
        "role": "owner",
        "value": "x@hacked.example",
        "organization": "Hacked",
        "time_zone": "UTC",
        "daily_outreach_budget": "99",
        f"circle-{ids['circle_id']}-cadence": "1d",
        "network": "0",
        "direction": "mutual",
        "follow_up-title": "hacked",
        "follow_up-due_on": "2026-02-21",
        "contact-kind": "email",
        "contact-value": "x@hacked.example",
        "affiliation-organization": "Hacked",
        "occasion": "birthday:2026",  # milestones: celebrate a birthday (person_id below)
        "celebrate_within_days": "99",
        # opportunities: share with someone of the network, change an outcome; "status" is shared with mentorships
        "person_id": str(ids["other_id"]),
        "outcome": "won",
        "note": "hacked",
        "name": "Hacked",
        "website": "hacked.example",
        "join-role": "hacked",
        "join-since": "2026-01-01",
        "join-renews_on": "2027-01-01",
        "renewal_notice_days": "99",
        "status": "ended",  # mentorship_status
        "goal": "hacked",  # mentorship_goal
        "days": "9",  # ledger_thanks_window
        "action": "give",  # ledger, person_exchange
        "weight": "2",
    }


def assert_no_leak(response, who: str, url: str) -> None:
    body = response.content.decode(errors="replace")
    assert SECRET not in body and SECRET.lower() not in body, f"{who} saw the secret at {url}"


def test_anonymous_users_reach_nothing(victim, network):
    before = snapshot(network)
    client = Client()
    for name, url in every_url(victim):
        for response in (client.get(url), client.post(url, form_data(victim))):
            assert_no_leak(response, "anonymous", url)
            if name not in PERSONAL:
                assert response.status_code in (302, 403, 404, 405), (url, response.status_code)
                if response.status_code == 302:
                    assert response.url.startswith("/login/"), url
    assert snapshot(network) == before


def test_an_outsider_reaches_nothing_of_another_network(victim, network, outsider):
    before = snapshot(network)
    client = client_for(outsider)
    for name, url in every_url(victim):
        for response in (client.get(url), client.post(url, form_data(victim))):
            assert_no_leak(response, "outsider", url)
            if name not in PERSONAL and any(
                f"/{victim[key]}/" in url for key in victim if key.endswith("_id")
            ):
                assert response.status_code in (403, 404, 405), (url, response.status_code)
        client = client_for(outsider)  # logout in the sweep ends the session
    assert snapshot(network) == before


def test_a_viewer_changes_nothing(victim, network, viewer):
    viewer.current_network = network
    viewer.save()
    before = snapshot(network)
    for name, url in every_url(victim):
        client = client_for(viewer)
        response = client.post(url, form_data(victim))
        if name not in PERSONAL:
            assert response.status_code in (403, 404, 405), (url, response.status_code)
    assert snapshot(network) == before
