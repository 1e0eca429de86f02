"""The Dashboard's stored totals (``models.insights``) kept exact, and rebuilt from nothing.

``InteractionDay`` is kept by the database's triggers (``kithkin.interaction_days``); the
circles' ``KeptSpan`` rows through the change seam: ``derived_state`` hands over the
people whose interactions, circle, cadence or archiving changed (and everyone when an
import or a restore touched everyone, or the network's time zone moved its local dates),
and :func:`refresh_kept` computes their spans again from their interactions, in the
writer's transaction. :func:`rebuild` recomputes both from nothing (``kith stats
--rebuild``); ``tests/test_insight_totals.py`` checks that what is kept equals it after
any mix of writes, deletes, restores and imports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db import connection, transaction

from kithkin import access, clock, interaction_days, organization_counts
from kithkin.models import InteractionParticipant, KeptSpan, Network, Person, User

CHUNK = 5000


def spans_of(days: Iterable[dt.date], cadence_days: int) -> list[tuple[dt.date, dt.date]]:
    """The stretches ``[start, end)`` of days within ``cadence_days`` of a contact on one
    of ``days``: a day E is kept when some contact d has d <= E < d + cadence."""
    found: list[tuple[dt.date, dt.date]] = []
    reach = dt.timedelta(days=cadence_days)
    for day in sorted(set(days)):
        if found and day <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], day + reach))
        else:
            found.append((day, day + reach))
    return found


def refresh_kept(network: Network, person_ids: Collection[int] | None = None) -> None:
    """Compute the kept spans of ``person_ids`` (default: everyone in ``network``) again:
    people in a circle with a cadence, not archived, not *me*."""
    counted = Person.objects.filter(
        network=network,
        circle__cadence_days__isnull=False,
        archived_at__isnull=True,
        is_self=False,
    )
    stored = KeptSpan.objects.filter(network=network)
    if person_ids is None:
        stored.delete()
        chunks: list[list[int] | None] = [None]
    else:
        ids = sorted(person_ids)
        chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    zone = clock.zone(network.time_zone)
    for chunk in chunks:
        if chunk is not None:
            stored.filter(person_id__in=chunk).delete()
            people = counted.filter(pk__in=chunk)
        else:
            people = counted
        circles = {
            pk: (circle_id, cadence_days)
            for pk, circle_id, cadence_days in people.values_list(
                "pk", "circle_id", "circle__cadence_days"
            )
        }
        if not circles:
            continue
        days: dict[int, set[dt.date]] = defaultdict(set)
        keys = list(circles)
        for start in range(0, len(keys), CHUNK):
            rows = InteractionParticipant.objects.filter(
                person_id__in=keys[start : start + CHUNK]
            ).values_list("person_id", "interaction__occurred_at")
            for pk, at in rows.iterator(chunk_size=10_000):
                days[pk].add(at.astimezone(zone).date())
        KeptSpan.objects.bulk_create(
            [
                KeptSpan(network=network, person_id=pk, circle_id=circle_id, start=a, end=b)
                for pk, (circle_id, cadence_days) in circles.items()
                for a, b in spans_of(days.get(pk, ()), cadence_days or 0)
            ],
            batch_size=2000,
        )


def add_contacts(network: Network, contacts: dict[int, dt.datetime]) -> None:
    """Each person of ``contacts`` had one interaction added, at that instant: their spans
    take the days it covers (a contact only ever adds kept days), without reading their
    other interactions — logging with someone of 2,000 interactions reads a few rows."""
    counted = Person.objects.filter(
        pk__in=list(contacts),
        network=network,
        circle__cadence_days__isnull=False,
        archived_at__isnull=True,
        is_self=False,
    ).values_list("pk", "circle_id", "circle__cadence_days")
    zone = clock.zone(network.time_zone)
    for pk, circle_id, cadence_days in counted:
        day = contacts[pk].astimezone(zone).date()
        reach = dt.timedelta(days=cadence_days or 0)
        # The spans it touches: those it falls in or just after (day <= end), which it
        # joins with any it reaches into (start <= day + cadence).
        touching = list(KeptSpan.objects.filter(person_id=pk, end__gte=day, start__lte=day + reach))
        start = min([day, *(span.start for span in touching)])
        end = max([day + reach, *(span.end for span in touching)])
        if len(touching) == 1 and (touching[0].start, touching[0].end) == (start, end):
            continue
        KeptSpan.objects.filter(pk__in=[span.pk for span in touching]).delete()
        KeptSpan.objects.create(
            network=network, person_id=pk, circle_id=circle_id, start=start, end=end
        )


def rebuild(network: Network) -> None:
    """Every stored total of ``network`` computed again from its records (the triggers
    made again first, should they be missing)."""
    interaction_days.ensure_schema(connection)
    interaction_days.recount(connection, network.pk)
    organization_counts.ensure_schema(connection)
    organization_counts.recount(connection, network.pk)
    refresh_kept(network)


@transaction.atomic
def rebuild_totals(network: Network, actor: User) -> None:
    """``rebuild``, asked for by a member who may write (``kith stats --rebuild``)."""
    access.require_write(actor, network)
    rebuild(network)
