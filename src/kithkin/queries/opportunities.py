"""Reads about opportunities. (Being built: the agenda section below is a placeholder.)"""

from __future__ import annotations

import datetime as dt

from kithkin.models import Network, Person
from kithkin.queries.agenda_items import Section


def opportunities_to_share(network: Network, today: dt.date) -> Section:
    return Section(key="opportunities", title="opportunities", note="")


def person_panel(network: Network, person: Person, today: dt.date) -> object | None:
    """What the person page shows about opportunities, or None for nothing."""
    return None
