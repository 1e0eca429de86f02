"""Kithkin JSON: every record and relation of a network, versioned and lossless.

Records refer to each other by local ids (1, 2, ... in creation order), never by database
ids, so exporting, restoring into an empty network and exporting again gives the same
bytes. Derived state (due dates, search documents) is not exported: it is recomputed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kithkin.models import (
    Affiliation,
    Circle,
    ContactPoint,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Network,
    Organization,
    Person,
    Relationship,
    Tag,
)

FORMAT = "kithkin"
VERSION = 1

PERSON_FIELDS = [
    "full_name",
    "given_name",
    "family_name",
    "nickname",
    "pronouns",
    "headline",
    "location",
    "time_zone",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "cadence_days",
    "snoozed_until",
    "how_we_met",
    "what_matters",
    "notes",
    "connected_on",
    "archived_at",
    "created_at",
    "updated_at",
]


def _value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _refs(rows: list[Any]) -> dict[int, int]:
    return {row.pk: index for index, row in enumerate(rows, start=1)}


def export_json(network: Network) -> str:
    return (
        json.dumps(network_document(network), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    )


def network_document(network: Network) -> dict[str, Any]:
    organizations = list(
        Organization.objects.filter(network=network).prefetch_related("tags").order_by("pk")
    )
    org_ref = _refs(organizations)
    people = list(
        Person.objects.filter(network=network)
        .select_related("circle")
        .prefetch_related("tags")
        .order_by("pk")
    )
    person_ref = _refs(people)
    points: dict[int, list[ContactPoint]] = {}
    for point in ContactPoint.objects.filter(person__network=network).order_by("pk"):
        points.setdefault(point.person_id, []).append(point)
    jobs: dict[int, list[Affiliation]] = {}
    for job in Affiliation.objects.filter(person__network=network).order_by("pk"):
        jobs.setdefault(job.person_id, []).append(job)
    interactions = list(Interaction.objects.filter(network=network).order_by("pk"))
    interaction_ref = _refs(interactions)
    participants: dict[int, list[int]] = {}
    for link in InteractionParticipant.objects.filter(interaction__network=network).order_by("pk"):
        participants.setdefault(link.interaction_id, []).append(person_ref[link.person_id])
    follow_ups = list(
        FollowUp.objects.filter(network=network).prefetch_related("people").order_by("pk")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "network": {
            "time_zone": network.time_zone,
            "daily_outreach_budget": network.daily_outreach_budget,
            "phone_region": network.phone_region,
        },
        "circles": [
            {"name": c.name, "rank": c.rank, "cadence_days": c.cadence_days}
            for c in Circle.objects.filter(network=network).order_by("rank", "pk")
        ],
        "tags": sorted(Tag.objects.filter(network=network).values_list("name", flat=True)),
        "organizations": [
            {
                "id": org_ref[o.pk],
                "name": o.name,
                "kind": o.kind,
                "website": o.website,
                "notes": o.notes,
                "tags": sorted(t.name for t in o.tags.all()),
                "created_at": _value(o.created_at),
            }
            for o in organizations
        ],
        "people": [
            {
                "id": person_ref[p.pk],
                "is_self": p.is_self,
                **{name: _value(getattr(p, name)) for name in PERSON_FIELDS},
                "circle": p.circle.name if p.circle else None,
                "introduced_by": person_ref.get(p.introduced_by_id) if p.introduced_by_id else None,
                "tags": sorted(t.name for t in p.tags.all()),
                "contact_points": [
                    {
                        "kind": c.kind,
                        "service": c.service,
                        "label": c.label,
                        "value": c.value,
                        "normalized": c.normalized,
                        "primary": c.is_primary,
                    }
                    for c in points.get(p.pk, [])
                ],
                "affiliations": [
                    {
                        "organization": org_ref[a.organization_id],
                        "kind": a.kind,
                        "title": a.title,
                        "start_on": _value(a.start_on),
                        "end_on": _value(a.end_on),
                        "renews_on": _value(a.renews_on),
                        "created_at": _value(a.created_at),
                    }
                    for a in jobs.get(p.pk, [])
                ],
            }
            for p in people
        ],
        "relationships": [
            {
                "from": person_ref[r.from_person_id],
                "to": person_ref[r.to_person_id],
                "kind": r.kind,
                "note": r.note,
            }
            for r in Relationship.objects.filter(network=network).order_by("pk")
        ],
        "interactions": [
            {
                "id": interaction_ref[i.pk],
                "kind": i.kind,
                "occurred_at": _value(i.occurred_at),
                "direction": i.direction,
                "summary": i.summary,
                "learned": i.learned,
                "next_questions": i.next_questions,
                "source": i.source,
                "external_id": i.external_id,
                "participants": participants.get(i.pk, []),
                "created_at": _value(i.created_at),
            }
            for i in interactions
        ],
        "follow_ups": [
            {
                "title": f.title,
                "people": sorted(person_ref[p.pk] for p in f.people.all()),
                "due_on": _value(f.due_on),
                "recurrence": f.recurrence,
                "done_at": _value(f.done_at),
                "interaction": interaction_ref.get(f.interaction_id) if f.interaction_id else None,
                "draft": f.draft,
                "created_at": _value(f.created_at),
            }
            for f in follow_ups
        ],
    }
