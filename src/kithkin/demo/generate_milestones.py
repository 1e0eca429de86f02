"""Demo milestones: a handful of milestones and challenges around today, and two birthdays
within the agenda's window, so Today shows "Celebrate" and "Offer help" at once. Other
birthdays come from generate_people; work anniversaries from the jobs' start dates."""

from __future__ import annotations

import datetime as dt

from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan
from kithkin.models import Milestone, Person

# (kind, days from today, title, note, yearly): past ones show on the person page only.
MILESTONES: tuple[tuple[str, int, str, str, bool], ...] = (
    ("promotion", -2, "VP Engineering", "Announced it on LinkedIn.", False),
    ("launch", 5, "Public beta of {org}'s new product", "", False),
    ("custom", 11, "Founded {org}", "", True),
    ("new-job", -40, "Staff engineer at {org}", "", False),
    ("job-loss", -4, "", "Their team was cut in the reorganisation.", False),
    ("illness", -45, "", "Back at work since January.", False),
)
BIRTHDAYS = (1, 6)  # days from today: one with a year (turns N), one without


def _pick(demo: Demo, plans: list[PersonPlan], count: int) -> list[PersonPlan]:
    """Distinct people still in touch (closer circles first), drawn with the seeded rng."""
    ongoing = [p for p in plans if p.ongoing and p.circle != "acquaintance"] or plans
    rest = [p for p in plans if p not in ongoing] if len(ongoing) < count else []
    pool = demo.rng.sample(ongoing, min(count, len(ongoing)))
    return pool + rest[: count - len(pool)]


def _day(on: dt.date) -> tuple[int, int]:
    """(month, day), 29 February kept off years without one."""
    return (2, 28) if (on.month, on.day) == (2, 29) else (on.month, on.day)


def create_milestones(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many milestones were made."""
    people = _pick(demo, plans, len(MILESTONES) + len(BIRTHDAYS))
    if not people:
        return 0
    rows = []
    for plan, (kind, offset, title, note, yearly) in zip(people, MILESTONES, strict=False):
        on = demo.today + dt.timedelta(days=offset)
        org = plan.organization or "their company"
        month, day = _day(on) if yearly else (on.month, on.day)
        rows.append(
            Milestone(
                network=demo.network,
                person_id=plan.pk,
                kind=kind,
                title=title.format(org=org),
                note=note,
                year=on.year - 5 if yearly else on.year,
                month=month,
                day=day,
                recurs_yearly=yearly,
            )
        )
    Milestone.objects.bulk_create(rows)
    birthdays = []
    for plan, offset in zip(people[len(MILESTONES) :], BIRTHDAYS, strict=False):
        month, day = _day(demo.today + dt.timedelta(days=offset))
        year = demo.rng.randint(1965, 1995) if offset == BIRTHDAYS[0] else None
        birthdays.append(
            Person(pk=plan.pk, birthday_year=year, birthday_month=month, birthday_day=day)
        )
    Person.objects.bulk_update(birthdays, ["birthday_year", "birthday_month", "birthday_day"])
    return len(rows)
