"""The address books' reads (docs/carddav.md): an address book's cards, one card, and what changed
since a sync token.

A card is a person of the network who is neither archived nor *me*, written by the vCard
exporter (``exporters.vcard.person_card``) with the UID and address a contacts program
gave it (``DavCard``) and the properties Kithkin does not model appended unchanged. Its
ETag is a digest of its vCard 3.0 text, so it changes exactly when the card does.

Sync tokens are positions in the change seam (``models.Change``): every write that
touches a person records a change naming them, so the cards changed since a token are
the people named by the network's changes after it. On PostgreSQL changes are read in
commit-safe order, as ``services.changes.pending`` reads them: by (transaction id, id),
and only below the oldest transaction still running; the token holds both numbers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import connection, transaction
from django.db.models import Q

from kithkin.exporters.people_rows import exported_people
from kithkin.exporters.vcard import person_card
from kithkin.models import CardEtag, CardEtagsAsOf, Change, DavCard, DavGroup, Network, Person
from kithkin.services import changes

VERSIONS = ("3.0", "4.0")
DEFAULT_VERSION = "3.0"  # RFC 6352 §6.3.2: what every CardDAV client reads
_DERIVED_HREF = re.compile(r"(\d{1,18})\.vcf")
TOKEN_PREFIX = "http://kithkin.org/ns/sync/"


class Resource(Protocol):
    """A card of the address book: a person's, or a group's."""

    @property
    def href(self) -> str: ...
    @property
    def etag(self) -> str: ...
    def text(self, version: str = DEFAULT_VERSION) -> str: ...


@dataclass(frozen=True)
class Card:
    href: str
    person: Person
    dav: DavCard | None

    def text(self, version: str = DEFAULT_VERSION) -> str:
        uid = self.dav.uid if self.dav else ""
        text: str = person_card(self.person, self.person.network, version, uid=uid).serialize()
        if self.dav and self.dav.extra:
            end = text.rindex("END:VCARD")
            text = text[:end] + "".join(f"{line}\r\n" for line in self.dav.extra.splitlines())
            text += "END:VCARD\r\n"
        return text

    @property
    def etag(self) -> str:
        return etag_of(self.text())


def etag_of(text: str) -> str:
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def href_of(person_id: int, dav: DavCard | None) -> str:
    return dav.href if dav else f"{person_id}.vcf"


def _dav_rows(network: Network, person_ids: Iterable[int] | None = None) -> dict[int, DavCard]:
    rows = DavCard.objects.filter(network=network)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    return {row.person_id: row for row in rows}


def cards(network: Network, person_ids: Iterable[int] | None = None) -> Iterator[Card]:
    """The address book's cards (of ``person_ids`` only, when given), by person."""
    ids = None if person_ids is None else set(person_ids)
    dav = _dav_rows(network, ids)
    for person in exported_people(network, include_archived=False, ids=ids, photos=True):
        person.network = network
        yield Card(href_of(person.pk, dav.get(person.pk)), person, dav.get(person.pk))


def card_at(network: Network, href: str) -> Card | None:
    """The card at ``href``, or None (no such card, or its person archived or gone)."""
    return next(iter(cards_at(network, [href]).values()), None)


def cards_at(network: Network, hrefs: Iterable[str]) -> dict[str, Card]:
    """The cards at these addresses that exist."""
    hrefs = set(hrefs)
    by_href = {row.href: row for row in DavCard.objects.filter(network=network, href__in=hrefs)}
    ids = {row.person_id for row in by_href.values()}
    for href in hrefs - set(by_href):
        if match := _DERIVED_HREF.fullmatch(href):
            ids.add(int(match.group(1)))
    return {card.href: card for card in cards(network, ids) if card.href in hrefs}


def dav_card_of(network: Network, href: str) -> DavCard | None:
    return DavCard.objects.filter(network=network, href=href).first()


def person_of_uid(network: Network, uid: str) -> Person | None:
    """The person a card's UID names: one a contacts program gave, or the exporter's."""
    row = DavCard.objects.filter(network=network, uid=uid).order_by("-pk").first()
    if row is not None:
        return Person.objects.filter(network=network, pk=row.person_id).first()
    match = re.fullmatch(rf"urn:kithkin:{network.pk}:person:(\d{{1,18}})", uid)
    if match:
        return Person.objects.filter(network=network, pk=int(match.group(1))).first()
    return None


# Sync tokens -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Position:
    transaction_id: int
    change_id: int

    @property
    def token(self) -> str:
        return f"{TOKEN_PREFIX}{self.transaction_id}-{self.change_id}"


class InvalidToken(ValueError):
    """A sync token this server never gave (RFC 6578: the client syncs again from none)."""


def position_of(token: str) -> Position:
    match = re.fullmatch(re.escape(TOKEN_PREFIX) + r"(\d{1,20})-(\d{1,20})", token.strip())
    if not match:
        raise InvalidToken(token)
    return Position(int(match.group(1)), int(match.group(2)))


def _ended() -> Q:
    """PostgreSQL: the changes whose transaction has ended (see the module's docstring)."""
    if connection.vendor != "postgresql":
        return Q()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
            " pg_current_xact_id_if_assigned()::text::bigint"
        )
        oldest_running, own = cursor.fetchone()
    ended = Q(transaction_id__lt=oldest_running)
    if own is not None:
        ended |= Q(transaction_id=own)
    return ended


def _order() -> tuple[str, ...]:
    return ("transaction_id", "id") if connection.vendor == "postgresql" else ("id",)


def current_position(network: Network) -> Position:
    """The address book's position now: its latest change every reader can see."""
    last = (
        Change.objects.filter(_ended(), network=network)
        .order_by(*(f"-{name}" for name in _order()))
        .values_list("transaction_id", "id")
        .first()
    )
    return Position(last[0] or 0, last[1]) if last else Position(0, 0)


def changed_since(network: Network, since: Position) -> tuple[set[int], Position]:
    """The people the network's changes after ``since`` named, and the position after them."""
    after = Q(id__gt=since.change_id)
    if connection.vendor == "postgresql":
        after = Q(transaction_id__gt=since.transaction_id) | Q(
            transaction_id=since.transaction_id, id__gt=since.change_id
        )
    people: set[int] = set()
    last = since
    rows = (
        Change.objects.filter(_ended(), after, network=network)
        .order_by(*_order())
        .values_list("transaction_id", "id", "person_ids")
    )
    for transaction_id, change_id, person_ids in rows.iterator(chunk_size=2000):
        people.update(person_ids or ())
        last = Position(transaction_id or 0, change_id)
    return people, last


def hrefs_of(network: Network, person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's address, whether or not they still have a card (a tombstone's too)."""
    ids = set(person_ids)
    dav = _dav_rows(network, ids)
    return {pid: href_of(pid, dav.get(pid)) for pid in ids}


# Group cards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCard:
    """A tag as the group card a contacts program made of it: its members' UIDs."""

    href: str
    uid: str
    name: str
    member_uids: tuple[str, ...]

    def text(self, version: str = DEFAULT_VERSION) -> str:
        kind, member = (
            ("KIND", "MEMBER")
            if version == "4.0"
            else (
                "X-ADDRESSBOOKSERVER-KIND",
                "X-ADDRESSBOOKSERVER-MEMBER",
            )
        )
        name = _escaped(self.name)
        lines = ["BEGIN:VCARD", f"VERSION:{version}", f"UID:{self.uid}", f"FN:{name}"]
        lines += [f"N:{name};;;;", f"{kind}:group"]
        lines += [f"{member}:{_member_uri(uid)}" for uid in self.member_uids]
        return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"

    @property
    def etag(self) -> str:
        return etag_of(self.text())


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _member_uri(uid: str) -> str:
    return uid if ":" in uid else f"urn:uuid:{uid}"


def group_cards(network: Network, hrefs: Iterable[str] | None = None) -> list[GroupCard]:
    """The group cards of the network (at ``hrefs`` only, when given) whose tag exists."""
    groups = DavGroup.objects.filter(network=network, tag__isnull=False).select_related("tag")
    if hrefs is not None:
        groups = groups.filter(href__in=list(hrefs))
    found = list(groups)
    if not found:
        return []
    through = Person.tags.through
    links = through.objects.filter(
        tag_id__in=[g.tag_id for g in found],
        person__archived_at__isnull=True,
        person__is_self=False,
    ).values_list("tag_id", "person_id")
    members: dict[int, list[int]] = {}
    for tag_id, person_id in links:
        members.setdefault(tag_id, []).append(person_id)
    ids = {pid for pids in members.values() for pid in pids}
    uids = {row.person_id: row.uid for row in _dav_rows(network, ids).values()}
    result = []
    for group in found:
        assert group.tag is not None
        member_uids = sorted(
            uids.get(pid) or f"urn:kithkin:{network.pk}:person:{pid}"
            for pid in members.get(group.tag.pk, [])
        )
        result.append(GroupCard(group.href, group.uid, group.tag.name, tuple(member_uids)))
    return result


def group_hrefs(network: Network) -> list[str]:
    """Every group card's address, deleted ones too (a sync reports them gone)."""
    return list(DavGroup.objects.filter(network=network).values_list("href", flat=True))


def resources(network: Network) -> Iterator[Resource]:
    yield from cards(network)
    yield from group_cards(network)


def resources_at(network: Network, hrefs: Iterable[str]) -> dict[str, Resource]:
    hrefs = set(hrefs)
    found: dict[str, Resource] = {g.href: g for g in group_cards(network, hrefs)}
    found.update(cards_at(network, hrefs - set(found)))
    return found


def resource_at(network: Network, href: str) -> Resource | None:
    return resources_at(network, [href]).get(href)


# Listing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A card as stored: its address, ETag and vCard 3.0 text (``stored_cards``)."""

    href: str
    etag: str
    text_3: str = ""

    def text(self, version: str = DEFAULT_VERSION) -> str:
        if version != "3.0" or not self.text_3:
            raise ValueError("a stored card is vCard 3.0, and only a fetched one has its text")
        return self.text_3


def _refreshed(network: Network) -> set[int]:
    """Bring the stored cards (``CardEtag``: ETag and vCard 3.0 text) up to date,
    rendering only the people changed since they were stored (the changes after
    ``CardEtagsAsOf``, read as sync tokens read them); the ids of the people with a card.
    The network's row is locked meanwhile, so an older rendering never replaces a newer
    one. Called inside a transaction."""
    state, _ = CardEtagsAsOf.objects.get_or_create(network=network)
    state = CardEtagsAsOf.objects.select_for_update().get(pk=state.pk)
    stored = set(CardEtag.objects.filter(network=network).values_list("person_id", flat=True))
    since = Position(state.transaction_id, state.change_id)
    changed, position = changed_since(network, since)
    present = set(
        Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
        .values_list("pk", flat=True)
        .iterator()
    )
    stale = (changed & present) | (present - stored)
    gone = (changed | stored) - present
    if gone:
        CardEtag.objects.filter(network=network, person_id__in=list(gone)).delete()
    if stale:
        rendered = [(card.person.pk, card.text()) for card in cards(network, stale)]
        CardEtag.objects.filter(network=network, person_id__in=list(stale)).delete()
        CardEtag.objects.bulk_create(
            [
                CardEtag(network=network, person_id=pid, etag=etag_of(text), text=text)
                for pid, text in rendered
            ],
            batch_size=1000,
        )
    if position != since:
        state.transaction_id, state.change_id = position.transaction_id, position.change_id
        state.save()
    return present


@transaction.atomic
def listing(network: Network) -> list[Listed]:
    """Every card's address and ETag (a second listing of 10,000 unchanged cards renders
    none), the group cards' too."""
    present = _refreshed(network)
    hrefs = hrefs_of(network, present)
    etags = dict(
        CardEtag.objects.filter(network=network).values_list("person_id", "etag").iterator()
    )
    listed = [Listed(hrefs[pid], etags[pid]) for pid in sorted(present) if pid in etags]
    listed += [Listed(group.href, group.etag) for group in group_cards(network)]
    return listed


@transaction.atomic
def stored_cards(network: Network, hrefs: Iterable[str]) -> dict[str, Listed]:
    """The stored vCard 3.0 cards at these addresses (people's only; groups are not
    stored): what a multiget of the default version is answered from."""
    present = _refreshed(network)
    wanted = set(hrefs)
    ids = set(
        DavCard.objects.filter(network=network, href__in=wanted).values_list("person_id", flat=True)
    )
    ids |= {int(m.group(1)) for href in wanted if (m := _DERIVED_HREF.fullmatch(href))}
    ids &= present
    own = hrefs_of(network, ids)
    rows = CardEtag.objects.filter(network=network, person_id__in=list(ids)).values_list(
        "person_id", "etag", "text"
    )
    return {
        own[pid]: Listed(own[pid], etag, text) for pid, etag, text in rows if own[pid] in wanted
    }


@changes.consumer("carddav_etags")
def keep_etags_current(batch: Sequence[Change]) -> None:
    """The worker brings the stored ETags of every address book a program has listed
    up to date after each batch of changes, so a request rarely renders cards itself
    (rendering 10,000 takes seconds). Networks never listed are left alone."""
    listed = CardEtagsAsOf.objects.filter(network_id__in={c.network_id for c in batch})
    for network in Network.objects.filter(pk__in=listed.values("network_id")):
        listing(network)
