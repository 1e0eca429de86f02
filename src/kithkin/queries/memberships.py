"""Reads about memberships. (Being built: the agenda section below is a placeholder.)"""

from __future__ import annotations

import datetime as dt

from kithkin.models import Network
from kithkin.queries.agenda_items import Section


def renewals_due(network: Network, today: dt.date) -> Section:
    return Section(key="renewals", title="renewals", note="")
