"""`kith doctor`'s look at the calendar feeds: how many are live, and whether the most
recently fetched one still renders as a calendar the icalendar parser reads back."""

from __future__ import annotations

import icalendar

from kithkin.doctor import Finding, check
from kithkin.feeds.calendar import to_ical
from kithkin.models import FeedToken, Membership
from kithkin.queries.feed import calendar_feed

NAME = "calendar feeds"


@check(NAME)
def feeds_render() -> list[Finding]:
    live = FeedToken.objects.filter(revoked_at__isnull=True).select_related("user", "network")
    count = live.count()
    if not count:
        return [Finding(NAME, True, "no calendar feed is set up")]
    findings = []
    members = set(Membership.objects.values_list("user_id", "network_id"))
    orphans = [f for f in live if (f.user_id, f.network_id) not in members or not f.user.is_active]
    if orphans:
        findings.append(
            Finding(
                NAME,
                True,
                f"{len(orphans)} feed(s) belong to users who left their network or were "
                "deactivated: they answer 404 (revoking them tidies up)",
            )
        )
    latest = next(
        (f for f in live.order_by("-last_used_at", "-created_at") if f not in orphans), None
    )
    if latest is None:
        return [*findings, Finding(NAME, True, f"{count} live feed(s), none that opens")]
    feed = calendar_feed(latest.network, latest.user, titles_only=latest.titles_only)
    body = to_ical(feed, host="localhost", link=lambda entry: "http://localhost/")
    parsed = icalendar.Calendar.from_ical(body)
    events = len(parsed.walk("VEVENT"))
    if events != len(feed.entries):
        return [
            *findings,
            Finding(NAME, False, f"a feed of {latest.network.name} lost entries when read back"),
        ]
    return [
        *findings,
        Finding(
            NAME,
            True,
            f"{count} live feed(s); {latest.user.username}'s feed of {latest.network.name} "
            f"renders and reads back ({events} entries)",
        ),
    ]
