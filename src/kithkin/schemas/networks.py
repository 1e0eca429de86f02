"""Networks, their circles and settings, and triage (a circle for everyone without one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from kithkin.schemas.base import Shape

if TYPE_CHECKING:
    from kithkin.models import Circle, Membership, Network, User
    from kithkin.queries.triage import Suggestion


class NetworkOut(Shape):
    """A network I belong to: my ``role`` (owner, editor, viewer), whether it is current."""

    id: int
    name: str
    role: str
    current: bool

    @classmethod
    def of(cls, membership: Membership, current: Network) -> Self:
        return cls(
            id=membership.network.pk,
            name=membership.network.name,
            role=membership.role,
            current=membership.network.pk == current.pk,
        )


class CircleOut(Shape):
    """``people``: how many (not archived) are in it; ``new_people_join``: people added
    without a circle join this one; ``cadence_days`` null: never due."""

    id: int
    name: str
    rank: int
    cadence_days: int | None
    people: int
    new_people_join: bool

    @classmethod
    def of(cls, circle: Circle, *, size: int, network: Network) -> Self:
        return cls(
            id=circle.pk,
            name=circle.name,
            rank=circle.rank,
            cadence_days=circle.cadence_days,
            people=size,
            new_people_join=circle.pk == network.new_people_circle_id,
        )


class SettingsOut(Shape):
    """``time_zone`` is mine; the rest the network's (``phone_region`` null when unset)."""

    network: str
    daily_outreach_budget: int
    time_zone: str
    network_time_zone: str
    phone_region: str | None

    @classmethod
    def of(cls, user: User, network: Network) -> Self:
        return cls(
            network=network.name,
            daily_outreach_budget=network.daily_outreach_budget,
            time_zone=user.time_zone,
            network_time_zone=network.time_zone,
            phone_region=network.phone_region or None,
        )


class TriageSuggestionOut(Shape):
    """Someone with no circle, the circle suggested for them and the evidence."""

    id: int
    name: str
    suggested_circle: str | None
    score: int
    evidence: list[str]

    @classmethod
    def of(cls, suggestion: Suggestion) -> Self:
        person: Any = suggestion.person
        return cls(
            id=person.pk,
            name=person.full_name,
            suggested_circle=suggestion.circle.name if suggestion.circle else None,
            score=suggestion.score,
            evidence=suggestion.evidence,
        )


class AcceptedOut(Shape):
    """`kith triage --accept`: how many people were placed in their suggested circle."""

    accepted: int
