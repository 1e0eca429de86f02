"""Reads about events. (Being built: the agenda section below is a placeholder.)"""

from __future__ import annotations

import datetime as dt

from kithkin.models import Network, Person
from kithkin.queries.agenda_items import Section


def met_without_follow_up(network: Network, today: dt.date) -> Section:
    return Section(key="met", title="met", note="")


def person_panel(network: Network, person: Person, today: dt.date) -> object | None:
    """What the person page shows about events, or None for nothing."""
    return None
