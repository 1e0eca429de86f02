"""Restore a Kithkin JSON export into an empty network, in one transaction."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kithkin import access
from kithkin.exporters.kithkin_json import FORMAT, PERSON_FIELDS, VERSION
from kithkin.importers.records import ImportFileError
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
    User,
)
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.search_index import reindex_people

_DATES = {"snoozed_until", "connected_on", "start_on", "end_on", "renews_on", "due_on"}
_TIMES = {"archived_at", "created_at", "updated_at", "occurred_at", "done_at"}


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
    if document.get("version") != VERSION:
        raise ImportFileError(
            path, f"is version {document.get('version')!r}; this Kithkin reads {VERSION}"
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
        network.time_zone = settings["time_zone"]
        network.daily_outreach_budget = settings["daily_outreach_budget"]
        network.phone_region = settings.get("phone_region", "")
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
        interactions: dict[int, Interaction] = {}
        for item in document["interactions"]:
            where = f"interactions[{item.get('id')}]"
            interaction = Interaction.objects.create(
                network=network,
                created_by=actor,
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
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFileError(path, f"{where}: {exc.__class__.__name__}: {exc}") from exc
    refresh_check_ins(network)
    reindex_people(network)
    return RestoreSummary(len(people), len(interactions), len(document["follow_ups"]))
