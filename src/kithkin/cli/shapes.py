"""The documented, stable JSON shapes of `kith ... --json` (docs/cli.md shows each)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from kithkin.models import ContactPoint, FollowUp, Interaction, Person
    from kithkin.queries.agenda import Agenda, FollowUpItem
    from kithkin.queries.agenda_items import Section
    from kithkin.queries.checkins import CheckInStatus
    from kithkin.queries.people import PersonCard
    from kithkin.queries.plan import Plan
    from kithkin.queries.search import SearchResults


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def current_role(person: Person) -> dict[str, str] | None:
    """The person's current job (from prefetched affiliations), else None."""
    current = next((a for a in person.affiliations.all() if a.end_on is None), None)
    if current is None:
        return None
    return {"organization": current.organization.name, "title": current.title}


def person_ref(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "name": person.full_name}


def check_in(status: CheckInStatus) -> dict[str, Any]:
    return {
        "cadence_days": status.cadence_days,
        "due_on": _day(status.due_on),
        "days_overdue": status.days_overdue,
        "last_interaction_on": _day(status.last_interaction_on),
        "reason": status.reason,
    }


def follow_up(item: FollowUp, people: list[Person] | None = None) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "due_on": _day(item.due_on),
        "recurrence": item.recurrence or None,
        "done": item.done_at is not None,
        "people": [person_ref(p) for p in (people if people is not None else item.people.all())],
    }


def follow_up_item(item: FollowUpItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "due_on": _day(item.due_on),
        "recurrence": item.recurrence or None,
        "done": False,
        "people": [{"id": ref.id, "name": ref.name} for ref in item.people],
        "days_overdue": item.days_overdue,
        "reason": item.reason,
    }


def agenda(result: Agenda, network_name: str) -> dict[str, Any]:
    return {
        "date": result.today.isoformat(),
        "network": network_name,
        "follow_ups": [follow_up_item(item) for item in result.follow_ups_due],
        "check_ins": [
            {
                "person": {**person_ref(item.person), "role": current_role(item.person)},
                "circle": item.circle,
                "lateness": item.lateness,
                **check_in(item.status),
            }
            for item in result.check_ins
        ],
        "backlog": {
            "budget": result.backlog.budget,
            "due_total": result.backlog.due_total,
            "later": result.backlog.later,
            "days_to_clear": result.backlog.days_to_clear,
            "schedule": [{"date": d.isoformat(), "count": n} for d, n in result.backlog.schedule],
        },
        "upcoming_follow_ups": [follow_up_item(item) for item in result.follow_ups_upcoming],
        "sections": [section(s) for s in result.sections],
    }


def plan(result: Plan) -> dict[str, Any]:
    """`kith today --json`'s "plan": today's ranked rows within the budget (queries/plan.py)."""
    return {
        "budget": result.budget,
        "waiting": result.waiting,
        "items": [
            {
                "kind": row.kind,
                "key": row.key,
                "title": row.title,
                "people": [{"id": ref.id, "name": ref.name} for ref in row.people],
                "reason": row.reason,
                "action": row.action,
                "id": row.record_id,
                "occasion": row.occasion or None,
            }
            for row in result.rows
        ],
    }


def section(result: Section) -> dict[str, Any]:
    return {
        "key": result.key,
        "title": result.title,
        "total": result.total,
        "items": [
            {
                "key": item.key,
                "title": item.title,
                "people": [{"id": ref.id, "name": ref.name} for ref in item.people],
                "reason": item.reason,
                "on": item.on.isoformat() if item.on else None,
                "id": item.record_id,
                "draft": item.draft_kind or None,
                "detail": item.detail or None,
            }
            for item in result.items
        ],
    }


def contact_point(point: ContactPoint) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "kind": point.kind,
        "service": point.service or None,
        "label": point.label or None,
        "value": point.value,
        "primary": point.is_primary,
    }
    if point.kind == "phone":
        shape["verified"] = not point.is_unverified
    return shape


def point_text(point: ContactPoint) -> str:
    """A contact point on one line, as `kith show` prints it: an address's lines joined by
    commas, a label in parentheses, an unverified phone said to be one."""
    text = point.value.replace("\n", ", ")
    if point.label and point.kind in ("address", "chat"):
        text += f" ({point.label})"
    if point.is_unverified:
        text += " (unverified: not read as a phone number)"
    return text


def interaction(item: Interaction, time_zone: str) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "on": local_date(item.occurred_at, time_zone).isoformat(),
        "occurred_at": item.occurred_at.isoformat(),
        "direction": item.direction,
        "summary": item.summary,
        "learned": item.learned,
        "next_questions": item.next_questions,
        "source": item.source,
    }


def person_card(card: PersonCard, time_zone: str) -> dict[str, Any]:
    person = card.person
    return {
        "id": person.pk,
        "name": person.full_name,
        "headline": person.headline,
        "role": current_role(person),
        "location": person.location,
        "pronouns": person.pronouns,
        "circle": card.circle,
        "tags": card.tags,
        "how_we_met": person.how_we_met,
        "what_matters": person.what_matters,
        "notes": person.notes,
        "connected_on": _day(person.connected_on),
        "snoozed_until": _day(person.snoozed_until),
        "archived": person.archived_at is not None,
        "check_in": check_in(card.check_in),
        "contact_points": [contact_point(p) for p in card.contact_points],
        "affiliations": [
            {
                "organization": a.organization.name,
                "kind": a.kind,
                "title": a.title,
                "start_on": _day(a.start_on),
                "end_on": _day(a.end_on),
                "current": a.end_on is None,
            }
            for a in card.affiliations
        ],
        "relationships": card.relationships,
        "interaction_count": card.interaction_count,
        "timeline": [
            {**interaction(entry.interaction, time_zone), "with": entry.others}
            for entry in card.timeline
        ],
        "follow_ups": [follow_up(item) for item in card.open_follow_ups],
    }


def search(results: SearchResults, time_zone: str) -> dict[str, Any]:
    return {
        "query": results.query,
        "people": [
            {
                **person_ref(hit.person),
                "headline": hit.person.headline,
                "role": current_role(hit.person),
                "matched": hit.matched,
                "interaction": interaction(hit.interaction, time_zone) if hit.interaction else None,
            }
            for hit in results.people
        ],
        "organizations": [{"id": o.pk, "name": o.name} for o in results.organizations],
    }


def local_date(instant: dt.datetime, time_zone: str) -> dt.date:
    from kithkin import clock

    return clock.local_date(instant, time_zone)
