"""What one demo generation carries from step to step: the network, the seeded random
source, "today", and a light plan of every organization and person written so far, so
later steps (interactions, follow-ups) never reload model objects by the thousand.

Days are kept as ``date.toordinal()`` integers: cheap to draw, compare and sort.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from kithkin import clock
from kithkin.models import Network, User

Progress = Callable[[str, int, int], None]

BATCH_SIZE = 5000
HISTORY_DAYS = 730  # interactions happen over the two years before today
CONNECTION_DAYS = 6 * 365  # people were connected over the six years before today


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Demo:
    network: Network
    actor: User
    rng: random.Random
    today: dt.date
    progress: Progress = _no_progress
    batch_size: int = BATCH_SIZE

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return clock.zone(self.network.time_zone)

    @property
    def today_ordinal(self) -> int:
        return self.today.toordinal()

    def instant(self, day: int, hour: int, minute: int = 0) -> dt.datetime:
        """The aware UTC instant of ``hour:minute`` local time on ordinal ``day``."""
        local = dt.datetime.combine(
            dt.date.fromordinal(day), dt.time(hour, minute), tzinfo=self.zone
        )
        return local.astimezone(dt.UTC)

    def report(self, stage: str, done: int, total: int) -> None:
        self.progress(stage, done, total)


@dataclass
class OrganizationPlan:
    name: str
    domain: str
    kind: str
    pk: int = 0


@dataclass(slots=True)
class PersonPlan:
    """One generated person, as later steps need them.

    Interactions with them fall between ``first_day`` and ``last_day`` (ordinals); a
    person whose ``last_day`` is well before today has drifted out of touch.
    """

    full_name: str
    first: str
    circle: str
    organization: str  # current organization's name, "" when none
    organization_index: int | None
    first_day: int
    last_day: int
    weight: float  # how many interactions they get, relative to everyone else
    ongoing: bool  # still in touch (last_day is yesterday)
    cadence: int | None  # days between check-ins, None: never due
    pk: int = 0
