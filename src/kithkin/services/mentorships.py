"""Mentorships: a mentor and a mentee (either may be *me*), their goals, status and
cadence. Sessions are interactions linked to the mentorship, so logging one also resets
the check-in of the people in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Interaction, Mentorship, Network, Person, User
from kithkin.queries.people import me_in
from kithkin.services import changes
from kithkin.services.interactions import log_interaction

Status = Mentorship.Status

MAX_GOAL_LENGTH = 300
MAX_GOALS_LENGTH = 5000
MAX_CADENCE_DAYS = 3660


def clean_goals(goals: str | Sequence[str], field: str = "goal") -> list[str]:
    """One goal per line, blank lines and inner runs of spaces dropped."""
    lines = goals.splitlines() if isinstance(goals, str) else list(goals)
    cleaned = [" ".join(line.split()) for line in lines]
    cleaned = [line for line in cleaned if line]
    for line in cleaned:
        if len(line) > MAX_GOAL_LENGTH:
            raise InvalidInput(field, f"a goal is longer than {MAX_GOAL_LENGTH} characters")
    return cleaned


def _check_cadence(cadence_days: int | None) -> None:
    if cadence_days is not None and not 1 <= cadence_days <= MAX_CADENCE_DAYS:
        raise InvalidInput("every", f"must be between 1 day and {MAX_CADENCE_DAYS // 366} years")


def open_mentorship_between(network: Network, mentor: Person, mentee: Person) -> Mentorship | None:
    """The active or paused mentorship of ``mentor`` with ``mentee``, if any."""
    return (
        Mentorship.objects.filter(network=network, mentor=mentor, mentee=mentee)
        .exclude(status=Status.ENDED)
        .first()
    )


@transaction.atomic
def add_mentorship(
    network: Network,
    actor: User,
    *,
    mentor: Person | None = None,
    mentee: Person | None = None,
    goals: str | Sequence[str] = (),
    cadence_days: int | None = None,
    started_on: dt.date,
    today: dt.date,
) -> Mentorship:
    """``mentor`` mentors ``mentee`` from ``started_on`` (either left out: *me*); sessions
    due every ``cadence_days`` (None: no rhythm). Refused when the two already have one
    open."""
    access.require_write(actor, network)
    mentor = mentor or me_in(network)
    mentee = mentee or me_in(network)
    for person, field in ((mentor, "mentor"), (mentee, "mentee")):
        if person.network_id != network.pk:
            raise InvalidInput(field, "that person is not in this network")
        if person.archived_at is not None:
            raise InvalidInput(field, f"{person.full_name} is archived")
    if mentor.pk == mentee.pk:
        raise InvalidInput("mentee", "a mentorship needs two different people")
    goal_lines = clean_goals(goals)
    if sum(len(line) + 1 for line in goal_lines) > MAX_GOALS_LENGTH:
        raise InvalidInput("goal", f"goals are longer than {MAX_GOALS_LENGTH} characters")
    _check_cadence(cadence_days)
    if started_on > today:
        raise InvalidInput("since", f"{started_on.isoformat()} is in the future")
    existing = open_mentorship_between(network, mentor, mentee)
    if existing is not None:
        hint = " (paused: resume it)" if existing.status == Status.PAUSED else ""
        raise InvalidInput(
            "mentee",
            f"{mentor.full_name} already mentors {mentee.full_name}: #{existing.pk}{hint}",
        )
    mentorship = Mentorship.objects.create(
        network=network,
        mentor=mentor,
        mentee=mentee,
        goals="\n".join(goal_lines),
        status=Status.ACTIVE,
        cadence_days=cadence_days,
        started_on=started_on,
    )
    changes.record(
        network,
        "mentorship.created",
        actor=actor,
        record_id=mentorship.pk,
        person_ids=[mentor.pk, mentee.pk],
        data={"mentor_id": mentor.pk, "mentee_id": mentee.pk},
    )
    return mentorship


def _updated(network: Network, actor: User, mentorship: Mentorship, fields: list[str]) -> None:
    changes.record(
        network,
        "mentorship.updated",
        actor=actor,
        record_id=mentorship.pk,
        person_ids=[mentorship.mentor_id, mentorship.mentee_id],
        data={"fields": fields, "status": mentorship.status},
    )


@transaction.atomic
def add_goal(network: Network, actor: User, mentorship: Mentorship, goal: str) -> Mentorship:
    """Add one goal line."""
    access.require_write(actor, network)
    access.require_in_network(network, mentorship)
    lines = clean_goals([goal])
    if len(lines) != 1:
        raise InvalidInput("goal", "must not be empty")
    existing = clean_goals(mentorship.goals)
    if lines[0].casefold() in {line.casefold() for line in existing}:
        raise InvalidInput("goal", f"{lines[0]!r} is already a goal")
    goals = "\n".join([*existing, lines[0]])
    if len(goals) > MAX_GOALS_LENGTH:
        raise InvalidInput("goal", f"goals are longer than {MAX_GOALS_LENGTH} characters")
    mentorship.goals = goals
    mentorship.save(update_fields=["goals"])
    _updated(network, actor, mentorship, ["goals"])
    return mentorship


# The statuses each status may be reached from: pause, resume, end.
_REACHED_FROM = {
    Status.PAUSED: {Status.ACTIVE},
    Status.ACTIVE: {Status.PAUSED},
    Status.ENDED: {Status.ACTIVE, Status.PAUSED},
}


@transaction.atomic
def set_status(
    network: Network, actor: User, mentorship: Mentorship, status: str, *, today: dt.date
) -> Mentorship:
    """Pause (active → paused), resume (paused → active) or end (→ ended, on ``today``).
    A paused or ended mentorship is never due for a session."""
    access.require_write(actor, network)
    access.require_in_network(network, mentorship)
    if status not in _REACHED_FROM:
        raise InvalidInput("status", f"{status!r} is not one of: {', '.join(Status.values)}")
    target = Status(status)
    if mentorship.status not in _REACHED_FROM[target]:
        if mentorship.status == Status.ENDED:
            raise InvalidInput(
                "status", f"#{mentorship.pk} has ended; add a new mentorship to start again"
            )
        raise InvalidInput("status", f"#{mentorship.pk} is already {mentorship.status}")
    mentorship.status = target
    mentorship.ended_on = today if target == Status.ENDED else None
    mentorship.save(update_fields=["status", "ended_on"])
    _updated(network, actor, mentorship, ["status", "ended_on"])
    return mentorship


@transaction.atomic
def log_session(
    network: Network,
    actor: User,
    mentorship: Mentorship,
    *,
    occurred_at: dt.datetime,
    note: str = "",
    learned: str = "",
    ask: str = "",
) -> Interaction:
    """A session: a meeting with the mentor and mentee (but *me*), linked to the
    mentorship. It resets when the next session is due, and their check-ins."""
    access.require_write(actor, network)
    access.require_in_network(network, mentorship)
    day = clock.local_date(occurred_at, network.time_zone)
    if day < mentorship.started_on:
        raise InvalidInput(
            "on", f"{day.isoformat()} is before the mentorship started ({mentorship.started_on})"
        )
    if mentorship.ended_on is not None and day > mentorship.ended_on:
        raise InvalidInput(
            "on", f"#{mentorship.pk} ended on {mentorship.ended_on}; log sessions before then"
        )
    people = [person for person in (mentorship.mentor, mentorship.mentee) if not person.is_self]
    return log_interaction(
        network,
        actor,
        kind=Interaction.Kind.MEETING,
        people=people,
        occurred_at=occurred_at,
        summary=note,
        learned=learned,
        next_questions=ask,
        mentorship=mentorship,
    )
