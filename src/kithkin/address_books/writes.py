"""The address books' writes (docs/carddav.md): a card put by a contacts program, a card deleted.

A PUT goes through the one write path for a person from outside
(``contact_saving.save_contact_record``), reading the card with the vCard importer, and
replacing: the card is the whole of what the program shows, so what it no longer says
is withdrawn. The properties Kithkin does not model are kept on the ``DavCard`` with the
address and UID the program chose. A DELETE archives the person (never deletes: a phone's
slip must not erase a history of interactions); the ``DavCard`` stays as the tombstone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from kithkin import access, clock
from kithkin.address_books import cards as dav_queries
from kithkin.errors import InvalidInput
from kithkin.importers.vcard import GroupRecord, group_card, parse_vcards, unmodeled_lines
from kithkin.models import DavCard, DavGroup, Network, Person, User
from kithkin.services import changes, contact_saving, dav_files
from kithkin.services.dav_files import Preconditions as Preconditions
from kithkin.services.dav_files import check_preconditions
from kithkin.services.dav_files import etags_in as etags_in
from kithkin.services.people import (
    archive_person,
    get_or_create_tags,
    tag_names,
    unarchive_person,
)
from kithkin.services.people_bulk import add_tag, remove_tag
from kithkin.services.tags import tag_named

MAX_CARD_BYTES = 1_000_000


class PreconditionFailed(Exception):
    """If-Match or If-None-Match did not hold (HTTP 412)."""


@dataclass(frozen=True)
class PutCard:
    person: Person
    created: bool


@dataclass(frozen=True)
class PutGroup:
    created: bool


def _check(pre: Preconditions, current: str | None) -> None:
    """``current``: the ETag of the card at the address now, None when there is none.
    The one rule of If-Match and If-None-Match (``services.dav_files``), for a card."""
    try:
        check_preconditions(pre, current)
    except dav_files.PreconditionFailed as exc:
        raise PreconditionFailed(str(exc)) from exc


@transaction.atomic
def put_card(
    network: Network, actor: User, href: str, body: bytes, pre: Preconditions = Preconditions()
) -> PutCard | PutGroup:
    """Create or replace the card at ``href`` from ``body`` (one vCard)."""
    access.require_write(actor, network)
    if len(body) > MAX_CARD_BYTES:
        raise InvalidInput("vCard", f"a card is at most {MAX_CARD_BYTES:,} bytes")
    group = group_card(body, href)
    if group is not None:
        return put_group(network, actor, href, group, pre)
    parsed = parse_vcards(body, href)
    if parsed.errors:
        raise InvalidInput("vCard", str(parsed.errors[0]))
    if len(parsed.contacts) != 1:
        raise InvalidInput("vCard", "a card holds exactly one person (KIND:group is not one)")
    record = parsed.contacts[0]
    uid = (record.external_id or "").strip()
    if not uid:
        raise InvalidInput("UID", "a card needs a UID")
    existing = dav_queries.card_at(network, href)
    _check(pre, existing.etag if existing else None)
    person = existing.person if existing else _person_elsewhere(network, href, uid)
    if person is not None and person.archived_at is not None:
        person = unarchive_person(network, actor, person)
    saved = contact_saving.save_contact_record(
        network, actor, record, person=person, replacing=True
    )
    extra = "\n".join(unmodeled_lines(body, href))
    row = DavCard.objects.filter(network=network, href=href).first()
    if row is None:
        DavCard.objects.filter(network=network, person=saved.person).delete()
        row = DavCard(network=network, person=saved.person, href=href)
    changed_extra = row.extra != extra or row.uid != uid or row.person_id != saved.person.pk
    row.person, row.uid, row.extra, row.updated_at = saved.person, uid, extra, clock.now()
    row.save()
    if changed_extra and not saved.changed:
        changes.record(
            network,
            "person.updated",
            actor=actor,
            record_id=saved.person.pk,
            person_ids=[saved.person.pk],
            data={"fields": ["vcard"]},
        )
    return PutCard(person=saved.person, created=existing is None)


def _person_elsewhere(network: Network, href: str, uid: str) -> Person | None:
    """The person a new address's card is about already (its UID is known, or the address
    is a tombstone's): saved again under the new address, never twice."""
    row = dav_queries.dav_card_of(network, href)
    if row is not None:
        return Person.objects.filter(network=network, pk=row.person_id).first()
    return dav_queries.person_of_uid(network, uid)


@transaction.atomic
def delete_card(
    network: Network, actor: User, href: str, pre: Preconditions = Preconditions()
) -> bool:
    """Archive the person whose card is at ``href``; False when there is none."""
    access.require_write(actor, network)
    existing = dav_queries.resource_at(network, href)
    _check(pre, existing.etag if existing else None)
    if isinstance(existing, dav_queries.Card):
        archive_person(network, actor, existing.person)
        return True
    if isinstance(existing, dav_queries.GroupCard):
        row = DavGroup.objects.get(network=network, href=href)
        if row.tag is not None:
            remove_tag(network, actor, Person.objects.filter(network=network), row.tag.name)
        row.tag = None
        row.save(update_fields=["tag"])
        return True
    return False


def put_group(
    network: Network, actor: User, href: str, group: GroupRecord, pre: Preconditions
) -> PutCard | PutGroup:
    """A group card: its name is a tag, and exactly its members have it (the tag is added
    to the members and taken off the others). A group renamed moves its members to the
    new name's tag."""
    if not group.name:
        raise InvalidInput("FN", "a group card needs a name")
    existing = dav_queries.resource_at(network, href)
    if existing is not None and not isinstance(existing, dav_queries.GroupCard):
        raise InvalidInput("KIND", "a person's card cannot become a group")
    _check(pre, existing.etag if existing else None)
    members = {
        person.pk
        for uid in group.member_uids
        if (person := dav_queries.person_of_uid(network, uid)) is not None
    }
    row = DavGroup.objects.filter(network=network, href=href).first()
    if row is not None and row.tag is not None and row.tag.name != group.name:
        remove_tag(network, actor, Person.objects.filter(network=network), row.tag.name)
    if members:
        add_tag(network, actor, members, group.name)
    tag = tag_named(network, group.name)
    if tag is not None:
        others = Person.objects.filter(network=network, tags=tag).exclude(pk__in=members)
        remove_tag(network, actor, others, group.name)
    if tag is None:  # a group without members yet: the tag exists all the same
        [tag] = get_or_create_tags(network, tag_names([group.name]))
    if row is None:
        row = DavGroup(network=network, href=href)
    row.uid = group.uid or row.uid or href.removesuffix(".vcf")
    row.tag, row.updated_at = tag, clock.now()
    row.save()
    changes.record(network, "tag.added", actor=actor, record_id=tag.pk, person_ids=[])
    return PutGroup(created=existing is None)
