"""A demo person's ties to organizations: a current job for about two in three, a past
job, a degree, a membership with a renewal date."""

from __future__ import annotations

import datetime as dt

from kithkin.demo import data
from kithkin.demo.generate_organizations import OrganizationPicker
from kithkin.demo.plan import Demo, OrganizationPlan
from kithkin.models import Affiliation, Organization


def _affiliation(
    organization: OrganizationPlan,
    kind: str,
    title: str,
    start: int,
    end: int | None = None,
    renews: int | None = None,
) -> Affiliation:
    return Affiliation(
        organization_id=organization.pk,
        kind=kind,
        title=title,
        start_on=dt.date.fromordinal(start),
        end_on=dt.date.fromordinal(end) if end is not None else None,
        renews_on=dt.date.fromordinal(renews) if renews is not None else None,
    )


def draw_affiliations(
    demo: Demo, picker: OrganizationPicker
) -> tuple[int | None, str, list[Affiliation]]:
    """(index of the current employer or None, job title, affiliations)."""
    rng, today = demo.rng, demo.today_ordinal
    organizations = picker.organizations
    rows: list[Affiliation] = []
    current, title, started = None, "", today
    if rng.random() < 0.65:
        current = picker.pick(rng, Organization.Kind.COMPANY if rng.random() < 0.9 else None)
    if current is not None:
        title, started = rng.choice(data.JOB_TITLES), today - rng.randint(60, 3650)
        rows.append(
            _affiliation(organizations[current], Affiliation.Kind.EMPLOYMENT, title, started)
        )
    past = picker.pick(rng, Organization.Kind.COMPANY) if rng.random() < 0.25 else None
    if past is not None and past != current:
        ended = started - rng.randint(0, 120)
        rows.append(
            _affiliation(
                organizations[past],
                Affiliation.Kind.EMPLOYMENT,
                rng.choice(data.JOB_TITLES),
                ended - rng.randint(300, 2500),
                ended,
            )
        )
    school = picker.pick(rng, Organization.Kind.SCHOOL) if rng.random() < 0.12 else None
    if school is not None:
        graduated = today - rng.randint(3 * 365, 20 * 365)
        rows.append(
            _affiliation(
                organizations[school],
                Affiliation.Kind.EDUCATION,
                rng.choice(data.DEGREES),
                graduated - 365 * rng.randint(1, 4),
                graduated,
            )
        )
    association = picker.pick(rng, Organization.Kind.ASSOCIATION) if rng.random() < 0.08 else None
    if association is not None:
        rows.append(
            _affiliation(
                organizations[association],
                Affiliation.Kind.MEMBERSHIP,
                rng.choice(data.MEMBER_ROLES),
                today - rng.randint(60, 2000),
                renews=today + rng.randint(1, 365),
            )
        )
    return current, title, rows
