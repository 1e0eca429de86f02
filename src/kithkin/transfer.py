"""Import and export: the one way the CLI, the web and the API move a network in and out.

Import from an upload, in steps a person can review between:

1. ``store_upload``: the bytes, their original name, the format (given, or told by the
   name), the owner and the network; refused past MAX_UPLOAD_BYTES. Viewers cannot.
2. ``plan_upload``: parsed in a child process within half of KITH_REQUEST_TIMEOUT
   (``importers.isolated``), matched to the network within a quarter; the parsed records
   and the plan are stored beside the upload, and every record, error and merge names the
   file as the user named it, with its line and field.
3. ``apply_upload``: the stored plan, in one transaction, and only if planning again now
   gives the plan the user reviewed; otherwise ``StalePlan`` (the new plan is stored, to be
   reviewed). Applying twice writes once: the second answers with what the first wrote.
4. ``discard_upload``; an upload left alone expires (``services.uploads``).

An upload is its uploader's own (``access.import_upload_for``): anyone else gets NotFound.
For a file already on this machine, ``import_file`` (`kith import`) reads, plans and applies
in one go, and ``restore_file`` restores a Kithkin JSON export into an empty network.
Export: ``export_network`` in any format of ``exporters.EXPORT_FORMATS``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from kithkin import access, clock, files, storage
from kithkin.errors import InvalidInput, KithError, NotFound
from kithkin.exporters import EXPORT_FORMATS, ExportFormat
from kithkin.importers.apply import ImportSummary, apply_plan
from kithkin.importers.formats import FORMATS, ImportContext, context_for, parse
from kithkin.importers.isolated import parse_within
from kithkin.importers.plan import ImportPlan, PlannedContact, plan_import
from kithkin.importers.records import ImportFileError, ParseResult
from kithkin.models import ImportUpload, Network, User
from kithkin.services import uploads

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
# What can be uploaded: every format `kith import` reads from one file (a LinkedIn export
# is its ZIP; a folder cannot be uploaded).
UPLOAD_FORMATS = {name: label for name, (label, _) in FORMATS.items() if name != "linkedin"} | {
    "linkedin": "LinkedIn: the export ZIP, or Connections.csv"
}
# A format told by the file's name, when the caller names none.
_BY_SUFFIX = {
    ".vcf": "vcard",
    ".vcard": "vcard",
    ".ics": "ics",
    ".ical": "ics",
    ".ifb": "ics",
    ".mbox": "mbox",
    ".mbx": "mbox",
    ".zip": "linkedin",
}


class StalePlan(KithError):
    """The network changed since the plan was made, so it would no longer do what the user
    reviewed: nothing was written, and the new plan is stored for review."""

    def __init__(self, upload: ImportUpload, plan: ImportPlan) -> None:
        super().__init__(
            f"{upload.original_name}: the network changed since this plan was made, so it was "
            "not applied and nothing was written. Review the new plan, then import again."
        )
        self.upload = upload
        self.plan = plan


@dataclass(frozen=True)
class PlannedUpload:
    upload: ImportUpload
    plan: ImportPlan


@dataclass(frozen=True)
class AppliedUpload:
    """``summary`` is what this apply wrote (None: nothing, as the plan changed nothing or
    the upload was applied before: then ``already_applied``, and ``upload.applied`` says
    what the first apply wrote)."""

    upload: ImportUpload
    summary: ImportSummary | None
    already_applied: bool = False


@dataclass(frozen=True)
class FileImport:
    plan: ImportPlan
    summary: ImportSummary | None  # None: dry run, or nothing to change


@dataclass(frozen=True)
class Export:
    format: ExportFormat
    body: str
    filename: str

    @property
    def content_type(self) -> str:
        return f"{self.format.content_type}; charset=utf-8"


def reading_seconds() -> float:
    """Reading an upload gets half of a request's time; the plan and the apply the rest."""
    return settings.REQUEST_TIMEOUT / 2


def planning_seconds() -> float:
    """Matching the records to the network gets a quarter; the apply keeps the rest."""
    return settings.REQUEST_TIMEOUT / 4


def _no_progress(step: str) -> None:
    return None


# Import from an upload


def detect_format(name: str) -> str:
    """The format a file's name tells (a vCard, a calendar, a mail archive, LinkedIn's
    ZIP or Connections.csv); a CSV can be several programs', so it must be chosen."""
    path = PurePath(name.lower())
    if path.name == "connections.csv":
        return "linkedin"
    if path.suffix in _BY_SUFFIX:
        return _BY_SUFFIX[path.suffix]
    raise InvalidInput(
        "format", f"cannot tell the format of {name!r} by its name: choose one of {_choices()}"
    )


def _choices() -> str:
    return ", ".join(UPLOAD_FORMATS)


def store_upload(
    network: Network,
    actor: User,
    *,
    name: str,
    chunks: Iterable[bytes],
    size: int | None = None,
    format_name: str = "",
    create_people: bool = False,
    circle: str = "",
    my_addresses: Iterable[str] = (),
) -> ImportUpload:
    """Keep an uploaded file for import into ``network``; nothing is read yet. ``size``:
    as the client announced it (the bytes written are counted anyway)."""
    access.require_write(actor, network)
    uploads.sweep_abandoned(clock.now())
    shown = PurePath(name.replace("\\", "/")).name[:255] or "upload"
    format_name = format_name or detect_format(shown)
    if format_name not in UPLOAD_FORMATS:
        raise InvalidInput("format", f"{format_name!r} is not one of {_choices()}")
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise InvalidInput("file", f"{shown} is over {MAX_UPLOAD_BYTES // 2**20} MB")
    try:
        stored = uploads.store(chunks, shown, limit=MAX_UPLOAD_BYTES)
    except InvalidInput as exc:
        raise InvalidInput("file", f"{shown} is {exc.message}") from None
    return ImportUpload.objects.create(
        network=network,
        uploaded_by=actor,
        format=format_name,
        original_name=shown,
        stored_name=stored,
        size=uploads.path_of(stored).stat().st_size,
        create_people=create_people,
        circle=circle.strip()[:40],
        my_addresses=sorted({a.strip().lower() for a in my_addresses if a.strip()}),
    )


def upload_for(network: Network, actor: User, upload_id: int) -> ImportUpload:
    """The actor's own upload in ``network``, if it has not expired."""
    upload = access.import_upload_for(actor, network, upload_id)
    expired = upload.created_at < clock.now() - uploads.ABANDONED_AFTER
    if expired or (upload.applied_at is None and not uploads.path_of(upload.stored_name).is_file()):
        _delete(upload)
        hours = int(uploads.ABANDONED_AFTER.total_seconds() // 3600)
        raise NotFound(
            f"{upload.original_name}: this upload has expired (an upload not imported is kept "
            f"{hours} hours): upload the file again."
        )
    return upload


def plan_upload(network: Network, actor: User, upload_id: int) -> PlannedUpload:
    """Read the upload and match it to the network, within the request's budgets; the plan
    is stored, and is what ``apply_upload`` applies. A file that cannot be read is refused
    (``ImportFileError`` naming it as the user did) and the upload deleted."""
    access.require_write(actor, network)
    upload = upload_for(network, actor, upload_id)
    if upload.applied_at is not None:
        raise InvalidInput("upload", f"{upload.original_name} was imported already")
    stored = str(uploads.path_of(upload.stored_name))
    try:
        parsed = parse_within(
            upload.format,
            Path(stored),
            _context(network, actor, upload.my_addresses),
            seconds=reading_seconds(),
        )
        _name_records(parsed, stored, upload.original_name)
        plan = plan_import(
            network, parsed, create_people=upload.create_people, seconds=planning_seconds()
        )
    except ImportFileError as exc:
        _delete(upload)
        named = exc.path.replace(stored, upload.original_name)
        message = exc.message.replace(stored, upload.original_name)
        raise ImportFileError(named, message, exc.line) from None
    _store_plan(upload, parsed, plan)
    return PlannedUpload(upload, plan)


def stored_plan(network: Network, actor: User, upload_id: int) -> PlannedUpload:
    """The plan last made for the upload, as stored (NotFound when it has none)."""
    upload = upload_for(network, actor, upload_id)
    return PlannedUpload(upload, _load_plan(upload)[1])


def apply_upload(
    network: Network,
    actor: User,
    upload_id: int,
    *,
    progress: Callable[[str], None] = _no_progress,
) -> AppliedUpload:
    """Apply the stored plan in one transaction, if planning again gives the same plan
    (else ``StalePlan``). Applied before: nothing is written, and the answer says so."""
    access.require_write(actor, network)
    upload = upload_for(network, actor, upload_id)
    if upload.applied_at is not None:
        return AppliedUpload(upload, None, already_applied=True)
    if upload.planned_at is None:
        raise InvalidInput(
            "upload", f"{upload.original_name} has no plan yet: see its plan, then import it"
        )
    parsed, reviewed = _load_plan(upload)
    current = plan_import(
        network, parsed, create_people=upload.create_people, seconds=planning_seconds()
    )
    if _as_reviewed(current) != _as_reviewed(reviewed):
        _store_plan(upload, parsed, current)
        raise StalePlan(upload, current)
    # What is applied is checked against the network once more inside the transaction
    # (importers.freshness): planned again there, it must still decide the same.
    reviewed.as_of, reviewed.parsed = current.as_of, parsed

    def as_reviewed(fresh: ImportPlan) -> ImportPlan:
        if _as_reviewed(fresh) != _as_reviewed(reviewed):
            raise _Replanned(fresh)
        return fresh

    try:
        return _apply_reviewed(network, actor, upload, reviewed, progress, as_reviewed)
    except _Replanned as changed:
        _store_plan(upload, parsed, changed.plan)
        raise StalePlan(upload, changed.plan) from None


class _Replanned(Exception):
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan


def _apply_reviewed(
    network: Network,
    actor: User,
    upload: ImportUpload,
    reviewed: ImportPlan,
    progress: Callable[[str], None],
    as_reviewed: Callable[[ImportPlan], ImportPlan],
) -> AppliedUpload:
    with transaction.atomic():
        # Claimed by one conditional UPDATE: of two applies at once, one writes.
        claimed = ImportUpload.objects.filter(
            pk=upload.pk, applied_at__isnull=True, plan_digest=upload.plan_digest
        ).update(applied_at=clock.now())
        if not claimed:
            upload.refresh_from_db()
            if upload.applied_at is None:  # re-planned meanwhile: review that plan
                raise StalePlan(upload, _load_plan(upload)[1])
            return AppliedUpload(upload, None, already_applied=True)
        summary = None
        if reviewed.changes_anything:
            summary = apply_plan(
                network, actor, reviewed, progress, circle=upload.circle, replanned=as_reviewed
            )
        ImportUpload.objects.filter(pk=upload.pk).update(applied=_counted(summary))
        transaction.on_commit(lambda: uploads.delete(upload.stored_name))
        transaction.on_commit(storage.checkpoint_wal)  # the disk back after a large write
    upload.refresh_from_db()
    return AppliedUpload(upload, summary)


def discard_upload(network: Network, actor: User, upload_id: int) -> None:
    """Delete the upload and its plan (an upload already applied keeps nothing else)."""
    _delete(access.import_upload_for(actor, network, upload_id))


def _context(network: Network, actor: User, my_addresses: Iterable[str]) -> ImportContext:
    return context_for(network, actor, until=clock.now(), extra=my_addresses)


def _delete(upload: ImportUpload) -> None:
    uploads.delete(upload.stored_name)
    upload.delete()


def _name_records(parsed: ParseResult, stored: str, name: str) -> None:
    """Records, errors and skips name the file as the user named it, not as it is stored
    (a LinkedIn ZIP's members stay ``name/member.csv``)."""

    def named(path: str) -> str:
        return name + path[len(stored) :] if path.startswith(stored) else path

    for contact in parsed.contacts:
        contact.path = named(contact.path)
    for interaction in parsed.interactions:
        interaction.path = named(interaction.path)
    for value in parsed.values:
        value.path = named(value.path)
    parsed.errors = [dataclasses.replace(e, path=named(e.path)) for e in parsed.errors]
    parsed.skipped = [dataclasses.replace(e, path=named(e.path)) for e in parsed.skipped]


def _store_plan(upload: ImportUpload, parsed: ParseResult, plan: ImportPlan) -> None:
    """The records and their plan, beside the upload; the row keeps the digest, so the
    plan applied is byte for byte the one stored here."""
    stored = pickle.dumps((parsed, plan), protocol=pickle.HIGHEST_PROTOCOL)
    files.write_private(uploads.plan_path_of(upload.stored_name), stored)
    upload.planned_at = clock.now()
    upload.plan_digest = hashlib.sha256(stored).hexdigest()
    upload.plan_summary = plan.summary
    upload.save(update_fields=["planned_at", "plan_digest", "plan_summary"])


def _load_plan(upload: ImportUpload) -> tuple[ParseResult, ImportPlan]:
    try:
        stored = uploads.plan_path_of(upload.stored_name).read_bytes()
    except OSError:
        stored = b""
    if not upload.plan_digest or hashlib.sha256(stored).hexdigest() != upload.plan_digest:
        raise NotFound(f"{upload.original_name} has no plan yet: see its plan first.")
    # Safe to unpickle: written by _store_plan in the server's own folder, digest checked.
    parsed, plan = pickle.loads(stored)
    return parsed, plan


def _as_reviewed(plan: ImportPlan) -> object:
    """What a person reviewing the plan decides on: each record's fate (new, updated with
    what, unchanged, merged into whom), each interaction's and value's, my jobs, the errors
    and skips. Order aside: two plans equal here do the same."""

    def who(person: PlannedContact | int | None) -> object:
        if isinstance(person, PlannedContact):
            return (person.record.path, person.record.line)
        return person

    contacts = sorted(
        (
            c.record.path,
            c.record.line,
            c.action,
            c.person_id or 0,
            c.person_name,
            tuple(sorted(c.changes)),
            tuple(sorted(str(m) for m in c.merges)),
        )
        for c in plan.contacts
    )
    interactions = sorted(
        (
            i.record.path,
            i.record.line,
            i.record.external_id,
            i.action,
            repr(sorted(repr(who(p)) for p in i.people)),
        )
        for i in plan.interactions
    )
    values = sorted(
        (v.record.path, v.record.line, v.record.external_id, v.action, repr(who(v.giver)))
        for v in plan.values
    )
    return (
        contacts,
        interactions,
        values,
        sorted(map(repr, plan.my_jobs)),
        sorted(map(str, plan.errors)),
        sorted(map(str, plan.skipped)),
    )


def _counted(summary: ImportSummary | None) -> dict[str, int]:
    if summary is None:
        return {"created": 0, "updated": 0, "interactions": 0, "values": 0}
    return {
        "created": len(summary.created),
        "updated": len(summary.updated),
        "interactions": summary.interactions,
        "values": summary.values,
    }


# Import from a file on this machine


def import_file(
    network: Network,
    actor: User,
    format_name: str,
    path: Path,
    *,
    dry_run: bool = False,
    create_people: bool = False,
    circle: str = "",
    my_addresses: Iterable[str] = (),
    on_parsed: Callable[[ParseResult], None] | None = None,
    progress: Callable[[str], None] = _no_progress,
) -> FileImport:
    """Read a file (or LinkedIn's export folder), plan it and, unless ``dry_run``, apply
    the plan in one transaction. Nothing bounds the time: it runs where the file is.
    ``on_parsed`` hears the records once read; ``progress`` each step of the apply."""
    if dry_run:
        access.membership(actor, network)
    else:
        access.require_write(actor, network)
    parsed = parse(format_name.lower(), path, _context(network, actor, my_addresses))
    if on_parsed is not None:
        on_parsed(parsed)
    plan = plan_import(network, parsed, create_people=create_people)
    summary = None
    if not dry_run and plan.changes_anything:
        # The plan was made outside the write transaction; apply_plan makes it again if
        # the network changed meanwhile in a way that could change it.
        summary = apply_plan(network, actor, plan, progress, circle=circle)
        plan = summary.plan or plan
        if not plan.changes_anything:  # made again: someone else wrote it all meanwhile
            summary = None
        transaction.on_commit(storage.checkpoint_wal)  # the disk back after a large write
    return FileImport(plan, summary)


def restore_file(network: Network, actor: User, path: Path, *, dry_run: bool) -> dict[str, int]:
    """Restore a Kithkin JSON export into the empty ``network`` (checked in full either
    way; ``dry_run`` writes nothing); how many people, interactions and follow-ups."""
    from kithkin.importers.kithkin_json import read_document, restore

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(str(path), f"cannot be read: {exc.strerror}") from exc
    document = read_document(data, str(path))
    counts = {key: len(document.get(key, [])) for key in ("people", "interactions", "follow_ups")}
    restore(network, actor, document, str(path), dry_run=dry_run)
    if not dry_run:
        transaction.on_commit(storage.checkpoint_wal)
    return counts


# Export


def export_network(network: Network, actor: User, format_name: str, *, version: str = "") -> Export:
    """The whole network in one of ``EXPORT_FORMATS`` (``version``: one of its versions,
    else its default), named after the network."""
    access.membership(actor, network)
    export_format = EXPORT_FORMATS.get(format_name.lower())
    if export_format is None:
        raise InvalidInput("format", f"{format_name!r} is not one of {', '.join(EXPORT_FORMATS)}")
    if version and version not in export_format.versions:
        shown = ", ".join(export_format.versions) or "none"
        raise InvalidInput("version", f"{version!r} is not one of {shown}")
    stem = slugify(network.name) or "kithkin"
    body = export_format.write(network, version)
    return Export(export_format, body, f"{stem}{export_format.extension}")
