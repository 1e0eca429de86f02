"""Reads about milestones for the agenda (``celebrate`` and ``support``), the Milestones
page, ``kith milestone list`` and the person page. The occasions themselves, and the
rules for when they fall, are in ``kithkin.queries.occasions``.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field, replace
from operator import itemgetter

from django.db.models import F

from kithkin.models import Milestone, Network, Person
from kithkin.queries.agenda_items import AgendaItem, Section
from kithkin.queries.occasion_pages import first_occasions
from kithkin.queries.occasions import (
    CELEBRATE_AFTER_DAYS,
    SUPPORT_DAYS,
    Occasion,
    Window,
    anniversaries_between,
    birthday_occasion,
    built,
    celebrated_flags,
    detail,
    kind_groups,
    mark_celebrated,
    milestone_occasion,
    milestones_between,
    next_occurrence,
    occasion_order,
    occasions_in,
    reason,
    title,
    unbuilt,
)

SECTION_ITEMS = 10
UPCOMING_DAYS = 30  # the Milestones page looks a month ahead
RECENT_CHALLENGE_DAYS = 90  # and lists the challenges of the last three months
PAGE_ITEMS = 100


# -- the agenda -------------------------------------------------------------------------


@dataclass(frozen=True)
class OccasionItem(AgendaItem):
    """An agenda item that knows its occasion key, for the Celebrate button of a birthday
    or an anniversary (a milestone's button takes ``record_id``)."""

    occasion: str = ""


def agenda_item(occasion: Occasion, today: dt.date, section: str) -> OccasionItem:
    return OccasionItem(
        key=f"{section}-{occasion.html_id}",
        title=title(occasion),
        people=[occasion.person],
        reason=reason(occasion, today),
        on=occasion.on,
        record_id=occasion.milestone_id,
        draft_kind=occasion.draft_kind,
        detail=detail(occasion),
        occasion=occasion.key,
    )


def _section(key: str, heading: str, note: str, items: list[AgendaItem]) -> Section:
    return Section(key=key, title=heading, note=note, items=items[:SECTION_ITEMS], total=len(items))


def celebrations(network: Network, today: dt.date) -> Section:
    """Birthdays, work anniversaries and milestones coming up within the network's window
    (and once-only milestones of the last week), not yet celebrated, soonest first.
    Birthdays and anniversaries are counted in SQL and only the shown ones built
    (``queries.occasion_pages``); milestones are few."""
    days = network.celebrate_within_days
    window = Window.agenda(network, today)
    assert window.yearly is not None
    shown, total = first_occasions(network, *window.yearly, SECTION_ITEMS, open_only=True)
    milestones = [
        unbuilt(o)
        for o in milestones_between(network, replace(window, support=None))
        if not o.support
    ]
    open_milestones = [
        row for row, done in zip(milestones, celebrated_flags(milestones), strict=True) if not done
    ]
    candidates = [unbuilt(o) for o in shown] + open_milestones
    first = built(heapq.nsmallest(SECTION_ITEMS, candidates, key=itemgetter(0)))
    return Section(
        key="celebrate",
        title="Celebrate",
        note=f"Birthdays, work anniversaries and milestones in the next {days} days.",
        items=[agenda_item(occasion, today, "celebrate") for occasion in first],
        total=total + len(open_milestones),
    )


def support_needed(network: Network, today: dt.date) -> Section:
    """Challenges (job loss, illness, a move, a loss) of the last 30 days that I have not
    offered help with yet, the most recent first."""
    window = Window(support=Window.agenda(network, today).support)
    open_ = [o for o in occasions_in(network, window) if not o.celebrated and o.support]
    open_.sort(key=lambda o: (-o.on.toordinal(), o.person.name, o.html_id))
    return _section(
        "support",
        "Offer help",
        f"Hard times in the last {SUPPORT_DAYS} days: a word or an introduction can help.",
        [agenda_item(o, today, "support") for o in open_],
    )


# -- the Milestones page and `kith milestone list` ----------------------------------------


@dataclass(frozen=True)
class OccasionRow:
    """An occasion as a page lists it."""

    occasion: Occasion
    reason: str
    detail: str
    due: bool  # on the agenda now and not celebrated: its button shows
    date: str = ""  # a milestone's date as recorded: "2026-11-20", "--03-14"


def occasion_row(
    occasion: Occasion, today: dt.date, within_days: int, date: str = ""
) -> OccasionRow:
    return OccasionRow(
        occasion,
        reason(occasion, today),
        detail(occasion),
        occasion.due(today, within_days) and not occasion.celebrated,
        date,
    )


@dataclass(frozen=True)
class MilestonesPage:
    today: dt.date
    within_days: int  # the agenda's window
    upcoming: list[Occasion]
    upcoming_total: int
    challenges: list[Occasion]
    challenges_total: int
    upcoming_days: int = UPCOMING_DAYS

    @property
    def upcoming_rows(self) -> list[OccasionRow]:
        return [occasion_row(o, self.today, self.within_days) for o in self.upcoming]

    @property
    def challenge_rows(self) -> list[OccasionRow]:
        return [occasion_row(o, self.today, self.within_days) for o in self.challenges]


def upcoming(
    network: Network, today: dt.date, days: int, *, person_id: int | None = None
) -> list[Occasion]:
    """Occasions from today to ``days`` ahead: birthdays, anniversaries, milestones (and
    challenges dated in those days), celebrated or not, soonest first."""
    ahead = today + dt.timedelta(days=days)
    return occasions_in(
        network,
        Window(yearly=(today, ahead), once=(today, ahead), support=(today, ahead)),
        person_id=person_id,
    )


def _upcoming_page(network: Network, window: Window) -> tuple[list[Occasion], int]:
    """The first ``PAGE_ITEMS`` occasions in ``window``, soonest first, and how many
    there are. A month of a 30,000-person network holds a couple of thousand birthdays
    and anniversaries: they are counted in SQL and only the ones shown built
    (``queries.occasion_pages``); the caller marks them celebrated."""
    assert window.yearly is not None
    yearly, total = first_occasions(network, *window.yearly, PAGE_ITEMS, open_only=False)
    candidates = [unbuilt(o) for o in yearly + milestones_between(network, window)]
    first = built(heapq.nsmallest(PAGE_ITEMS, candidates, key=itemgetter(0)))
    return first, total + len(candidates) - len(yearly)


def milestones_page(network: Network, today: dt.date) -> MilestonesPage:
    """The first ``PAGE_ITEMS`` occasions and challenges, and how many there are.

    Only the rows shown are marked celebrated: a month of a 30,000-person network holds
    thousands of birthdays and anniversaries, and looking all of their occasion keys up
    among a million interactions cost more than the rest of the page."""
    ahead = today + dt.timedelta(days=UPCOMING_DAYS)
    coming, coming_total = _upcoming_page(
        network,
        Window(
            yearly=(today, ahead),
            once=(today - dt.timedelta(days=CELEBRATE_AFTER_DAYS), ahead),
        ),
    )
    challenges = milestones_between(
        network,
        Window(
            support=(
                today - dt.timedelta(days=RECENT_CHALLENGE_DAYS),
                today + dt.timedelta(days=UPCOMING_DAYS),
            )
        ),
    )
    challenges.sort(key=lambda o: (-o.on.toordinal(), o.person.name, o.html_id))
    return MilestonesPage(
        today=today,
        within_days=network.celebrate_within_days,
        upcoming=mark_celebrated(network, coming),
        upcoming_total=coming_total,
        challenges=mark_celebrated(network, challenges[:PAGE_ITEMS]),
        challenges_total=len(challenges),
    )


def milestones_of(network: Network, *, person: Person | None = None) -> list[Milestone]:
    """Milestone rows (not birthdays from profiles), by person then date."""
    rows = Milestone.objects.filter(network=network).select_related("person")
    if person is not None:
        rows = rows.filter(person=person)
    return list(
        rows.order_by(
            "person__full_name", "person_id", F("year").asc(nulls_first=True), "month", "day", "pk"
        )
    )


def date_text(milestone: Milestone) -> str:
    """ "2026-11-20", or "--03-14" (ISO 8601 without a year) for a yearly one without."""
    if milestone.year is None:
        return f"--{milestone.month:02d}-{milestone.day:02d}"
    return f"{milestone.year:04d}-{milestone.month:02d}-{milestone.day:02d}"


# -- one person -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonMilestones:
    person: Person
    today: dt.date
    within_days: int  # the agenda's window
    next_birthday: Occasion | None
    anniversaries: list[Occasion]
    milestones: list[OccasionRow] = field(default_factory=list)

    def is_due(self, occasion: Occasion) -> bool:
        """On the agenda now and not celebrated yet."""
        return occasion.due(self.today, self.within_days) and not occasion.celebrated

    @property
    def kinds(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return kind_groups()

    @property
    def birthday_row(self) -> OccasionRow | None:
        if self.next_birthday is None:
            return None
        return occasion_row(self.next_birthday, self.today, self.within_days)

    @property
    def anniversary_rows(self) -> list[OccasionRow]:
        return [occasion_row(o, self.today, self.within_days) for o in self.anniversaries]

    @property
    def due(self) -> list[Occasion]:
        """What to celebrate or help with now, nearest first."""
        found = [row.occasion for row in self.milestones if row.due]
        found += [o for o in (self.next_birthday, *self.anniversaries) if o and self.is_due(o)]
        return sorted(found, key=lambda o: (abs((o.on - self.today).days), o.on, o.html_id))


def person_occasions(network: Network, person: Person, today: dt.date) -> PersonMilestones:
    """A person's next birthday, next work anniversaries and every milestone. Four
    queries at most."""
    birthday = []
    if person.birthday_month and person.birthday_day:
        on = next_occurrence(person.birthday_month, person.birthday_day, today)
        birthday = [
            birthday_occasion(
                person.pk,
                person.full_name,
                person.birthday_year,
                person.birthday_month,
                person.birthday_day,
                on,
            )
        ]
    anniversaries = anniversaries_between(
        network, today, today + dt.timedelta(days=365), person_id=person.pk, include_self=True
    )
    rows = list(
        Milestone.objects.filter(network=network, person=person).order_by(
            "-year", "-month", "-day", "-pk"
        )
    )
    for milestone in rows:
        milestone.person = person
    milestones = [milestone_occasion(m, today) for m in rows]
    marked = mark_celebrated(network, birthday + anniversaries + milestones)
    birthday, marked = marked[: len(birthday)], marked[len(birthday) :]
    anniversaries, milestones = marked[: len(anniversaries)], marked[len(anniversaries) :]
    panel = PersonMilestones(
        person,
        today,
        network.celebrate_within_days,
        birthday[0] if birthday else None,
        sorted(anniversaries, key=occasion_order),
    )
    panel.milestones.extend(
        occasion_row(o, today, panel.within_days, date_text(m))
        for o, m in zip(milestones, rows, strict=True)
    )
    return panel


def person_panel(network: Network, person: Person, today: dt.date) -> PersonMilestones | None:
    """The milestones panel on a person page (always there: it holds the add form)."""
    return person_occasions(network, person, today)


def open_occasions(network: Network, person: Person, today: dt.date) -> list[Occasion]:
    """What the person has to celebrate or help with now, nearest first."""
    return person_occasions(network, person, today).due
