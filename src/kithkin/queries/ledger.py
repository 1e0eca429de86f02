"""Reads of the value ledger: the balance with one person, the network's lists, and the
"Say thanks" section of the agenda. Each is a bounded number of grouped queries, whatever
the size of the network.

*Balance* is from my point of view: the weight of what someone gave me minus the weight
of what I gave them. Positive: they have given more; negative: I have given more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum

from kithkin.models import Network, Person, ValueExchange
from kithkin.queries.agenda_items import AgendaItem, PersonRef, Section

SECTION_ITEMS = 10
LIST_SIZE = 10
PANEL_EXCHANGES = 20
RECENT_EXCHANGES = 20
# LinkedIn endorsements and recommendations older than this are history, not help
# waiting for thanks.
IMPORTED_GRACE_DAYS = 30
RECEIVED_WITHIN_DAYS = 365  # "gave to me lately": within the last year
GIVEN_WITHIN_DAYS = 180  # "I gave back lately": within the last six months


def me_id(network: Network) -> int:
    return Person.objects.filter(network=network, is_self=True).values_list("pk", flat=True).get()


def balance_words(balance: int) -> str:
    if balance > 0:
        return "they have given more"
    if balance < 0:
        return "you have given more"
    return "even"


def _day_words(day: dt.date) -> str:
    return f"{day:%-d %B}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


# Say thanks (the agenda) -------------------------------------------------------------


def unthanked_due(network: Network, today: dt.date) -> QuerySet[ValueExchange]:
    """Value received and not thanked, due for thanks: ``occurred_on`` plus the network's
    thanks window is today or earlier. LinkedIn imports older than 30 days are left out:
    an old endorsement is history, not a thank-you owed."""
    window = dt.timedelta(days=network.thanks_within_days)
    return ValueExchange.objects.filter(
        network=network,
        receiver__is_self=True,
        thanked_at__isnull=True,
        occurred_on__lte=today - window,
        giver__archived_at__isnull=True,
    ).exclude(source="linkedin", occurred_on__lt=today - dt.timedelta(days=IMPORTED_GRACE_DAYS))


def _thanks_reason(kind: str, day: dt.date, more: int, today: dt.date) -> str:
    waited = (today - day).days
    what = f"{kind} on {_day_words(day)}" + (f" and {more} more" if more else "")
    return f"{what}, not thanked after {_days(waited)}" if waited else f"{what}, not thanked yet"


def thanks_due(network: Network, today: dt.date) -> Section:
    """One item per giver whose help waits for thanks, the longest waiting first."""
    due = unthanked_due(network, today)
    givers = list(
        due.values("giver_id", "giver__full_name")
        .annotate(count=Count("pk"), oldest=Min("occurred_on"))
        .order_by("oldest", "giver__full_name", "giver_id")
    )
    shown = givers[:SECTION_ITEMS]
    details: dict[int, list[tuple[str, str, dt.date]]] = defaultdict(list)
    for giver_id, kind, description, day in (
        due.filter(giver_id__in=[row["giver_id"] for row in shown])
        .order_by("occurred_on", "pk")
        .values_list("giver_id", "kind", "description", "occurred_on")
    ):
        details[giver_id].append((kind, description, day))
    items = []
    for row in shown:
        exchanges = details[row["giver_id"]]
        if not exchanges:
            continue
        kind, _, first_day = exchanges[0]
        described = [description for _, description, _ in exchanges if description]
        items.append(
            AgendaItem(
                key=f"thanks-{row['giver_id']}",
                title=f"Thank {row['giver__full_name']}",
                people=[PersonRef(row["giver_id"], row["giver__full_name"])],
                reason=_thanks_reason(kind, first_day, len(exchanges) - 1, today),
                on=first_day,
                record_id=row["giver_id"],
                draft_kind="thank-you",
                detail="; ".join(described[:3]),
            )
        )
    days = network.thanks_within_days
    return Section(
        key="thanks",
        title="Say thanks",
        note=f"Help you received and have not thanked within {_days(days)}.",
        items=items,
        total=len(givers),
    )


# One person ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """What went between me and one person; weights are summed."""

    given: int  # what I gave them
    received: int  # what they gave me
    given_count: int
    received_count: int
    last_given: dt.date | None
    last_received: dt.date | None
    unthanked: int  # what they gave me that I have not thanked yet

    @property
    def balance(self) -> int:
        return self.received - self.given

    @property
    def words(self) -> str:
        return balance_words(self.balance)

    @property
    def sentence(self) -> str:
        """The balance as every page and command says it."""
        return f"You gave {self.given}, they gave {self.received}: {self.words}."

    def __bool__(self) -> bool:
        return bool(self.given_count or self.received_count)


NO_BALANCE = Balance(0, 0, 0, 0, None, None, 0)


def balance_with(network: Network, person: Person, me: int | None = None) -> Balance:
    """The value balance between me and ``person`` (weights summed), in one query: the one
    definition the person page, the prep brief and `kith ledger` read."""
    if person.is_self or person.pk == me:
        return NO_BALANCE
    # Without ``me``, who *me* is is read in the same query (a query less per page).
    mine: int | Subquery = (
        me
        if me is not None
        else Subquery(Person.objects.filter(network=network, is_self=True).values("pk")[:1])
    )
    gave = Q(giver_id=mine, receiver_id=person.pk)
    got = Q(giver_id=person.pk, receiver_id=mine)
    numbers = ValueExchange.objects.filter(network=network).aggregate(
        given=Sum("weight", filter=gave, default=0),
        received=Sum("weight", filter=got, default=0),
        given_count=Count("pk", filter=gave),
        received_count=Count("pk", filter=got),
        last_given=Max("occurred_on", filter=gave),
        last_received=Max("occurred_on", filter=got),
        unthanked=Count("pk", filter=got & Q(thanked_at__isnull=True)),
    )
    return Balance(**numbers)


@dataclass(frozen=True)
class PersonLedger:
    person: Person
    balance: Balance
    exchanges: list[ValueExchange]  # the newest first, with giver, receiver, introduced_to
    total: int  # every exchange with them, when ``exchanges`` shows only the newest

    @property
    def kinds(self) -> list[tuple[str, str]]:
        """The kinds of value, for a form to record one."""
        return list(ValueExchange.Kind.choices)


def person_ledger(network: Network, person: Person, me: int | None = None) -> PersonLedger:
    with_them = ValueExchange.objects.filter(network=network).filter(
        Q(giver_id=person.pk) | Q(receiver_id=person.pk)
    )
    exchanges = list(
        with_them.select_related("giver", "receiver", "introduced_to").order_by(
            "-occurred_on", "-pk"
        )[:PANEL_EXCHANGES]
    )
    total = len(exchanges) if len(exchanges) < PANEL_EXCHANGES else with_them.count()
    # Nothing exchanged with them at all: nothing between us either, and no query to ask.
    balance = balance_with(network, person, me) if exchanges else NO_BALANCE
    return PersonLedger(person, balance, exchanges, total)


def person_panel(network: Network, person: Person, today: dt.date) -> PersonLedger | None:
    """The ledger on a person's page; nothing on my own."""
    if person.is_self:
        return None
    return person_ledger(network, person)


# The network ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Helper:
    """Someone who helped me: the weight of all they gave, and when they last did."""

    person: PersonRef
    received: int
    count: int
    last_received: dt.date


@dataclass(frozen=True)
class GiveBack:
    """Someone who gave to me in the last year whom I have not given to in 180 days."""

    person: PersonRef
    received: int  # weight received within the last year
    last_received: dt.date
    last_given: dt.date | None  # None: never


@dataclass(frozen=True)
class NetworkLedger:
    given: int
    received: int
    given_count: int
    received_count: int
    helpers: list[Helper]
    helpers_total: int
    give_back: list[GiveBack]
    give_back_total: int
    recent: list[ValueExchange]
    thanks_within_days: int
    thanks_due: int = 0  # how many givers wait for thanks

    @property
    def balance(self) -> int:
        return self.received - self.given

    @property
    def words(self) -> str:
        return "you have received more" if self.balance > 0 else balance_words(self.balance)


def top_helpers(network: Network, me: int) -> tuple[list[Helper], int]:
    """Who helped me most: the weight of everything they gave me, all time."""
    grouped = (
        ValueExchange.objects.filter(network=network, receiver_id=me)
        .exclude(giver__archived_at__isnull=False)
        .values("giver_id", "giver__full_name")
        .annotate(received=Sum("weight"), count=Count("pk"), last=Max("occurred_on"))
    )
    rows = grouped.order_by("-received", "-last", "giver__full_name", "giver_id")[:LIST_SIZE]
    helpers = [
        Helper(
            PersonRef(row["giver_id"], row["giver__full_name"]),
            row["received"],
            row["count"],
            row["last"],
        )
        for row in rows
    ]
    total = len(helpers) if len(helpers) < LIST_SIZE else grouped.count()
    return helpers, total


def to_give_back(network: Network, me: int, today: dt.date) -> tuple[list[GiveBack], int]:
    """People who gave to me within the last year, to whom I have given nothing in the
    last 180 days (or ever): the most received first."""
    given_lately = ValueExchange.objects.filter(
        network=network,
        giver_id=me,
        receiver_id=OuterRef("giver_id"),
        occurred_on__gt=today - dt.timedelta(days=GIVEN_WITHIN_DAYS),
    )
    grouped = (
        ValueExchange.objects.filter(
            network=network,
            receiver_id=me,
            occurred_on__gt=today - dt.timedelta(days=RECEIVED_WITHIN_DAYS),
        )
        .exclude(giver__archived_at__isnull=False)
        .filter(~Exists(given_lately))
        .values("giver_id", "giver__full_name")
        .annotate(received=Sum("weight"), last=Max("occurred_on"))
    )
    rows = list(grouped.order_by("-received", "last", "giver__full_name", "giver_id")[:LIST_SIZE])
    last_given = dict(
        ValueExchange.objects.filter(
            network=network, giver_id=me, receiver_id__in=[row["giver_id"] for row in rows]
        )
        .values("receiver_id")
        .annotate(last=Max("occurred_on"))
        .values_list("receiver_id", "last")
    )
    found = [
        GiveBack(
            PersonRef(row["giver_id"], row["giver__full_name"]),
            row["received"],
            row["last"],
            last_given.get(row["giver_id"]),
        )
        for row in rows
    ]
    total = len(found) if len(found) < LIST_SIZE else grouped.count()
    return found, total


def network_ledger(network: Network, today: dt.date) -> NetworkLedger:
    me = me_id(network)
    gave, got = Q(giver_id=me), Q(receiver_id=me)
    numbers = ValueExchange.objects.filter(network=network).aggregate(
        given=Sum("weight", filter=gave, default=0),
        received=Sum("weight", filter=got, default=0),
        given_count=Count("pk", filter=gave),
        received_count=Count("pk", filter=got),
    )
    helpers, helpers_total = top_helpers(network, me)
    give_back, give_back_total = to_give_back(network, me, today)
    recent = list(
        ValueExchange.objects.filter(network=network)
        .select_related("giver", "receiver", "introduced_to")
        .order_by("-occurred_on", "-pk")[:RECENT_EXCHANGES]
    )
    due = unthanked_due(network, today)
    return NetworkLedger(
        **numbers,
        helpers=helpers,
        helpers_total=helpers_total,
        give_back=give_back,
        give_back_total=give_back_total,
        recent=recent,
        thanks_within_days=network.thanks_within_days,
        thanks_due=due.values("giver_id").distinct().count(),
    )
