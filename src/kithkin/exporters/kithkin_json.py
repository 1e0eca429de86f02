"""Kithkin JSON: every record and relation of a network, versioned and lossless.

Records refer to each other by local ids (1, 2, ... in creation order), never by database
ids, so exporting, restoring into an empty network and exporting again gives the same
bytes. Derived state (due dates, search documents) is not exported: it is recomputed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kithkin.exporters.snapshot import one_snapshot
from kithkin.models import (
    Affiliation,
    Attendance,
    Circle,
    ContactPoint,
    Event,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Mentorship,
    MessageTemplate,
    Milestone,
    Network,
    Opportunity,
    OpportunityShare,
    Organization,
    Person,
    Photo,
    Relationship,
    Tag,
    ValueExchange,
)
from kithkin.photos import to_base64

FORMAT = "kithkin"
# 2 added events, mentorships, message templates, the value ledger, milestones and
# opportunities. Version 1 files still restore.
VERSION = 2
READABLE_VERSIONS = (1, 2)

NETWORK_FIELDS = [
    "time_zone",
    "daily_outreach_budget",
    "phone_region",
    "renewal_notice_days",
    "thanks_within_days",
    "celebrate_within_days",
]
# Plain fields of the practices' records, by table. References to other records (people,
# organizations, interactions...) are written as local ids next to them.
EVENT_FIELDS = ["name", "kind", "starts_on", "ends_on", "location", "url", "status", "notes"]
EVENT_FIELDS += ["created_at"]
MENTORSHIP_FIELDS = ["goals", "status", "cadence_days", "started_on", "ended_on", "created_at"]
TEMPLATE_FIELDS = ["kind", "subject", "body", "updated_at"]
EXCHANGE_FIELDS = ["kind", "description", "occurred_on", "weight", "thanked_at", "source"]
EXCHANGE_FIELDS += ["external_id", "created_at"]
MILESTONE_FIELDS = ["kind", "title", "year", "month", "day", "recurs_yearly", "note"]
MILESTONE_FIELDS += ["created_at"]
OPPORTUNITY_FIELDS = ["kind", "title", "description", "url", "deadline", "status", "for_me"]
OPPORTUNITY_FIELDS += ["created_at", "updated_at"]
SHARE_FIELDS = ["shared_at", "note", "outcome"]

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


def _plain(row: Any, names: list[str]) -> dict[str, object]:
    return {name: _value(getattr(row, name)) for name in names}


def _ref(refs: dict[int, int], pk: int | None) -> int | None:
    return refs[pk] if pk is not None else None


def export_json(network: Network) -> str:
    with one_snapshot():
        document = network_document(network)
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def network_document(network: Network) -> dict[str, Any]:
    """The network as one document. Its fifteen queries must see one moment: call it inside
    ``snapshot.one_snapshot()`` (``export_json`` does; a backup holds one for every network)."""
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
    photos = dict(Photo.objects.filter(person__network=network).values_list("person_id", "image"))
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
    events = list(Event.objects.filter(network=network).prefetch_related("tags").order_by("pk"))
    event_ref = _refs(events)
    mentorships = list(Mentorship.objects.filter(network=network).order_by("pk"))
    mentorship_ref = _refs(mentorships)
    milestones = list(Milestone.objects.filter(network=network).order_by("pk"))
    milestone_ref = _refs(milestones)
    opportunities = list(
        Opportunity.objects.filter(network=network).prefetch_related("tags").order_by("pk")
    )
    opportunity_ref = _refs(opportunities)
    return {
        "format": FORMAT,
        "version": VERSION,
        "network": {name: getattr(network, name) for name in NETWORK_FIELDS},
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
                # Only beside those with a photo: a JPEG, base64 (restored through
                # photos.reencode like any other photo from outside).
                **({"photo": to_base64(bytes(photos[p.pk]))} if p.pk in photos else {}),
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
                "questions_answered_at": _value(i.questions_answered_at),
                "event": _ref(event_ref, i.event_id),
                "mentorship": _ref(mentorship_ref, i.mentorship_id),
                "milestone": _ref(milestone_ref, i.milestone_id),
                "occasion": i.occasion,
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
        **_practices(
            network,
            person_ref=person_ref,
            org_ref=org_ref,
            interaction_ref=interaction_ref,
            events=events,
            mentorships=mentorships,
            milestones=milestones,
            opportunities=opportunities,
            opportunity_ref=opportunity_ref,
        ),
    }


def _practices(
    network: Network,
    *,
    person_ref: dict[int, int],
    org_ref: dict[int, int],
    interaction_ref: dict[int, int],
    events: list[Event],
    mentorships: list[Mentorship],
    milestones: list[Milestone],
    opportunities: list[Opportunity],
    opportunity_ref: dict[int, int],
) -> dict[str, Any]:
    """Events, mentorships, templates, the ledger, milestones and opportunities (v2)."""
    event_ref = _refs(events)
    attendances = Attendance.objects.filter(event__network=network).order_by("pk")
    shares = OpportunityShare.objects.filter(opportunity__network=network).order_by("pk")
    return {
        "events": [
            {
                "id": event_ref[e.pk],
                **_plain(e, EVENT_FIELDS),
                "organizer": _ref(org_ref, e.organizer_id),
                "tags": sorted(t.name for t in e.tags.all()),
            }
            for e in events
        ],
        "attendances": [
            {
                "event": event_ref[a.event_id],
                "person": person_ref[a.person_id],
                "note": a.note,
                "created_at": _value(a.created_at),
            }
            for a in attendances
        ],
        "mentorships": [
            {
                "id": index,
                "mentor": person_ref[m.mentor_id],
                "mentee": person_ref[m.mentee_id],
                **_plain(m, MENTORSHIP_FIELDS),
            }
            for index, m in enumerate(mentorships, start=1)
        ],
        "message_templates": [
            _plain(t, TEMPLATE_FIELDS)
            for t in MessageTemplate.objects.filter(network=network).order_by("kind")
        ],
        "value_exchanges": [
            {
                "giver": person_ref[v.giver_id],
                "receiver": person_ref[v.receiver_id],
                "introduced_to": _ref(person_ref, v.introduced_to_id),
                "interaction": _ref(interaction_ref, v.interaction_id),
                "thanked_in": _ref(interaction_ref, v.thanked_in_id),
                **_plain(v, EXCHANGE_FIELDS),
            }
            for v in ValueExchange.objects.filter(network=network).order_by("pk")
        ],
        "milestones": [
            {"id": index, "person": person_ref[m.person_id], **_plain(m, MILESTONE_FIELDS)}
            for index, m in enumerate(milestones, start=1)
        ],
        "opportunities": [
            {
                "id": opportunity_ref[o.pk],
                **_plain(o, OPPORTUNITY_FIELDS),
                "organization": _ref(org_ref, o.organization_id),
                "source": _ref(person_ref, o.source_id),
                "tags": sorted(t.name for t in o.tags.all()),
            }
            for o in opportunities
        ],
        "opportunity_shares": [
            {
                "opportunity": opportunity_ref[sh.opportunity_id],
                "person": person_ref[sh.person_id],
                "interaction": _ref(interaction_ref, sh.interaction_id),
                **_plain(sh, SHARE_FIELDS),
            }
            for sh in shares
        ],
    }
