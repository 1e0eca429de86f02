"""Plan the interactions (meetings, mail, messages) and the value received of an import:
each found among the network's people and the people the import creates, never imported
twice (same source id, or for value the same giver, kind, day and text), and someone no
one knows reported, or created when asked (``create_people``)."""

from __future__ import annotations

import contextlib
from collections import defaultdict

from kithkin import normalize
from kithkin.errors import InvalidInput
from kithkin.fulltext import fold
from kithkin.importers.planned import (
    Budget,
    Existing,
    ImportPlan,
    Key,
    PlannedContact,
    PlannedInteraction,
    PlannedPoint,
    PlannedValue,
)
from kithkin.importers.records import (
    ContactRecord,
    InteractionRecord,
    Participant,
    RecordError,
    ValueRecord,
    stored_id,
)
from kithkin.models import ContactPoint, Interaction, Network, ValueExchange
from kithkin.models.rows import one_of
from kithkin.services.contact_rules import person_name


def _stranger(
    record: InteractionRecord, participant: Participant, network: Network
) -> PlannedContact | None:
    """A new person for someone an interaction names by email, who is not known yet."""
    if not participant.email:
        return None
    try:
        shown, key = normalize.email(participant.email, "email")
    except InvalidInput:
        return None
    try:  # the name the mail or the meeting gives, by the rules of every name
        name = person_name(participant.name)
    except InvalidInput:  # none, invisible or too long: the address names them
        name = person_name(shown.split("@", 1)[0])
    contact = ContactRecord(
        source=record.source,
        path=record.path,
        line=record.line,
        full_name=name,
        emails=[(shown, "")],
    )
    return PlannedContact(
        record=contact, action="new", points=[PlannedPoint(ContactPoint.Kind.EMAIL, shown, key)]
    )


def participant_keys(participant: Participant) -> list[Key]:
    """The contact points that say who someone in an interaction is, best first: their
    email, then their profile. The one rule for imports and synced accounts alike."""
    keys: list[Key] = []
    if participant.email:
        keys.append((ContactPoint.Kind.EMAIL, participant.email.strip().lower()))
    if participant.profile_url:
        with contextlib.suppress(InvalidInput):
            keys.append((ContactPoint.Kind.SOCIAL, normalize.url(participant.profile_url)[1]))
    return keys


def known_people(network: Network, keys: set[Key]) -> dict[Key, int]:
    """Who in the network (not archived) holds each of ``keys``: what ``load_existing``
    finds for them, read for these keys alone (a sync matches a few addresses, not
    everyone)."""
    found: dict[Key, int] = {}
    for kind in {kind for kind, _ in keys}:
        values = [value for k, value in keys if k == kind]
        for person_id, normalized in (
            ContactPoint.objects.filter(
                person__network=network,
                person__archived_at__isnull=True,
                kind=kind,
                normalized__in=values,
            )
            .order_by("pk")
            .values_list("person_id", "normalized")
        ):
            found.setdefault((kind, normalized), person_id)
    return found


# Up to this many records, the ids already stored are looked up by the records' own ids
# (the unique index of network, source and external id, one parameter); beyond, every id of
# the network is read in one scan. A synced mail box plans a batch at a time against a
# network that may hold a million imported interactions.
LOOKED_UP_AT_MOST = 5000


def _known(network: Network, records: list[InteractionRecord]) -> set[tuple[str, str]]:
    """The (source, external id) of the records already stored in the network."""
    if len(records) > LOOKED_UP_AT_MOST:
        return {
            (source, str(external_id))
            for source, external_id in Interaction.objects.filter(
                network=network, external_id__isnull=False
            ).values_list("source", "external_id")
        }
    by_source: dict[str, set[str]] = defaultdict(set)
    for record in records:
        by_source[record.source].add(stored_id(record.external_id))
        by_source[record.source].update(stored_id(alias) for alias in record.aliases)
    known: set[tuple[str, str]] = set()
    for source, ids in by_source.items():
        known.update(
            (source, str(external_id))
            for external_id in Interaction.objects.filter(
                network=network, source=source, external_id__in=one_of(ids, text=True)
            ).values_list("external_id", flat=True)
        )
    return known


def plan_interactions(
    network: Network,
    records: list[InteractionRecord],
    plan: ImportPlan,
    existing: Existing,
    new_by_key: dict[Key, PlannedContact],
    create_people: bool,
    budget: Budget,
) -> None:
    if not records:
        return
    known = _known(network, records)
    seen: set[tuple[str, str]] = set()
    for record in records:
        budget.tick()
        key = (record.source, stored_id(record.external_id))
        aliases = {(record.source, stored_id(alias)) for alias in record.aliases}
        if key in known or key in seen or not aliases.isdisjoint(known):
            plan.interactions.append(PlannedInteraction(record, "exists"))
            continue
        seen.add(key)
        people: list[PlannedContact | int] = []
        for participant in record.participants:
            for candidate in participant_keys(participant):
                match: PlannedContact | int | None = existing.by_key.get(
                    candidate
                ) or new_by_key.get(candidate)
                if match is not None:
                    if match not in people:
                        people.append(match)
                    break
            else:
                stranger = _stranger(record, participant, network) if create_people else None
                if stranger is not None:
                    plan.contacts.append(stranger)
                    for point in stranger.points:
                        new_by_key[point.key] = stranger
                    people.append(stranger)
        plan.interactions.append(
            PlannedInteraction(record, "new" if people else "unmatched", people)
        )


def _giver_of(
    giver: Participant,
    existing: Existing,
    new_by_key: dict[Key, PlannedContact],
    new_by_name: dict[str, list[PlannedContact]],
) -> tuple[PlannedContact | int | None, str]:
    """Who gave it: the person with that LinkedIn profile, else the one person (known or
    created by this import) with that name; else None and why."""
    if giver.profile_url:
        with contextlib.suppress(InvalidInput):
            key = (ContactPoint.Kind.SOCIAL, normalize.url(giver.profile_url)[1])
            found: PlannedContact | int | None = existing.by_key.get(key) or new_by_key.get(key)
            if found is not None:
                return found, ""
    name = fold(" ".join(giver.name.split()))
    candidates: list[PlannedContact | int] = [
        *existing.by_name.get(name, []),
        *new_by_name.get(name, []),
    ]
    if len(candidates) == 1:
        return candidates[0], ""
    who = giver.name or giver.profile_url
    if candidates:
        return None, f"{who}: {len(candidates)} people have that name; not imported"
    return None, f"{who}: no one by that name or profile in your network; not imported"


def plan_values(
    network: Network,
    records: list[ValueRecord],
    plan: ImportPlan,
    existing: Existing,
    new_by_key: dict[Key, PlannedContact],
) -> None:
    """Value received: new, already here (same source and external id), or unmatched --
    reported, never a new person (unless this import creates them anyway)."""
    if not records:
        return
    imported = ValueExchange.objects.filter(network=network, external_id__isnull=False)
    known = set(imported.values_list("source", "external_id"))
    # The same value from the same giver, whatever id an older version gave it (ids are
    # derived from profile keys, and those were normalised differently before).
    known_facts = set(
        imported.values_list("source", "giver_id", "kind", "occurred_on", "description")
    )
    new_by_name: dict[str, list[PlannedContact]] = defaultdict(list)
    for planned in plan.contacts:
        if planned.action == "new":
            new_by_name[fold(" ".join(planned.record.full_name.split()))].append(planned)
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.source, stored_id(record.external_id))
        if key in known or key in seen:
            plan.values.append(PlannedValue(record, "exists"))
            continue
        seen.add(key)
        giver, why = _giver_of(record.giver, existing, new_by_key, new_by_name)
        if giver is None:
            plan.values.append(PlannedValue(record, "unmatched"))
            plan.skipped.append(RecordError(record.path, record.line, "giver", why))
            continue
        fact = (record.source, giver, record.kind, record.occurred_on, record.description)
        if isinstance(giver, int) and fact in known_facts:
            plan.values.append(PlannedValue(record, "exists"))
            continue
        plan.values.append(PlannedValue(record, "new", giver))
