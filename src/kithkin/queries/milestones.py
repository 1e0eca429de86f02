"""Reads about milestones. (Being built: the agenda sections below are placeholders.)"""

from __future__ import annotations

import datetime as dt

from kithkin.models import Network, Person
from kithkin.queries.agenda_items import Section


def celebrations(network: Network, today: dt.date) -> Section:
    return Section(key="celebrate", title="celebrate", note="")


def support_needed(network: Network, today: dt.date) -> Section:
    return Section(key="support", title="support", note="")


def person_panel(network: Network, person: Person, today: dt.date) -> object | None:
    """What the person page shows about milestones, or None for nothing."""
    return None
