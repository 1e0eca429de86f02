"""Restore a Kithkin JSON export into an empty network, in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kithkin import access
from kithkin.exporters.kithkin_json import (
    EVENT_FIELDS,
    EXCHANGE_FIELDS,
    FORMAT,
    MENTORSHIP_FIELDS,
    MILESTONE_FIELDS,
    NETWORK_FIELDS,
    OPPORTUNITY_FIELDS,
    PERSON_FIELDS,
    READABLE_VERSIONS,
    SHARE_FIELDS,
    TEMPLATE_FIELDS,
    VERSION,
)
from kithkin.importers.records import ImportFileError
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
    Relationship,
    Tag,
    User,
    ValueExchange,
)
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.search_index import reindex_people

_DATES = {"snoozed_until", "connected_on", "start_on", "end_on", "renews_on", "due_on"}
_DATES |= {"starts_on", "ends_on", "started_on", "ended_on", "occurred_on", "deadline"}
_TIMES = {"archived_at", "created_at", "updated_at", "occurred_at", "done_at"}
_TIMES |= {"questions_answered_at", "thanked_at", "shared_at"}


@dataclass(frozen=True)
class RestoreSummary:
    people: int
    interactions: int
    follow_ups: int


def read_document(data: bytes, path: str) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(path, f"is not Kithkin JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError(path, 'is not a Kithkin export (no "format": "kithkin")')
    if document.get("version") not in READABLE_VERSIONS:
        raise ImportFileError(
            path,
            f"is version {document.get('version')!r}; this Kithkin reads "
            f"{', '.join(map(str, READABLE_VERSIONS))} (it writes {VERSION})",
        )
    return document


def _convert(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATES:
        return dt.date.fromisoformat(value)
    if name in _TIMES:
        return dt.datetime.fromisoformat(value)
    return value


def _fields(item: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Every field an export writes is required: a missing one is a KeyError naming it."""
    return {name: _convert(name, item[name]) for name in names}


@transaction.atomic
def restore(network: Network, actor: User, document: dict[str, Any], path: str) -> RestoreSummary:
    access.require_write(actor, network)
    if (
        Person.objects.filter(network=network, is_self=False).exists()
        or network.interactions.exists()
    ):
        raise ImportFileError(
            path,
            "a Kithkin export is restored into an empty network: "
            "make one with `kith network new NAME` and switch to it",
        )
    where = "network"
    try:
        settings = document["network"]
        for name in NETWORK_FIELDS:
            if name in settings:  # version 1 had the first three only
                setattr(network, name, settings[name])
        network.save()
        where = "circles"
        Circle.objects.filter(network=network).delete()
        circles = {
            c["name"]: Circle.objects.create(
                network=network, name=c["name"], rank=c["rank"], cadence_days=c["cadence_days"]
            )
            for c in document["circles"]
        }
        where = "tags"
        tags = {name: Tag.objects.create(network=network, name=name) for name in document["tags"]}
        where = "organizations"
        orgs: dict[int, Organization] = {}
        for item in document["organizations"]:
            where = f"organizations[{item.get('id')}]"
            org = Organization.objects.create(
                network=network, **_fields(item, ["name", "kind", "website", "notes", "created_at"])
            )
            org.tags.set([tags[name] for name in item["tags"]])
            orgs[item["id"]] = org
        people: dict[int, Person] = {}
        me = Person.objects.get(network=network, is_self=True)
        for item in document["people"]:
            where = f"people[{item.get('id')}]"
            values = _fields(item, PERSON_FIELDS)
            if not str(values["full_name"]).strip():
                raise ValueError("full_name is empty")
            values["circle"] = circles[item["circle"]] if item["circle"] else None
            if item["is_self"]:
                for name, value in values.items():
                    setattr(me, name, value)
                me.save()
                person = me
            else:
                person = Person.objects.create(network=network, **values)
            person.tags.set([tags[name] for name in item["tags"]])
            ContactPoint.objects.bulk_create(
                ContactPoint(
                    person=person,
                    kind=c["kind"],
                    service=c["service"],
                    label=c["label"],
                    value=c["value"],
                    normalized=c["normalized"],
                    is_primary=c["primary"],
                )
                for c in item["contact_points"]
            )
            for job in item["affiliations"]:
                Affiliation.objects.create(
                    person=person,
                    organization=orgs[job["organization"]],
                    **_fields(
                        job, ["kind", "title", "start_on", "end_on", "renews_on", "created_at"]
                    ),
                )
            people[item["id"]] = person
        for item in document["people"]:
            if item["introduced_by"]:
                Person.objects.filter(pk=people[item["id"]].pk).update(
                    introduced_by=people[item["introduced_by"]]
                )
        where = "relationships"
        Relationship.objects.bulk_create(
            Relationship(
                network=network,
                from_person=people[r["from"]],
                to_person=people[r["to"]],
                kind=r["kind"],
                note=r["note"],
            )
            for r in document["relationships"]
        )
        where = "events"
        events, mentorships, milestones = _restore_before_interactions(
            network, document, people, orgs, tags
        )
        interactions: dict[int, Interaction] = {}
        for item in document["interactions"]:
            where = f"interactions[{item.get('id')}]"
            interaction = Interaction.objects.create(
                network=network,
                created_by=actor,
                questions_answered_at=_convert(
                    "questions_answered_at", item.get("questions_answered_at")
                ),
                event=events[item["event"]] if item.get("event") else None,
                mentorship=mentorships[item["mentorship"]] if item.get("mentorship") else None,
                milestone=milestones[item["milestone"]] if item.get("milestone") else None,
                occasion=item.get("occasion", ""),
                **_fields(
                    item,
                    [
                        "kind",
                        "occurred_at",
                        "direction",
                        "summary",
                        "learned",
                        "next_questions",
                        "source",
                        "external_id",
                        "created_at",
                    ],
                ),
            )
            InteractionParticipant.objects.bulk_create(
                InteractionParticipant(interaction=interaction, person=people[ref])
                for ref in item["participants"]
            )
            interactions[item["id"]] = interaction
        for index, item in enumerate(document["follow_ups"]):
            where = f"follow_ups[{index}]"
            follow_up = FollowUp.objects.create(
                network=network,
                created_by=actor,
                interaction=interactions[item["interaction"]] if item["interaction"] else None,
                **_fields(
                    item, ["title", "due_on", "recurrence", "done_at", "draft", "created_at"]
                ),
            )
            follow_up.people.set([people[ref] for ref in item["people"]])
        where = "value_exchanges"
        _restore_after_interactions(network, actor, document, people, orgs, tags, interactions)
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFileError(path, f"{where}: {exc.__class__.__name__}: {exc}") from exc
    refresh_check_ins(network)
    reindex_people(network)
    return RestoreSummary(len(people), len(interactions), len(document["follow_ups"]))


def _restore_before_interactions(
    network: Network,
    document: dict[str, Any],
    people: dict[int, Person],
    orgs: dict[int, Organization],
    tags: dict[str, Tag],
) -> tuple[dict[int, Event], dict[int, Mentorship], dict[int, Milestone]]:
    """Events (with who I met there), mentorships and milestones: what interactions
    point at. Absent from version 1 files."""
    events: dict[int, Event] = {}
    for item in document.get("events", []):
        event = Event.objects.create(
            network=network,
            organizer=orgs[item["organizer"]] if item["organizer"] else None,
            **_fields(item, EVENT_FIELDS),
        )
        event.tags.set([tags[name] for name in item["tags"]])
        events[item["id"]] = event
    Attendance.objects.bulk_create(
        Attendance(
            event=events[a["event"]],
            person=people[a["person"]],
            **_fields(a, ["note", "created_at"]),
        )
        for a in document.get("attendances", [])
    )
    mentorships = {
        item["id"]: Mentorship.objects.create(
            network=network,
            mentor=people[item["mentor"]],
            mentee=people[item["mentee"]],
            **_fields(item, MENTORSHIP_FIELDS),
        )
        for item in document.get("mentorships", [])
    }
    milestones = {
        item["id"]: Milestone.objects.create(
            network=network, person=people[item["person"]], **_fields(item, MILESTONE_FIELDS)
        )
        for item in document.get("milestones", [])
    }
    return events, mentorships, milestones


def _restore_after_interactions(
    network: Network,
    actor: User,
    document: dict[str, Any],
    people: dict[int, Person],
    orgs: dict[int, Organization],
    tags: dict[str, Tag],
    interactions: dict[int, Interaction],
) -> None:
    """Message templates, the value ledger and opportunities with their shares."""

    def interaction(ref: int | None) -> Interaction | None:
        return interactions[ref] if ref else None

    MessageTemplate.objects.bulk_create(
        MessageTemplate(network=network, **_fields(t, TEMPLATE_FIELDS))
        for t in document.get("message_templates", [])
    )
    ValueExchange.objects.bulk_create(
        ValueExchange(
            network=network,
            created_by=actor,
            giver=people[v["giver"]],
            receiver=people[v["receiver"]],
            introduced_to=people[v["introduced_to"]] if v["introduced_to"] else None,
            interaction=interaction(v["interaction"]),
            thanked_in=interaction(v["thanked_in"]),
            **_fields(v, EXCHANGE_FIELDS),
        )
        for v in document.get("value_exchanges", [])
    )
    opportunities: dict[int, Opportunity] = {}
    for item in document.get("opportunities", []):
        opportunity = Opportunity.objects.create(
            network=network,
            organization=orgs[item["organization"]] if item["organization"] else None,
            source=people[item["source"]] if item["source"] else None,
            **_fields(item, OPPORTUNITY_FIELDS),
        )
        opportunity.tags.set([tags[name] for name in item["tags"]])
        opportunities[item["id"]] = opportunity
    OpportunityShare.objects.bulk_create(
        OpportunityShare(
            opportunity=opportunities[sh["opportunity"]],
            person=people[sh["person"]],
            interaction=interaction(sh["interaction"]),
            **_fields(sh, SHARE_FIELDS),
        )
        for sh in document.get("opportunity_shares", [])
    )
