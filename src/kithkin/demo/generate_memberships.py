"""Demo memberships: me as a member of two or three professional associations and
communities, one of them renewing within the notice days so Today shows it at once."""

from __future__ import annotations

import datetime as dt

from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan
from kithkin.models import Affiliation, Organization, Person

# (role, days until the renewal: a range, or None for a membership that never renews)
_MINE: tuple[tuple[str, tuple[int, int] | None], ...] = (
    ("Member", (5, 20)),  # inside the 30-day notice: on Today
    ("Board member", (120, 300)),
    ("Volunteer organiser", None),
)


def create_memberships(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many rows of the main kind were made."""
    rng, today = demo.rng, demo.today_ordinal
    clubs = [
        o
        for o in organizations
        if o.kind in (Organization.Kind.ASSOCIATION, Organization.Kind.COMMUNITY)
    ]
    # Associations first: they are the ones with dues to renew.
    clubs.sort(key=lambda o: o.kind != Organization.Kind.ASSOCIATION)
    chosen = rng.sample(clubs[:8], min(len(_MINE), len(clubs[:8])))
    chosen.sort(key=lambda o: o.kind != Organization.Kind.ASSOCIATION)
    me = Person.objects.get(network=demo.network, is_self=True)
    notice = demo.network.renewal_notice_days
    rows = []
    for organization, (role, renewal) in zip(chosen, _MINE, strict=False):
        renews = None
        if renewal is not None:
            low, high = renewal
            if low <= notice:
                high = min(high, max(notice - 1, 0))
                low = min(low, high)
            renews = dt.date.fromordinal(today + rng.randint(low, high))
        rows.append(
            Affiliation(
                person=me,
                organization_id=organization.pk,
                kind=Affiliation.Kind.MEMBERSHIP,
                title=role,
                start_on=dt.date.fromordinal(today - rng.randint(200, 2500)),
                renews_on=renews,
            )
        )
    Affiliation.objects.bulk_create(rows, batch_size=demo.batch_size)
    return len(rows)
