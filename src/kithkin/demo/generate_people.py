"""People for a demo network: names from many cultures, jobs, contact points, circles,
tags and the things one writes down about someone; written in batches.

Each person also gets a *span*: the days over which interactions with them happen. Most
are still in touch (the span ends yesterday); a share of every circle has drifted (the
span ends a while ago), so the agenda has a realistic handful of overdue check-ins.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from kithkin.demo import data
from kithkin.demo.generate_affiliations import draw_affiliations
from kithkin.demo.generate_contact_points import draw_contact_points
from kithkin.demo.generate_organizations import OrganizationPicker
from kithkin.demo.plan import CONNECTION_DAYS, HISTORY_DAYS, Demo, OrganizationPlan, PersonPlan
from kithkin.models import Affiliation, Circle, ContactPoint, Person, Tag

# Circle name -> (share of people, share drifted out of touch, interactions per day).
CIRCLES: dict[str, tuple[float, float, float]] = {
    "close": (0.04, 0.15, 1.0),
    "regular": (0.12, 0.20, 0.3),
    "occasional": (0.25, 0.25, 0.1),
    "acquaintance": (0.59, 0.40, 0.03),
}
_ACQUAINTANCE = "acquaintance"
OVERRIDE_SHARE = 0.12


@dataclass
class PersonDraft:
    """A person not yet written, with the rows that hang off them."""

    person: Person
    plan: PersonPlan
    contact_points: list[ContactPoint] = field(default_factory=list)
    affiliations: list[Affiliation] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def assign_circles(demo: Demo, count: int) -> list[str]:
    names = []
    for name, (share, _, _) in CIRCLES.items():
        if name != _ACQUAINTANCE:
            names += [name] * round(share * count)
    names = names[:count]
    names += [_ACQUAINTANCE] * (count - len(names))
    demo.rng.shuffle(names)
    return names


def assign_drifted(demo: Demo, circles: list[str]) -> list[bool]:
    """Who has drifted out of touch: a fixed share of each circle, at least one close."""
    drifted = [False] * len(circles)
    for name, (_, share, _) in CIRCLES.items():
        members = [index for index, circle in enumerate(circles) if circle == name]
        wanted = max(round(share * len(members)), 1 if members else 0)
        for index in demo.rng.sample(members, wanted):
            drifted[index] = True
    return drifted


def _span(demo: Demo, cadence: int | None, drifted: bool) -> tuple[int | None, int, int]:
    """(connected on, added on, last day in touch) as ordinals."""
    rng, today = demo.rng, demo.today_ordinal
    window = today - HISTORY_DAYS
    last = today - 1
    if drifted:
        low = min((cadence or 27) + 3, HISTORY_DAYS - 60)
        last = today - rng.randint(low, max(low, min(3 * low, HISTORY_DAYS - 60)))
    # Someone who drifted away was in touch for a while first: about one cadence at least.
    in_touch = min(cadence or 30, last - window) if drifted else 0
    if rng.random() < 0.70:
        connected = today - rng.randint(today - last + in_touch, CONNECTION_DAYS)
        return connected, max(connected, window), last
    return None, rng.randint(window, last - in_touch), last


def _profile(demo: Demo, person: Person, title: str, organization: str) -> None:
    """Headline, place, birthday and what we know about them, each for a share."""
    rng = demo.rng
    if rng.random() < 0.60:
        person.headline = (
            f"{title} at {organization}"
            if title and organization
            else title or rng.choice(data.HEADLINES)
        )
    if rng.random() < 0.75:
        person.location, person.time_zone = rng.choice(data.CITIES)
    if rng.random() < 0.45:
        person.what_matters = "; ".join(rng.sample(data.WHAT_MATTERS, rng.randint(1, 2)))
    if rng.random() < 0.50:
        person.how_we_met = rng.choice(data.HOW_WE_MET)
    if rng.random() < 0.10:
        person.notes = rng.choice(data.NOTES).format(
            first=person.given_name, topic=rng.choice(data.TOPICS)
        )
    if rng.random() < 0.25:
        person.birthday_month = rng.randint(1, 12)
        person.birthday_day = rng.randint(1, calendar.monthrange(2001, person.birthday_month)[1])
        person.birthday_year = rng.randint(1960, 2001) if rng.random() < 0.5 else None


def _cadence_override(demo: Demo, circle_name: str) -> int | None:
    """About one in twenty people (one in eight of those with a cadence) has their own."""
    choices = data.CADENCE_OVERRIDES.get(circle_name)
    if choices and demo.rng.random() < OVERRIDE_SHARE:
        return demo.rng.choice(choices)
    return None


def draw_person(
    demo: Demo,
    circle: Circle | None,
    circle_name: str,
    drifted: bool,
    picker: OrganizationPicker,
    addresses: dict[str, int],
) -> PersonDraft:
    rng = demo.rng
    given, family = rng.choice(data.GIVEN_NAMES), rng.choice(data.FAMILY_NAMES)
    circle_cadence = circle.cadence_days if circle else None
    cadence_override = _cadence_override(demo, circle_name)
    cadence = cadence_override or circle_cadence
    connected, added, last = _span(demo, cadence, drifted)
    current, title, affiliations = draw_affiliations(demo, picker)
    employer = picker.organizations[current] if current is not None else None
    added_at = demo.instant(added, rng.randint(8, 21), rng.randrange(0, 60, 5))
    person = Person(
        network=demo.network,
        full_name=f"{given} {family}",
        given_name=given,
        family_name=family,
        circle=circle,
        cadence_days=cadence_override,
        connected_on=dt.date.fromordinal(connected) if connected is not None else None,
        created_at=added_at,
        updated_at=added_at,
    )
    _profile(demo, person, title, employer.name if employer else "")
    rate = CIRCLES.get(circle_name, CIRCLES[_ACQUAINTANCE])[2]
    if cadence_override and circle_cadence:
        rate *= circle_cadence / cadence_override  # a shorter cadence: more often in touch
    plan = PersonPlan(
        full_name=person.full_name,
        first=given,
        circle=circle_name,
        organization=employer.name if employer else "",
        organization_index=current,
        first_day=added,
        last_day=last,
        ongoing=not drifted,
        cadence=cadence,
        weight=rate * rng.lognormvariate(0, 0.6) * (last - added + 1),
    )
    tags = rng.sample(data.TAGS, rng.randint(1, 3)) if rng.random() < 0.30 else []
    return PersonDraft(
        person,
        plan,
        draw_contact_points(demo, given, family, employer, addresses),
        affiliations,
        tags,
    )


def _tag_ids(demo: Demo) -> dict[str, int]:
    existing = {tag.name.lower(): tag for tag in Tag.objects.filter(network=demo.network)}
    missing = [
        Tag(network=demo.network, name=name) for name in data.TAGS if name.lower() not in existing
    ]
    for tag in Tag.objects.bulk_create(missing):
        existing[tag.name.lower()] = tag
    return {name: existing[name.lower()].pk for name in data.TAGS}


def _write(drafts: list[PersonDraft], tag_ids: dict[str, int], batch_size: int) -> None:
    Person.objects.bulk_create([draft.person for draft in drafts], batch_size=batch_size)
    points, affiliations, tagged = [], [], []
    for draft in drafts:
        draft.plan.pk = draft.person.pk
        for point in draft.contact_points:
            point.person = draft.person
            points.append(point)
        for affiliation in draft.affiliations:
            affiliation.person = draft.person
            affiliation.created_at = draft.person.created_at
            affiliations.append(affiliation)
        tagged += [
            Person.tags.through(person_id=draft.person.pk, tag_id=tag_ids[name])
            for name in draft.tags
        ]
    ContactPoint.objects.bulk_create(points, batch_size=batch_size)
    Affiliation.objects.bulk_create(affiliations, batch_size=batch_size)
    Person.tags.through.objects.bulk_create(tagged, batch_size=batch_size)


def create_people(
    demo: Demo, organizations: list[OrganizationPlan], count: int
) -> list[PersonPlan]:
    circles = {
        circle.name.lower(): circle for circle in Circle.objects.filter(network=demo.network)
    }
    circle_names = assign_circles(demo, count)
    drifted = assign_drifted(demo, circle_names)
    picker = OrganizationPicker(organizations)
    tag_ids = _tag_ids(demo)
    addresses: dict[str, int] = {}
    plans: list[PersonPlan] = []
    for start in range(0, count, demo.batch_size):
        end = min(start + demo.batch_size, count)
        drafts = [
            draw_person(
                demo,
                circles.get(circle_names[index]),
                circle_names[index],
                drifted[index],
                picker,
                addresses,
            )
            for index in range(start, end)
        ]
        _write(drafts, tag_ids, demo.batch_size)
        plans += [draft.plan for draft in drafts]
        demo.report("people", end, count)
    return plans
