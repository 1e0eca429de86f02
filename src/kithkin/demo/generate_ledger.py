"""Demo ledger: value given and received over the last year, most of what was received
thanked (each with its thank-you message), a few recent gifts not yet thanked so Today
shows "Say thanks", and one introduction between two people."""

from __future__ import annotations

import datetime as dt
import itertools

from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan
from kithkin.models import Interaction, InteractionParticipant, Person, ValueExchange

MIN_EXCHANGES = 12
MAX_EXCHANGES = 48
YEAR = 365
_CIRCLE_WEIGHTS = {"close": 8.0, "regular": 4.0, "occasional": 2.0}

GIVEN = [
    ("advice", "Reviewed {first}'s conference talk"),
    ("advice", "Talked through {first}'s job offer"),
    ("referral", "Referred {first} for the staff engineer role"),
    ("resource", "Sent {first} the paper on compilers"),
    ("help", "Helped {first} debug the release pipeline"),
    ("recommendation", "Wrote {first} a LinkedIn recommendation"),
    ("opportunity", "Passed {first} the conference call for speakers"),
    ("gift", "Sent {first} a book on negotiation"),
]
RECEIVED = [
    ("referral", "Introduced me to the hiring manager at {org}"),
    ("advice", "Advice on my promotion case"),
    ("resource", "Shared their notes on team rituals"),
    ("help", "Reviewed my talk proposal"),
    ("opportunity", "Invited me to speak at {org}'s meetup"),
    ("endorsement", "Endorsed me for Python"),
    ("gift", "Lent me a book on leadership"),
    ("recommendation", "Wrote me a recommendation"),
]
INTRO_NOTE = "both work on compilers"


def _people(demo: Demo, plans: list[PersonPlan], count: int) -> list[PersonPlan]:
    weights = list(itertools.accumulate(_CIRCLE_WEIGHTS.get(p.circle, 1.0) for p in plans))
    return demo.rng.choices(plans, cum_weights=weights, k=count)


def _text(template: str, plan: PersonPlan) -> str:
    return template.format(first=plan.first, org=plan.organization or "their company")


def _message(demo: Demo, day: int, summary: str) -> Interaction:
    return Interaction(
        network=demo.network,
        kind=Interaction.Kind.MESSAGE,
        occurred_at=demo.instant(day, demo.rng.randint(9, 19), demo.rng.randrange(0, 60, 5)),
        direction=Interaction.Direction.OUTBOUND,
        summary=summary,
        source=Interaction.Source.MANUAL,  # as kith thank and kith intro log them
        created_by=demo.actor,
    )


def _exchange(
    demo: Demo, giver: int, receiver: int, kind: str, text: str, day: int, **fields: object
) -> ValueExchange:
    return ValueExchange(
        network=demo.network,
        giver_id=giver,
        receiver_id=receiver,
        kind=kind,
        description=text,
        occurred_on=dt.date.fromordinal(day),
        weight=demo.rng.choice([1, 2, 2, 2, 3, 3, 4, 5]),
        created_by=demo.actor,
        **fields,
    )


def create_ledger(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many rows of the main kind were made."""
    if len(plans) < 5:
        return 0
    rng, today = demo.rng, demo.today_ordinal
    me = Person.objects.get(network=demo.network, is_self=True).pk
    window = demo.network.thanks_within_days
    exchanges: list[ValueExchange] = []
    thanks: list[tuple[ValueExchange, Interaction, PersonPlan]] = []

    count = max(MIN_EXCHANGES, min(MAX_EXCHANGES, len(plans) // 6))
    for plan in _people(demo, plans, count):
        day = today - rng.randint(window + 10, YEAR)
        if rng.random() < 0.55:
            kind, template = rng.choice(GIVEN)
            exchanges.append(_exchange(demo, me, plan.pk, kind, _text(template, plan), day))
            continue
        kind, template = rng.choice(RECEIVED)
        exchange = _exchange(demo, plan.pk, me, kind, _text(template, plan), day)
        thanked_day = min(day + rng.randint(0, window), today - 1)
        message = _message(demo, thanked_day, f"Thanked for: {kind} ({exchange.description})")
        exchange.thanked_at = message.occurred_at
        exchanges.append(exchange)
        thanks.append((exchange, message, plan))

    # Recent help not thanked yet: three past the thanks window (Today lists them), one
    # still within it.
    recent = rng.sample(plans, 4)
    for plan, ago in zip(recent, (window + 1, window + 3, window + 6, 1), strict=True):
        kind, template = rng.choice(RECEIVED[:5])
        exchanges.append(
            _exchange(demo, plan.pk, me, kind, _text(template, plan), today - max(ago, 0))
        )

    # One introduction: one exchange per person introduced, one message with both.
    first, second = rng.sample([p for p in plans if p not in recent], 2)
    intro_day = today - rng.randint(10, 60)
    intro = _message(
        demo, intro_day, f"Introduced {first.full_name} and {second.full_name}: {INTRO_NOTE}"
    )

    messages = [message for _, message, _ in thanks] + [intro]
    Interaction.objects.bulk_create(messages, batch_size=demo.batch_size)
    InteractionParticipant.objects.bulk_create(
        [InteractionParticipant(interaction=m, person_id=plan.pk) for _, m, plan in thanks]
        + [InteractionParticipant(interaction=intro, person_id=p.pk) for p in (first, second)],
        batch_size=demo.batch_size,
    )
    for exchange, message, _ in thanks:
        exchange.thanked_in = message
    for person, other in ((first, second), (second, first)):
        exchanges.append(
            _exchange(
                demo,
                me,
                person.pk,
                ValueExchange.Kind.INTRODUCTION,
                INTRO_NOTE,
                intro_day,
                introduced_to_id=other.pk,
                interaction=intro,
            )
        )
    ValueExchange.objects.bulk_create(exchanges, batch_size=demo.batch_size)
    return len(exchanges)
