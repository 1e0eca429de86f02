"""The MCP tools, defined once for both transports: each a name, a description, its
arguments (a pydantic model: their JSON Schema is what a client sees), whether it writes,
and a function that calls the same query or service as the `kith` command of that name.

Every tool takes an optional ``network`` (an id); without it, the token's network or the
user's current one. The network is resolved through ``access.grant_for`` with the actor, so
a token limited to one network reaches no other (NotFound) and a read token writes nothing
(Forbidden). A person is named as `kith` reads a name (``queries.people.resolve_person``:
a name, an email, a profile address or ``p12``), or given by id (``access.person_for``).
An answer is a shape of ``kithkin.schemas`` (the structured content) and one line of text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kithkin import access, clock, refs
from kithkin.errors import Ambiguous, KithError, NotFound
from kithkin.schemas.base import Shape

if TYPE_CHECKING:
    from kithkin.models import Network, Person, User

PersonArg = str | int
PERSON_HELP = "A name, an email, a profile address or a reference like p12; or the person's id."


class Arguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    network: int | None = Field(
        None,
        description="The network's id (see the networks tool); default: the token's network, "
        "else your current one.",
    )


@dataclass(frozen=True)
class Call:
    """One tool call: who acts, in which network (already granted), on which day."""

    grant: access.Grant

    @property
    def network(self) -> Network:
        return self.grant.network

    @property
    def user(self) -> User:
        return self.grant.actor.user

    @property
    def today(self) -> dt.date:
        return clock.today_in(self.user.time_zone)

    def person(self, given: PersonArg, *, include_archived: bool = False) -> Person:
        from kithkin.queries.people import resolve_person

        if isinstance(given, int):
            return access.person_for(self.user, self.network, given)
        return resolve_person(self.network, given, include_archived=include_archived)

    def day(self, text: str | None, field: str) -> dt.date | None:
        from kithkin.dates import parse_date

        return parse_date(text, self.today, field) if text is not None else None


@dataclass(frozen=True)
class Answer:
    summary: str
    shape: Shape


@dataclass(frozen=True)
class Tool:
    name: str
    title: str
    description: str
    arguments: type[Arguments]
    run: Callable[[Call, Any], Answer]
    writes: bool = False

    def input_schema(self) -> dict[str, Any]:
        return self.arguments.model_json_schema()


@dataclass(frozen=True)
class Outcome:
    """What a call answers: the text, the structured content (None on error), an error."""

    text: str
    structured: dict[str, Any] | None = None
    is_error: bool = False


# Reading ----------------------------------------------------------------------------------


class NetworksArgs(Arguments):
    pass


class TodayArgs(Arguments):
    date: str | None = Field(
        None, description="Another day's agenda (YYYY-MM-DD, tomorrow, +3d); default today."
    )


class FindArgs(Arguments):
    query: str = Field(description="Words in names, organizations, emails, tags, notes.")
    limit: int = Field(25, ge=1, le=100, description="How many people at most.")


class BriefArgs(Arguments):
    person: PersonArg = Field(description=PERSON_HELP)


class MatchArgs(Arguments):
    opportunity: str | int = Field(description="The opportunity: its id or reference (op12).")
    limit: int = Field(10, ge=1, le=100, description="How many people to list.")


def networks(call: Call, args: NetworksArgs) -> Answer:
    from kithkin.mcp.shapes import NetworksOut
    from kithkin.schemas.api import NetworkGrant

    grants = access.grants_of(call.grant.actor)
    rows = [
        NetworkGrant(
            id=g.network.pk,
            name=g.network.name,
            time_zone=g.network.time_zone,
            role=g.role,
            scope=g.actor.scope,
            can_write=g.can_write,
        )
        for g in grants
    ]
    names = ", ".join(f"{row.name} (#{row.id}, {row.role})" for row in rows)
    return Answer(f"You reach {names}.", NetworksOut(current=call.network.pk, networks=rows))


def today(call: Call, args: TodayArgs) -> Answer:
    from kithkin.queries.agenda import agenda
    from kithkin.queries.plan import plan
    from kithkin.schemas.agenda import AgendaOut

    day = call.day(args.date, "date") or call.today
    result = agenda(call.network, day)
    todays = plan(result)
    lines = [f"{day:%A %-d %B %Y} in {call.network.name}: your {todays.size} for today."]
    lines += [f"- {row.title} ({row.reason}): {row.action}" for row in todays.rows]
    return Answer("\n".join(lines), AgendaOut.of(result, todays, call.network.name))


def find_people(call: Call, args: FindArgs) -> Answer:
    from kithkin.queries.search import search
    from kithkin.schemas.search import SearchOut

    results = search(call.network, args.query, limit=args.limit)
    names = ", ".join(
        f"{hit.person.full_name} ({refs.PERSON(hit.person.pk)})" for hit in results.people
    )
    text = f"Found {names}." if names else f"Nothing matches {args.query!r}."
    return Answer(text, SearchOut.of(results, call.network.time_zone))


def brief(call: Call, args: BriefArgs) -> Answer:
    from kithkin.queries.brief import prep_brief
    from kithkin.schemas.brief import BriefOut

    who = call.person(args.person, include_archived=True)
    shape = BriefOut.of(prep_brief(call.network, who, call.today))
    return Answer(f"The prep brief for {who.full_name} ({refs.PERSON(who.pk)}).", shape)


def match_opportunity(call: Call, args: MatchArgs) -> Answer:
    from kithkin.queries.matching import match_people
    from kithkin.schemas.opportunities import MatchesOut

    item = access.opportunity_for(
        call.user,
        call.network,
        refs.require_id(str(args.opportunity), refs.OPPORTUNITY, "opportunity"),
    )
    matches = match_people(call.network, item, limit=args.limit)
    names = ", ".join(m.person.full_name for m in matches if not m.already_shared)
    text = (
        f"Who would want {item.title}: {names}." if names else f"No one matches {item.title} yet."
    )
    return Answer(text, MatchesOut.of(item, matches))


# Writing ----------------------------------------------------------------------------------


class LogArgs(Arguments):
    kind: str = Field(description="meeting, call, video, email, message, event, social or note.")
    people: list[PersonArg] = Field(min_length=1, description=f"Who took part. {PERSON_HELP}")
    on: str | None = Field(None, description="When (YYYY-MM-DD, yesterday, -3d); default now.")
    summary: str = Field("", description="What it was about.")
    learned: str = Field("", description="What I learned.")
    ask: str = Field("", description="What to ask next time.")
    direction: str = Field("mutual", description="outbound, inbound or mutual.")


class FollowUpArgs(Arguments):
    person: PersonArg = Field(description=f"Whom it is owed to. {PERSON_HELP}")
    title: str = Field(description="What to do.")
    due: str = Field("+2d", description="When (YYYY-MM-DD, tomorrow, +2d); default in two days.")
    every: str | None = Field(None, description="Repeat: 1w, 2w, 1m, quarterly...")


class DoneArgs(Arguments):
    follow_up: str | int = Field(description="The follow-up: its id or reference (f12).")


class ValueArgs(Arguments):
    person: PersonArg = Field(description=f"Who gave or received it. {PERSON_HELP}")
    direction: Literal["given", "received"] = Field(
        description="given: you gave it to them; received: they gave it to you."
    )
    kind: str = Field(
        description="advice, introduction, referral, resource, help, recommendation, "
        "endorsement, gift or opportunity."
    )
    description: str = Field("", description="What exactly, in a few words.")
    on: str | None = Field(None, description="When (YYYY-MM-DD, yesterday, -3d); default today.")
    weight: int = Field(2, description="How much it mattered: 1 (small) to 5 (life-changing).")


def log_interaction(call: Call, args: LogArgs) -> Answer:
    from kithkin.mcp.shapes import LoggedOut
    from kithkin.schemas.base import PersonRef
    from kithkin.schemas.interactions import InteractionOut
    from kithkin.services.interactions import log_interaction as log
    from kithkin.services.interactions import occurred_at_on

    when = occurred_at_on(
        call.day(args.on, "on"), today=call.today, time_zone=call.user.time_zone, field="on"
    )
    people = [call.person(given) for given in args.people]
    interaction = log(
        call.network,
        call.user,
        kind=args.kind.lower(),
        people=people,
        occurred_at=when,
        summary=args.summary,
        learned=args.learned,
        next_questions=args.ask,
        direction=args.direction.lower(),
    )
    zone = call.user.time_zone
    names = ", ".join(person.full_name for person in people)
    day = clock.local_date(interaction.occurred_at, zone)
    return Answer(
        f"Logged {interaction.get_kind_display()} with {names} on {day}.",
        LoggedOut(
            interaction=InteractionOut.of(interaction, zone),
            people=[PersonRef.of(person) for person in people],
        ),
    )


def add_follow_up(call: Call, args: FollowUpArgs) -> Answer:
    from kithkin.dates import parse_every
    from kithkin.schemas.followups import FollowUpOut
    from kithkin.services.followups import add_follow_up as add

    due_on = call.day(args.due, "due")
    assert due_on is not None
    repeat = parse_every(args.every, "every") if args.every else None
    who = call.person(args.person)
    item = add(call.network, call.user, people=[who], title=args.title, due_on=due_on, every=repeat)
    return Answer(
        f"Follow-up {refs.FOLLOW_UP(item.pk)} for {who.full_name}: {item.title} (due {due_on}).",
        FollowUpOut.of(item, [who]),
    )


def complete_follow_up(call: Call, args: DoneArgs) -> Answer:
    from kithkin.mcp.shapes import CompletedOut
    from kithkin.schemas.followups import FollowUpOut
    from kithkin.services.followups import complete_follow_up as complete

    item = access.follow_up_for(
        call.user, call.network, refs.require_id(str(args.follow_up), refs.FOLLOW_UP, "follow_up")
    )
    following = complete(call.network, call.user, item, today=call.today)
    text = f"Done: {refs.FOLLOW_UP(item.pk)} {item.title}."
    if following is not None:
        text += f" Next one {refs.FOLLOW_UP(following.pk)} due {following.due_on}."
    return Answer(
        text,
        CompletedOut(
            done=FollowUpOut.of(item),
            next=FollowUpOut.of(following) if following is not None else None,
        ),
    )


def record_value(call: Call, args: ValueArgs) -> Answer:
    from kithkin.schemas.ledger import ExchangeOut
    from kithkin.services.ledger import give, got

    who = call.person(args.person)
    record = give if args.direction == "given" else got
    exchange = record(
        call.network,
        call.user,
        who,
        args.kind,
        args.description,
        on=call.day(args.on, "on"),
        weight=args.weight,
        today=call.today,
    )
    if args.direction == "given":
        text = f"Gave {who.full_name} {exchange.kind} on {exchange.occurred_on}."
    else:
        text = (
            f"Got {exchange.kind} from {who.full_name} on {exchange.occurred_on} (not thanked yet)."
        )
    return Answer(text, ExchangeOut.of(exchange))


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool(
            "networks",
            "Networks",
            "The networks you reach, your role in each, and the one tools use by default.",
            NetworksArgs,
            networks,
        ),
        Tool(
            "today",
            "Today's plan",
            "Today's plan (your few things to do, ranked and explained), follow-ups due, "
            "check-ins due and the agenda's sections, as `kith today` shows them.",
            TodayArgs,
            today,
        ),
        Tool(
            "find_people",
            "Find people",
            "Search people by name, organization, email, tag, notes and conversations.",
            FindArgs,
            find_people,
        ),
        Tool(
            "brief",
            "Prep brief",
            "What to remember before meeting someone: what matters to them, the last "
            "conversations, questions to ask, what is owed, the value balance.",
            BriefArgs,
            brief,
        ),
        Tool(
            "match_opportunity",
            "Match an opportunity",
            "Who in the network would most want an opportunity, and why.",
            MatchArgs,
            match_opportunity,
        ),
        Tool(
            "log_interaction",
            "Log an interaction",
            "Log a meeting, call, message... with one or more people; it resets their check-in.",
            LogArgs,
            log_interaction,
            writes=True,
        ),
        Tool(
            "add_follow_up",
            "Add a follow-up",
            "Add something you owe someone, due in two days unless `due` says otherwise.",
            FollowUpArgs,
            add_follow_up,
            writes=True,
        ),
        Tool(
            "complete_follow_up",
            "Complete a follow-up",
            "Mark a follow-up done; a recurring one is scheduled again.",
            DoneArgs,
            complete_follow_up,
            writes=True,
        ),
        Tool(
            "record_value",
            "Record value given or received",
            "Record value you gave someone, or they gave you (advice, an introduction, a "
            "referral...); help received waits on the agenda until you thank them.",
            ValueArgs,
            record_value,
            writes=True,
        ),
    )
}


def tools_for(actor: access.Actor) -> list[Tool]:
    """The tools an actor may use: a read token sees no tool that writes."""
    return [tool for tool in TOOLS.values() if actor.may_write or not tool.writes]


def _grant(actor: access.Actor, network_id: int | None, *, write: bool) -> access.Grant:
    if network_id is None:
        network_id = actor.network_id or access.current_network(actor.user).pk
    return access.grant_for(actor, network_id, write=write)


def _error_text(exc: KithError) -> str:
    text = str(exc)
    if isinstance(exc, NotFound) and exc.suggestions:
        text += f" Did you mean {' or '.join(exc.suggestions)}?"
    if isinstance(exc, Ambiguous):
        text += " " + "; ".join(str(candidate) for candidate in exc.candidates)
    return text


def call_tool(actor: access.Actor, name: str, arguments: dict[str, Any] | None) -> Outcome:
    """Run one tool as ``actor``: a tool it may not use is unknown; Kithkin's errors and
    invalid arguments are error outcomes (one line), never an exception."""
    tool = TOOLS.get(name)
    if tool is None or tool not in tools_for(actor):
        return Outcome(f"Unknown tool: {name}.", is_error=True)
    try:
        args = tool.arguments.model_validate(arguments or {})
        grant = _grant(actor, getattr(args, "network", None), write=tool.writes)
        answer = tool.run(Call(grant=grant), args)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'arguments'}: {error['msg']}"
            for error in exc.errors()
        )
        return Outcome(f"Invalid arguments: {problems}", is_error=True)
    except KithError as exc:
        return Outcome(_error_text(exc), is_error=True)
    return Outcome(answer.summary, answer.shape.data())
