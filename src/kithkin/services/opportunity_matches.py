"""The strong matches "Worth sharing" names, stored on each opportunity to share
(``Opportunity.agenda_matches``): derived state, as a person's due date and strength are.

Matching an opportunity (``queries.matching``) reads hundreds of candidates and scores
them in Python: about 20 ms an opportunity at 30,000 people, most of `kith today`'s time
over ``django.setup()``. The agenda now reads what is stored here and matches only an
opportunity with nothing stored (None: not computed yet).

What is stored is exactly what the agenda would compute (``queries.opportunities.
agenda_matches``): the top ``AGENDA_MATCHES`` strong matches not shared with yet, each as
``[person id, score, reasons]``; names are read from the person when shown. A match
depends on the opportunity (its title, tags, organization, status, shares) and on the
whole network (who is a candidate is capped: the people sharing the most tags, the newest
naming its words), so ``services.derived_state`` refreshes:

- one opportunity when it was added, changed or shared (``opportunity.*`` changes);
- every stored opportunity of the network when anything matching reads of people changed:
  their search document (names, headline, notes, what matters, jobs, tags, contact
  points), their circle, archiving, deleting, merging, restoring, an import.

Only the first ``STORED`` opportunities to share, in the agenda's order, are kept (each
person edit matches them again); the rest hold None, and the worker's hourly job fills any
that move up (a deadline passed) before the agenda has to compute them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import transaction

from kithkin import clock, jobs
from kithkin.doctor import Finding, check
from kithkin.models import Network, Opportunity
from kithkin.queries.opportunities import AGENDA_MATCHED, agenda_matches, to_share

# The agenda matches its first AGENDA_MATCHED; a margin for those whose deadline passes.
STORED = 2 * AGENDA_MATCHED


def stored_form(network: Network, opportunity: Opportunity) -> list[list[object]]:
    """What is stored for ``opportunity``: its strong matches as the agenda computes them."""
    return [[m.person.pk, m.score, list(m.reasons)] for m in agenda_matches(network, opportunity)]


def _kept(network: Network, today: dt.date, *, lock: bool = False) -> list[Opportunity]:
    """The opportunities whose matches are stored: the first ``STORED`` to share from the
    day before ``today`` (a user's today may be a day behind the network's zone).
    ``lock``: their rows are locked (PostgreSQL) until the transaction ends, so two writers
    match them one after the other, the second seeing what the first committed: the last
    stored is never computed from an older state than the one before it."""
    kept = to_share(network, today - dt.timedelta(days=1))
    if lock:
        kept = kept.select_for_update(of=("self",))
    return list(kept[:STORED])


def refresh(
    network: Network,
    opportunity_ids: Collection[int] | None = None,
    *,
    now: dt.datetime | None = None,
) -> int:
    """Match again the stored opportunities of ``network`` (or those of ``opportunity_ids``
    among them) and store what changed, in one transaction; the others hold None. How many
    opportunities were written."""
    today = clock.local_date(now or clock.now(), network.time_zone)
    written = 0
    with transaction.atomic():
        kept = _kept(network, today, lock=True)
        wanted = {o.pk for o in kept}
        for opportunity in kept:
            if opportunity_ids is not None and opportunity.pk not in opportunity_ids:
                continue
            value = stored_form(network, opportunity)
            if value != opportunity.agenda_matches:
                Opportunity.objects.filter(pk=opportunity.pk).update(agenda_matches=value)
                written += 1
        dropped = Opportunity.objects.filter(network=network, agenda_matches__isnull=False).exclude(
            pk__in=wanted
        )
        if opportunity_ids is not None:
            dropped = dropped.filter(pk__in=opportunity_ids)
        written += dropped.update(agenda_matches=None)
    return written


@jobs.job("opportunity matches", every=dt.timedelta(hours=1))
def refresh_hourly(now: dt.datetime) -> int:
    """Every network's stored opportunities matched again: fills those that hold nothing
    yet (after the upgrade that added them, or moved up as deadlines passed) and mends any
    the doctor finds stale. A few opportunities a network: idempotent and cheap."""
    return sum(refresh(network, now=now) for network in Network.objects.all())


@check("opportunity matches")
def stored_matches_are_current() -> list[Finding]:
    """Every stored "Worth sharing" match list equals what matching computes now."""
    differing: list[str] = []
    for network in Network.objects.all():
        for opportunity in to_share(network, clock.today_in(network.time_zone)).filter(
            agenda_matches__isnull=False
        ):
            if opportunity.agenda_matches != stored_form(network, opportunity):
                differing.append(f"#{opportunity.pk}")
    if differing:
        return [
            Finding(
                "opportunity matches",
                False,
                f"{len(differing)} opportunities show matches that are not the current ones "
                f"({', '.join(differing[:10])}): the worker's hourly 'opportunity matches' "
                "job stores them again (`kith worker --once`).",
            )
        ]
    return [
        Finding(
            "opportunity matches",
            True,
            "Every opportunity's stored matches are the ones matching computes.",
        )
    ]
