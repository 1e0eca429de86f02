"""Demo events: events I went to and the people I met there.

Five past events (attended) with three to eight people met at each — most of them
followed up, a few not —, one meetup that ended a couple of days ago with two or three
people met and no follow-up yet (so Today shows "Follow up after meeting" at once), and
three events to come (going or interested).

A handful of rows whatever the network's size, written with bulk inserts: events,
attendances, the event conversations (interactions linked to the events) and their
participants, and the follow-ups done after the past ones.
"""

from __future__ import annotations

import datetime as dt

from kithkin.demo import data
from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan
from kithkin.models import Attendance, Event, FollowUp, Interaction, InteractionParticipant

Kind, Status = Event.Kind, Event.Status

# (name, kind, days from today to the start, length in days, status, people met)
_PAST: tuple[tuple[str, str, int, int, int], ...] = (
    ("PyData", Kind.CONFERENCE, -620, 3, 6),
    ("Leadership in Tech Summit", Kind.CONFERENCE, -430, 2, 5),
    ("Design Systems Day", Kind.WORKSHOP, -260, 1, 3),
    ("Data Council", Kind.CONFERENCE, -150, 2, 8),
    ("Founders & Funders Breakfast", Kind.SOCIAL, -45, 1, 4),
)
_RECENT = ("Rust & Coffee Meetup", Kind.MEETUP, -3, 1)
_UPCOMING: tuple[tuple[str, str, int, int, str], ...] = (
    ("Women in Data Science", Kind.CONFERENCE, 24, 2, Status.GOING),
    ("Platform Engineering Webinar", Kind.WEBINAR, 9, 1, Status.INTERESTED),
    ("DevOpsDays", Kind.CONFERENCE, 75, 2, Status.INTERESTED),
)
_NOTES = (
    "Talked about {topic}",
    "Sat next to each other at the keynote; {topic}",
    "Asked a great question after the talk on {topic}",
    "Long hallway chat about {topic}",
    "Introduced over lunch; {topic}",
)
_EVENT_NOTES = (
    "Best talks: the one on **{topic}**.\n\nNext year: submit a talk.",
    "Good hallway track. Worth going back.",
    "",
)
_FOLLOWED_UP = 0.7  # share of people met at past events I followed up with


def _event(
    demo: Demo,
    name: str,
    kind: str,
    start: int,
    days: int,
    status: str,
    organizations: list[OrganizationPlan],
) -> Event:
    rng = demo.rng
    starts_on = dt.date.fromordinal(start)
    webinar = kind == Kind.WEBINAR
    return Event(
        network_id=demo.network.pk,
        name=f"{name} {starts_on.year}",
        kind=kind,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1) if days > 1 else None,
        location="" if webinar else rng.choice(data.CITIES)[0],
        url=f"https://{name.lower().replace(' ', '-').replace('&', 'and')}.example/",
        organizer_id=rng.choice(organizations).pk if organizations and rng.random() < 0.6 else None,
        status=status,
        notes=rng.choice(_EVENT_NOTES).format(topic=rng.choice(data.TOPICS)),
        created_at=demo.instant(start - rng.randint(20, 60), 12),
    )


def _pick(pool: list[PersonPlan], count: int, taken: set[int]) -> list[PersonPlan]:
    chosen = [plan for plan in pool if plan.pk not in taken][:count]
    taken.update(plan.pk for plan in chosen)
    return chosen


def _new_or_existing(demo: Demo, events: list[Event]) -> list[Event]:
    """Write the events; one the network already has (a second demo run) is reused."""
    existing = {
        (event.name.lower(), event.starts_on): event
        for event in Event.objects.filter(
            network=demo.network, name__in=[event.name for event in events]
        )
    }
    Event.objects.bulk_create(
        event for event in events if (event.name.lower(), event.starts_on) not in existing
    )
    return [existing.get((event.name.lower(), event.starts_on), event) for event in events]


def _recently_owed(demo: Demo, since: int) -> set[int]:
    """People with a follow-up made on or after ``since``: not "without a follow-up"."""
    return set(
        FollowUp.people.through.objects.filter(
            followup__network=demo.network, followup__created_at__gte=demo.instant(since, 0)
        ).values_list("person_id", flat=True)
    )


def create_events(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many events were made."""
    rng, today = demo.rng, demo.today_ordinal
    events: list[Event] = []
    for name, kind, offset, days, _ in _PAST:
        events.append(
            _event(demo, name, kind, today + offset, days, Status.ATTENDED, organizations)
        )
    name, kind, offset, days = _RECENT
    events.append(_event(demo, name, kind, today + offset, days, Status.ATTENDED, organizations))
    for name, kind, offset, days, status in _UPCOMING:
        events.append(_event(demo, name, kind, today + offset, days, status, organizations))
    events = _new_or_existing(demo, events)
    if not plans:
        return len(events)

    taken: set[int] = set()
    met: list[tuple[Event, PersonPlan, int, bool]] = []  # event, person, day, followed up
    for event, (_, _, offset, days, count) in zip(events, _PAST, strict=False):
        day = today + offset + rng.randrange(days)
        # People first met about then: connected within a month of the event.
        pool = sorted(plans, key=lambda plan: (abs(plan.first_day - day), plan.pk))[: count * 3]
        rng.shuffle(pool)
        for plan in _pick(pool, count, taken):
            met.append((event, plan, day, rng.random() < _FOLLOWED_UP))
    recent = events[len(_PAST)]
    day = recent.last_day.toordinal()
    # Out of touch since before the meetup, and owed nothing since: no follow-up yet.
    owed = _recently_owed(demo, day)
    quiet = [plan for plan in plans if plan.last_day < day and plan.pk not in owed]
    rng.shuffle(quiet)
    for plan in _pick(quiet, rng.randint(2, 3), taken):
        met.append((recent, plan, day, False))

    notes = [rng.choice(_NOTES).format(topic=rng.choice(data.TOPICS)) for _ in met]
    Attendance.objects.bulk_create(
        Attendance(
            event=event,
            person_id=plan.pk,
            note=note,
            created_at=demo.instant(day, rng.randint(10, 18)),
        )
        for (event, plan, day, _), note in zip(met, notes, strict=True)
    )
    conversations = [
        Interaction(
            network_id=demo.network.pk,
            kind=Interaction.Kind.EVENT,
            occurred_at=(when := demo.instant(day, rng.randint(9, 19), rng.choice((0, 15, 30)))),
            direction=Interaction.Direction.MUTUAL,
            summary=note,
            source=Interaction.Source.DEMO,
            event=event,
            created_by_id=demo.actor.pk,
            created_at=when,
        )
        for (event, plan, day, _), note in zip(met, notes, strict=True)
    ]
    Interaction.objects.bulk_create(conversations)
    InteractionParticipant.objects.bulk_create(
        InteractionParticipant(interaction_id=row.pk, person_id=plan.pk)
        for row, (_, plan, _, _) in zip(conversations, met, strict=True)
    )
    done = [
        (
            FollowUp(
                network_id=demo.network.pk,
                title=f"Follow up with {plan.full_name} after {event.name}",
                due_on=dt.date.fromordinal(day + 2),
                interaction=row,
                created_by_id=demo.actor.pk,
                created_at=row.occurred_at,
                done_at=demo.instant(min(day + rng.randint(0, 2), today - 1), 19),
            ),
            plan,
        )
        for row, (event, plan, day, followed) in zip(conversations, met, strict=True)
        if followed
    ]
    FollowUp.objects.bulk_create(follow_up for follow_up, _ in done)
    FollowUp.people.through.objects.bulk_create(
        FollowUp.people.through(followup_id=follow_up.pk, person_id=plan.pk)
        for follow_up, plan in done
    )
    return len(events)
