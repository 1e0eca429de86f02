"""The daily digest: today's plan of every network a user belongs to, as an email or a push
message says it, and on the chosen day the weekly review.

It reads what Today reads — ``queries.agenda.agenda`` and ``queries.plan.plan`` ("your N for
today", its ranking written there and only there) — and adds only what an email needs:
absolute links (``settings.BASE_URL``) to the page of each row and to its draft, and the
count of each section. Links open pages; every action stays a button on the page (nothing
acts on GET).

The weekly review (``WeeklyReview``) looks back over the seven days before today:

- *caught up with*: the people of the interactions of those days (me left out);
- *fading*: people of the closest circles (rank below ``CLOSE_CIRCLE_RANKS``) whose check-in
  is past due, the longest past due first;
- *thanks owed*: help received waiting for thanks (``queries.ledger.unthanked_due``);
- *follow-ups on time*: of the follow-ups due in those days, how many were done by the end
  of their due day (in the network's zone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from kithkin import access, clock
from kithkin.models import FollowUp, MessageTemplate, Network, Person, User
from kithkin.queries.agenda import Agenda, agenda
from kithkin.queries.ledger import unthanked_due
from kithkin.queries.plan import PlanRow, plan

# Sections the digest leaves out: matching people to opportunities takes seconds on a large
# network (Today loads it after the page, too); the email links to Today for it.
DEFERRED_SECTIONS = frozenset({"opportunities"})
CLOSE_CIRCLE_RANKS = 2  # circles ranked 0 and 1 are the close ones
REVIEW_DAYS = 7
REVIEW_NAMES = 8  # names listed in a review line; the rest counted

Kind = MessageTemplate.Kind
# The draft each kind of plan row opens (the draft page picks its words).
DRAFT_KINDS = {
    "met": Kind.FOLLOW_UP,
    "thanks": Kind.THANK_YOU,
    "support": Kind.OFFER_HELP,
    "celebrate": Kind.CONGRATULATIONS,
    "check_in": Kind.CHECK_IN,
}


def absolute(path: str) -> str:
    """``path`` of the web app as a link that works from an email."""
    return f"{settings.BASE_URL}{path}"


@dataclass(frozen=True)
class DigestRow:
    kind: str
    title: str
    reason: str
    url: str  # the page of the row: the person, or Today
    draft_url: str  # the draft that fits, one click away ("" when none)


@dataclass(frozen=True)
class SectionCount:
    title: str
    count: int


@dataclass(frozen=True)
class WeeklyReview:
    since: dt.date
    caught_up: list[str]
    caught_up_total: int
    fading: list[str]
    fading_total: int
    thanks_owed: int
    follow_ups_due: int
    follow_ups_on_time: int

    @property
    def on_time_rate(self) -> int | None:
        """Percent of the week's follow-ups done on time; None when none were due."""
        if not self.follow_ups_due:
            return None
        return round(100 * self.follow_ups_on_time / self.follow_ups_due)


@dataclass(frozen=True)
class NetworkDigest:
    network_id: int
    name: str
    budget: int
    rows: list[DigestRow]
    waiting: int
    counts: list[SectionCount]
    today_url: str
    review: WeeklyReview | None = None
    # The fading tie falling fastest (queries.strength.fading_ties), with a check-in draft.
    fading: DigestRow | None = None

    @property
    def size(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Digest:
    username: str
    today: dt.date
    networks: list[NetworkDigest]
    settings_url: str
    weekly: bool = False
    unsubscribe_url: str = ""  # set by the sender: signed for its recipient
    # What is broken that the recipient can fix (a webhook disabled after repeated
    # failures, in a network they own): said at the top, so it is never missed.
    attention: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(network.size for network in self.networks)

    @property
    def subject(self) -> str:
        day = f"{self.today:%A} {self.today.day} {self.today:%B}"
        review = " and your week" if self.weekly else ""
        if not self.size:
            return f"Kithkin, {day}: nothing pressing today{review}"
        return f"Kithkin, {day}: your {self.size} for today{review}"

    def short_text(self) -> str:
        """The plan in a few lines, for a push message."""
        lines = []
        for network in self.networks:
            prefix = f"{network.name}: " if len(self.networks) > 1 else ""
            for row in network.rows:
                lines.append(f"• {prefix}{row.title}")
        return "\n".join(lines) if lines else "Nothing pressing today."


def _link(path: str, network: Network, several: bool) -> str:
    """A link to ``path`` of ``network``; for a user of several networks, through the page
    that opens it in that network (the web app shows the network one works in)."""
    if not several:
        return absolute(path)
    opener = reverse("digest_open", args=[network.pk])
    return absolute(f"{opener}?{urlencode({'to': path})}")


def _row(network: Network, row: PlanRow, several: bool) -> DigestRow:
    person = row.person
    if row.kind == "follow_up" and row.record_id is not None:
        draft = reverse("follow_up_draft", args=[row.record_id])
    elif person is not None and row.kind in DRAFT_KINDS:
        about: dict[str, str] = {"kind": str(DRAFT_KINDS[row.kind])}
        if row.kind in ("support", "celebrate") and row.record_id is not None:
            about["milestone"] = str(row.record_id)
        draft = f"{reverse('person_draft', args=[person.id])}?{urlencode(about)}"
    else:
        draft = ""
    page = reverse("person", args=[person.id]) if person is not None else reverse("today")
    return DigestRow(
        kind=row.kind,
        title=row.title,
        reason=row.reason,
        url=_link(page, network, several),
        draft_url=_link(draft, network, several) if draft else "",
    )


def _counts(result: Agenda) -> list[SectionCount]:
    counts = [
        SectionCount("Follow-ups due", result.follow_ups_due_total),
        SectionCount("Check-ins due", result.backlog.due_total),
    ]
    counts += [
        SectionCount(section.title, section.total)
        for section in result.sections
        if not section.deferred and section.total
    ]
    return [count for count in counts if count.count]


def weekly_review(network: Network, today: dt.date) -> WeeklyReview:
    since = today - dt.timedelta(days=REVIEW_DAYS)
    zone = clock.zone(network.time_zone)
    week_start = dt.datetime.combine(since, dt.time(), tzinfo=zone)
    week_end = dt.datetime.combine(today, dt.time(), tzinfo=zone)
    met = (
        Person.objects.filter(
            network=network,
            is_self=False,
            interactions__occurred_at__gte=week_start,
            interactions__occurred_at__lt=week_end,
        )
        .annotate(talks=Count("interactions"))
        .order_by("-talks", "full_name", "pk")
        .values_list("full_name", flat=True)
    )
    caught_up = list(met)
    fading_query = Person.objects.filter(
        network=network,
        is_self=False,
        archived_at__isnull=True,
        circle__rank__lt=CLOSE_CIRCLE_RANKS,
        check_in_due_on__lt=today,
    )
    fading = list(
        fading_query.order_by("check_in_due_on", "circle__rank", "pk").values_list(
            "full_name", flat=True
        )[:REVIEW_NAMES]
    )
    due = list(
        FollowUp.objects.filter(network=network, due_on__gte=since, due_on__lt=today).values_list(
            "due_on", "done_at"
        )
    )
    on_time = sum(
        1
        for due_on, done_at in due
        if done_at is not None and clock.local_date(done_at, network.time_zone) <= due_on
    )
    return WeeklyReview(
        since=since,
        caught_up=caught_up[:REVIEW_NAMES],
        caught_up_total=len(caught_up),
        fading=fading,
        fading_total=fading_query.count() if len(fading) == REVIEW_NAMES else len(fading),
        thanks_owed=unthanked_due(network, today).count(),
        follow_ups_due=len(due),
        follow_ups_on_time=on_time,
    )


def network_digest(
    network: Network, today: dt.date, *, weekly: bool = False, several: bool = False
) -> NetworkDigest:
    """One network's part of the digest: the plan Today shows, the counts of the rest
    (``several``: the user has other networks, so links say which one they open in)."""
    shown = max(network.daily_outreach_budget, 1)
    result = agenda(network, today, defer=DEFERRED_SECTIONS, follow_ups_shown=shown)
    todays = plan(result)
    return NetworkDigest(
        network_id=network.pk,
        name=network.name,
        budget=todays.budget,
        rows=[_row(network, row, several) for row in todays.rows],
        waiting=todays.waiting,
        counts=_counts(result),
        today_url=_link(reverse("today"), network, several),
        review=weekly_review(network, today) if weekly else None,
        fading=_fading(network, result, several),
    )


def _fading(network: Network, result: Agenda, several: bool) -> DigestRow | None:
    """The digest's fading-tie line: the steepest fall of Today's "Fading ties" section
    (already read with the agenda), its page and a check-in draft."""
    section = next((s for s in result.sections if s.key == "fading" and s.items), None)
    if section is None:
        return None
    tie = section.items[0]
    person = tie.people[0].id
    more = f" ({section.total} fading in all)" if section.total > 1 else ""
    draft = f"{reverse('person_draft', args=[person])}?{urlencode({'kind': str(Kind.CHECK_IN)})}"
    return DigestRow(
        kind="fading",
        title=tie.title,
        reason=tie.reason + more,
        url=_link(reverse("person", args=[person]), network, several),
        draft_url=_link(draft, network, several),
    )


# A network's part, by (network id, day, weekly, several): the same for each of its members.
Parts = dict[tuple[int, dt.date, bool, bool], NetworkDigest]


def digest_for(
    user: User, today: dt.date, *, weekly: bool = False, parts: Parts | None = None
) -> Digest:
    """The digest of ``user`` for their local ``today``: a part per network they belong to,
    their current network first. ``parts``: the parts already built in this round (the
    plan of a network is its members' alike), filled as they are built."""
    grants = access.grants_of(user)
    grants.sort(key=lambda grant: grant.network.pk != user.current_network_id)
    several = len(grants) > 1
    built = parts if parts is not None else {}
    networks = []
    for grant in grants:
        key = (grant.network.pk, today, weekly, several)
        if key not in built:
            built[key] = network_digest(grant.network, today, weekly=weekly, several=several)
        networks.append(built[key])
    return Digest(
        username=user.get_username(),
        today=today,
        networks=networks,
        settings_url=absolute(reverse("settings")),
        weekly=weekly,
        attention=needs_attention(user),
    )


def needs_attention(user: User) -> list[str]:
    """One line per thing broken that ``user`` can fix, for the top of their digest."""
    from kithkin.queries.sync_accounts import attention_line, failing_accounts
    from kithkin.queries.webhooks import failing_subscriptions

    lines = [attention_line(account) for account in failing_accounts(user)]
    for subscription in failing_subscriptions(user):
        where = f"The webhook to {subscription.display_url} ({subscription.network.name})"
        if subscription.active:
            lines.append(f"{where} is failing: its latest deliveries were refused.")
        else:
            lines.append(f"{where} was turned off: {subscription.disabled_reason}.")
    return lines
