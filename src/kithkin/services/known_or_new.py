"""Someone named in passing ("I met Grace Hoper", "Barbara Liskov mentors me"): a person
already known, or someone new — never a near namesake added by mistake.

``find_or_add_person`` finds them by email or exact name (case and accents aside); a name
close to people already known raises ``NearMatch`` with them as candidates, unless ``new``
says to add them anyway; anyone else is added. `kith met`, `kith mentor add` and the "met
at" form share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from kithkin.errors import KithError
from kithkin.models import Network, Person, User
from kithkin.queries.events import exact_people, people_by_email, similar_people
from kithkin.services.people import NewPerson, add_person, full_name_of


class NearMatch(KithError):
    """The name typed is close to people already in the network: the caller must say
    whether it is one of them (pass that person) or someone new (``new=True``)."""

    def __init__(self, name: str, candidates: Sequence[Person]) -> None:
        super().__init__(
            f"{name!r} is close to {len(candidates)} "
            f"{'person' if len(candidates) == 1 else 'people'} you know"
        )
        self.name = name
        self.candidates = list(candidates)


@transaction.atomic
def find_or_add_person(
    network: Network,
    actor: User,
    *,
    name: str,
    email: str = "",
    new: bool = False,
    organization: str = "",
    how_we_met: str = "",
    connected_on: dt.date | None = None,
) -> tuple[Person, bool]:
    """(the person, whether they were added). Found by ``email`` or exact name unless
    ``new``; a name close to people already known raises NearMatch unless ``new``; else
    added with ``email``, ``organization``, ``how_we_met`` and ``connected_on``."""
    full_name = full_name_of(name, "name")
    if not new:
        if email.strip():
            by_email = people_by_email(network, email)
            if len(by_email) == 1:
                return by_email[0], False
        exact = exact_people(network, full_name)
        if len(exact) == 1:
            return exact[0], False
        near = exact or similar_people(network, full_name)
        if near:
            raise NearMatch(full_name, near)
    person = add_person(
        network,
        actor,
        NewPerson(
            full_name=full_name,
            emails=[email.strip()] if email.strip() else [],
            organization=organization,
            how_we_met=how_we_met,
            connected_on=connected_on,
        ),
    )
    return person, True
