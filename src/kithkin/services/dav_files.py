"""Writes of a user's plain WebDAV resources in their address-book home (docs/carddav.md).

``/dav/<user>/`` is an ordinary WebDAV collection: beside the address books (one per
network, never stored here) a user keeps collections and files of their own, made by MKCOL
and PUT, copied, moved and deleted, with dead properties (PROPPATCH). Paths are given
inside the home ("notes/todo.txt"); ``models.dav_files.clean_path`` says which are names.

Rules, each written once here:

- a name at the home's top made only of digits is an address book's (``/dav/<user>/<network>/``):
  nothing plain is made, copied or moved there (``Refused``);
- a resource's parent must be an existing collection (``MissingParent``, 409);
- bounds: a file's content at most ``MAX_FILE_BYTES`` (``TooLarge``, 413), a resource's
  dead properties at most ``MAX_PROPERTY_BYTES``, and per user at most ``MAX_RESOURCES``
  resources and ``QUOTA_BYTES`` of content and properties (``OverQuota``, 507). Fixed
  numbers, not settings: the home holds what WebDAV clients keep beside an address book
  (and litmus's test files), not a file store, and everything in it is in the database
  and its backups;
- ``If-Match`` / ``If-None-Match`` hold or the write is ``PreconditionFailed`` (412).

Each write is one transaction that first locks the owner's row, so two writes of one user
never both pass the quota (on SQLite writes are serial anyway).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from kithkin import clock
from kithkin.errors import KithError, NotFound
from kithkin.models import DavFile, User
from kithkin.models.dav_files import clean_path, parent_of
from kithkin.queries.dav_files import usage

MAX_FILE_BYTES = 1_000_000
MAX_PROPERTY_BYTES = 100_000
MAX_RESOURCES = 2_000
QUOTA_BYTES = 20_000_000
ADDRESS_BOOK_NAME = re.compile(r"\d{1,18}")  # as dav/urls.py routes a network's id
DEFAULT_TYPE = "application/octet-stream"
CONTENT_TYPE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;[\x20-\x7e]*)?", re.ASCII)


class FileError(KithError):
    """A write the WebDAV rules refuse; each kind is its own status."""


class MissingParent(FileError):
    """The resource's parent is not an existing collection (409)."""


class AlreadyThere(FileError):
    """MKCOL where a resource is (405)."""


class IsCollection(FileError):
    """PUT onto a collection (405)."""


class PreconditionFailed(FileError):
    """If-Match, If-None-Match or Overwrite: F did not hold (412)."""


class TooLarge(FileError):
    """A file's content over ``MAX_FILE_BYTES`` (413)."""


class OverQuota(FileError):
    """Over the user's quota, or a resource's properties over their bound (507)."""


class Refused(FileError):
    """Never done here: an address book's name, a resource onto or into itself (403)."""


@dataclass(frozen=True)
class Preconditions:
    if_match: str | None = None  # ETags, or "*"
    if_none_match: str | None = None  # "*", or ETags


def etags_in(header: str) -> set[str]:
    """The ETags an If-Match or If-None-Match header lists (weak ones as strong)."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def etag_listed(header: str, etag: str) -> bool:
    return header.strip() == "*" or etag in etags_in(header)


def check_preconditions(pre: Preconditions, current: str | None) -> None:
    """``current``: the ETag of the resource there now, None when there is none."""
    if (
        pre.if_none_match is not None
        and current is not None
        and etag_listed(pre.if_none_match, current)
    ):
        raise PreconditionFailed("If-None-Match: the resource is there")
    if pre.if_match is not None:
        if current is None:
            raise PreconditionFailed("If-Match: nothing is at this address")
        if not etag_listed(pre.if_match, current):
            raise PreconditionFailed("If-Match: the resource changed since it was read")


@dataclass(frozen=True)
class PropertyChange:
    """One instruction of a PROPPATCH, in document order: set ``tag`` to ``xml`` (the
    whole property element, namespaces kept), or remove it (``xml`` None)."""

    tag: str  # "{namespace}name"
    xml: str | None


def is_protected(tag: str) -> bool:
    """WebDAV's own properties are live (computed), except the display name."""
    return tag.startswith("{DAV:}") and tag != "{DAV:}displayname"


def _path(path: str) -> str:
    cleaned = clean_path(path)
    if ADDRESS_BOOK_NAME.fullmatch(cleaned.split("/")[0]):
        raise Refused("names of digits at the top of the home are the address books'")
    return cleaned


def _lock(owner: User) -> None:
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk"))


def _subtree(owner: User, path: str) -> QuerySet[DavFile]:
    """The resource at ``path`` and everything inside it. Names are case-sensitive, and
    SQLite's LIKE (Django's ``startswith``) is not: its matches are checked again here."""
    prefix = f"{path}/"
    candidates = DavFile.objects.filter(owner=owner).filter(
        Q(path=path) | Q(path__startswith=prefix)
    )
    inside = [
        pk
        for pk, found in candidates.values_list("pk", "path")
        if found == path or found.startswith(prefix)
    ]
    return DavFile.objects.filter(pk__in=inside)


def _existing(owner: User, path: str) -> DavFile:
    found = DavFile.objects.filter(owner=owner, path=path).first()
    if found is None:
        raise NotFound("Nothing at this address.")
    return found


def _require_parent(owner: User, path: str) -> None:
    parent = parent_of(path)
    if parent and not DavFile.objects.filter(owner=owner, path=parent, is_collection=True).exists():
        raise MissingParent("the parent collection does not exist")


def _within_quota(owner: User) -> None:
    used = usage(owner)
    if used.resources > MAX_RESOURCES:
        raise OverQuota(f"at most {MAX_RESOURCES:,} files and collections")
    if used.stored_bytes > QUOTA_BYTES:
        raise OverQuota(f"at most {QUOTA_BYTES:,} bytes of files and properties")


def _content_etag(content: bytes) -> str:
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def _new_etag() -> str:
    return f'"{secrets.token_hex(16)}"'


def _content_type(given: str) -> str:
    """The type the client gave, served back as it is: a plain ``type/subtype`` with
    parameters, else ``DEFAULT_TYPE``."""
    given = given.strip()
    if len(given) > 255 or not CONTENT_TYPE.fullmatch(given):
        return DEFAULT_TYPE
    return given


def _properties_bytes(properties: dict[str, str]) -> int:
    return sum(len(tag.encode()) + len(value.encode()) for tag, value in properties.items())


@transaction.atomic
def make_collection(owner: User, path: str) -> DavFile:
    """MKCOL: an empty collection at ``path``."""
    path = _path(path)
    _lock(owner)
    if DavFile.objects.filter(owner=owner, path=path).exists():
        raise AlreadyThere("something is already at this address")
    _require_parent(owner, path)
    row = DavFile.objects.create(
        owner=owner, path=path, parent=parent_of(path), is_collection=True, etag=_new_etag()
    )
    _within_quota(owner)
    return row


@dataclass(frozen=True)
class PutFile:
    created: bool
    etag: str


@transaction.atomic
def put_file(
    owner: User,
    path: str,
    content: bytes,
    content_type: str = "",
    pre: Preconditions = Preconditions(),
) -> PutFile:
    """PUT: create or replace the file at ``path``; its dead properties stay."""
    path = _path(path)
    if len(content) > MAX_FILE_BYTES:
        raise TooLarge(f"a file is at most {MAX_FILE_BYTES:,} bytes")
    _lock(owner)
    row = DavFile.objects.filter(owner=owner, path=path).first()
    check_preconditions(pre, row.etag if row else None)
    if row is not None and row.is_collection:
        raise IsCollection("a collection has no content to put")
    created = row is None
    if row is None:
        _require_parent(owner, path)
        row = DavFile(owner=owner, path=path, parent=parent_of(path))
    row.content = content
    row.length = len(content)
    row.content_type = _content_type(content_type)
    row.etag = _content_etag(content)
    row.stored_bytes = len(content) + _properties_bytes(row.properties)
    row.modified_at = clock.now()
    row.save()
    _within_quota(owner)
    return PutFile(created=created, etag=row.etag)


@transaction.atomic
def delete(owner: User, path: str, pre: Preconditions = Preconditions()) -> None:
    """DELETE: the resource at ``path`` and, for a collection, everything inside it."""
    path = _path(path)
    _lock(owner)
    row = _existing(owner, path)
    check_preconditions(pre, row.etag)
    _subtree(owner, path).delete()


def _make_room(owner: User, source: DavFile, destination: str, overwrite: bool) -> bool:
    """Clear ``destination`` for ``source``'s copy; True when nothing was there."""
    if destination == source.path or destination.startswith(f"{source.path}/"):
        raise Refused("a resource is not copied or moved onto or into itself")
    if source.path.startswith(f"{destination}/"):
        raise Refused("a resource is not copied or moved over the collection holding it")
    _require_parent(owner, destination)
    there = DavFile.objects.filter(owner=owner, path=destination).exists()
    if there:
        if not overwrite:
            raise PreconditionFailed("something is at the destination (Overwrite: F)")
        _subtree(owner, destination).delete()
    return not there


def _renamed(path: str, source: str, destination: str) -> str:
    return destination + path[len(source) :]


@transaction.atomic
def copy(
    owner: User,
    source: str,
    destination: str,
    *,
    members: bool = True,
    overwrite: bool = True,
    pre: Preconditions = Preconditions(),
) -> bool:
    """COPY ``source`` to ``destination`` with its dead properties; a collection with
    everything inside it unless ``members`` is False (Depth: 0). True when created."""
    source, destination = _path(source), _path(destination)
    _lock(owner)
    row = _existing(owner, source)
    check_preconditions(pre, row.etag)
    created = _make_room(owner, row, destination, overwrite)
    rows = list(_subtree(owner, source)) if row.is_collection and members else [row]
    now = clock.now()
    copies = []
    for original in rows:
        path = _renamed(original.path, source, destination)
        copies.append(
            DavFile(
                owner=owner,
                path=path,
                parent=parent_of(path),
                is_collection=original.is_collection,
                content=original.content,
                content_type=original.content_type,
                length=original.length,
                etag=_new_etag() if original.is_collection else original.etag,
                properties=dict(original.properties),
                stored_bytes=original.stored_bytes,
                created_at=now,
                modified_at=now,
            )
        )
    DavFile.objects.bulk_create(copies, batch_size=200)
    _within_quota(owner)
    return created


@transaction.atomic
def move(
    owner: User,
    source: str,
    destination: str,
    *,
    overwrite: bool = True,
    pre: Preconditions = Preconditions(),
) -> bool:
    """MOVE ``source`` (and everything inside it) to ``destination``, ETags and dead
    properties kept. True when created."""
    source, destination = _path(source), _path(destination)
    _lock(owner)
    row = _existing(owner, source)
    check_preconditions(pre, row.etag)
    created = _make_room(owner, row, destination, overwrite)
    rows = list(_subtree(owner, source).only("pk", "path", "parent"))
    for moved in rows:
        moved.path = _renamed(moved.path, source, destination)
        moved.parent = parent_of(moved.path)
    DavFile.objects.bulk_update(rows, ["path", "parent"], batch_size=200)
    return created


@transaction.atomic
def patch_properties(owner: User, path: str, changes: list[PropertyChange]) -> dict[str, int]:
    """PROPPATCH: apply ``changes`` in order, all or none. Each property's status: 200
    when applied; when one is protected, 403 for it and 424 for the others, none applied."""
    path = _path(path)
    _lock(owner)
    row = _existing(owner, path)
    refused = {change.tag for change in changes if is_protected(change.tag)}
    if refused:
        return {change.tag: 403 if change.tag in refused else 424 for change in changes}
    properties = dict(row.properties)
    for change in changes:
        if change.xml is None:
            properties.pop(change.tag, None)
        else:
            properties[change.tag] = change.xml
    size = _properties_bytes(properties)
    if size > MAX_PROPERTY_BYTES:
        raise OverQuota(f"a resource's properties are at most {MAX_PROPERTY_BYTES:,} bytes")
    row.properties = properties
    row.stored_bytes = row.length + size
    row.save(update_fields=["properties", "stored_bytes"])
    _within_quota(owner)
    return {change.tag: 200 for change in changes}
