"""Write what a synced calendar says: each of its meetings as one interaction, created,
brought up to date or removed (``models.SyncedEvent`` remembers which is which).

The sync (``kithkin.sync``) reads the calendar and matches the people; this module only
writes, in one transaction, through the interaction services (so the check-ins, tallies and
the change seam see a synced meeting as any other)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction

from kithkin import access
from kithkin.models import Interaction, Network, Person, SyncedEvent, User
from kithkin.services import changes
from kithkin.services.interactions import delete_interaction, log_found, update_found


@dataclass(frozen=True)
class Meeting:
    """One occurrence of a calendar event with people of the network."""

    href: str  # the resource it was read from
    external_id: str  # as the ICS importer keys it: UID, or UID/<slot>
    kind: str
    occurred_at: dt.datetime
    direction: str
    summary: str
    people: tuple[int, ...]  # person ids


@dataclass
class Written:
    logged: int = 0
    updated: int = 0
    removed: int = 0


@transaction.atomic
def write_meetings(
    network: Network,
    actor: User,
    *,
    account: str,
    calendar: str,
    meetings: list[Meeting],
    examined: Collection[str] | None,
    keep_before: dt.datetime,
    unreadable: Collection[str] = (),
) -> Written:
    """Make the interactions of ``calendar`` what ``meetings`` say for the resources in
    ``examined`` (re-read or gone; None: every resource of the calendar but those
    ``unreadable``): each meeting logged, adopted (an import or another
    account found it first) or updated; each interaction one of these resources made
    before and that is no longer a meeting removed -- unless it happened before
    ``keep_before``, the start of the window the sync looks at (history it no longer
    reads is left alone). An interaction shared with another calendar or account is
    removed with the last of them."""
    access.require_write(actor, network)
    with changes.collected():  # the check-ins of everyone touched, refreshed once
        return _write(
            network, actor, account, calendar, meetings, examined, keep_before, unreadable
        )


def _write(
    network: Network,
    actor: User,
    account: str,
    calendar: str,
    meetings: list[Meeting],
    examined: Collection[str] | None,
    keep_before: dt.datetime,
    unreadable: Collection[str],
) -> Written:
    written = Written()
    ids = {meeting.external_id for meeting in meetings}
    links = SyncedEvent.objects.filter(network=network, account=account, calendar=calendar)
    known = {
        link.external_id: link
        for link in links.filter(external_id__in=ids).select_related("interaction")
    }
    people = {
        person.pk: person
        for person in Person.objects.filter(
            network=network, pk__in={pk for meeting in meetings for pk in meeting.people}
        )
    }
    adoptable = {
        interaction.external_id: interaction
        for interaction in Interaction.objects.filter(
            network=network,
            source=Interaction.Source.CALENDAR,
            external_id__in=ids - set(known),
        )
    }
    for meeting in meetings:
        link = known.get(meeting.external_id)
        interaction = link.interaction if link else adoptable.get(meeting.external_id)
        if interaction is None:
            interaction = log_found(
                network,
                actor,
                kind=meeting.kind,
                people=[people[pk] for pk in meeting.people if pk in people],
                occurred_at=meeting.occurred_at,
                summary=meeting.summary,
                direction=meeting.direction,
                source=Interaction.Source.CALENDAR,
                external_id=meeting.external_id,
            )
            written.logged += 1
        elif update_found(
            network,
            actor,
            interaction,
            kind=meeting.kind,
            people=[pk for pk in meeting.people if pk in people],
            occurred_at=meeting.occurred_at,
            summary=meeting.summary,
            direction=meeting.direction,
        ):
            written.updated += 1
        if link is None:
            SyncedEvent.objects.create(
                network=network,
                account=account,
                calendar=calendar,
                href=meeting.href,
                external_id=meeting.external_id,
                interaction=interaction,
            )
        elif link.href != meeting.href:
            link.href = meeting.href
            link.save(update_fields=["href"])
    looked_at = links.exclude(href__in=unreadable)
    if examined is not None:
        looked_at = looked_at.filter(href__in=examined)
    gone = (
        looked_at.filter(interaction__occurred_at__gte=keep_before)
        .exclude(external_id__in=ids)
        .select_related("interaction")
    )
    for link in list(gone):
        link.delete()
        others = SyncedEvent.objects.filter(interaction_id=link.interaction_id)
        if not others.exists():
            delete_interaction(network, actor, link.interaction)
            written.removed += 1
    return written


@transaction.atomic
def forget_account(network: Network, actor: User, account: str, *, remove: bool) -> int:
    """When an account is removed: its rows go, and with ``remove`` the interactions only
    it had found (how many). Without, they stay as if imported: only the links go, which
    an account's own user may drop whatever their role now is."""
    if remove:
        access.require_write(actor, network)
    links = list(
        SyncedEvent.objects.filter(network=network, account=account).select_related("interaction")
    )
    SyncedEvent.objects.filter(network=network, account=account).delete()
    removed = 0
    if remove:
        found = {link.interaction_id: link.interaction for link in links}
        for pk, interaction in found.items():
            if not SyncedEvent.objects.filter(interaction_id=pk).exists():
                delete_interaction(network, actor, interaction)
                removed += 1
    return removed
