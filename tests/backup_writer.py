"""A writer for the backup and export tests, run as its own process on a data directory:
each round adds a person and an interaction with them in one transaction, and every
second round deletes the oldest such person with their interaction, in one transaction,
until the file named by the first argument exists. It prints each write once committed.

Every moment of the database so has as many "<prefix> n" people as "<prefix> n"
interactions, each with its person: an export or a backup of one moment shows that."""

from __future__ import annotations

import sys
from pathlib import Path

import django

django.setup()

from django.db import transaction  # noqa: E402

from kithkin import access, clock  # noqa: E402
from kithkin.models import Interaction, Person, User  # noqa: E402
from kithkin.services.interactions import delete_interaction, log_interaction  # noqa: E402
from kithkin.services.people import NewPerson, add_person, delete_person  # noqa: E402


def main(stop: Path, prefix: str) -> None:
    user = User.objects.order_by("pk").first()
    assert user is not None
    network = access.current_network(user)
    alive: list[Person] = []
    number = 0
    while not stop.exists():
        name = f"{prefix} {number}"
        with transaction.atomic():
            person = add_person(network, user, NewPerson(full_name=name))
            log_interaction(
                network, user, kind="call", people=[person], occurred_at=clock.now(), summary=name
            )
        alive.append(person)
        print("added", name, flush=True)
        if number % 2 == 1:
            oldest = alive.pop(0)
            with transaction.atomic():
                for interaction in Interaction.objects.filter(
                    network=network, summary=oldest.full_name
                ):
                    delete_interaction(network, user, interaction)
                delete_person(network, user, oldest)
            print("deleted", oldest.full_name, flush=True)
        number += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
