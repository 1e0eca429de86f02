"""What a tool answers when no shape of ``kithkin.schemas`` is one JSON object already."""

from __future__ import annotations

from kithkin.schemas.api import NetworkGrant
from kithkin.schemas.base import PersonRef, Shape
from kithkin.schemas.followups import FollowUpOut
from kithkin.schemas.interactions import InteractionOut


class NetworksOut(Shape):
    """The networks the caller reaches; ``current`` is the one tools use by default."""

    current: int | None
    networks: list[NetworkGrant]


class LoggedOut(Shape):
    """An interaction just logged, and who took part."""

    interaction: InteractionOut
    people: list[PersonRef]


class CompletedOut(Shape):
    """A follow-up marked done; ``next`` is the one a recurring follow-up schedules."""

    done: FollowUpOut
    next: FollowUpOut | None
