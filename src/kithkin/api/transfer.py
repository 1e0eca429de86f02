"""Import and export through ``kithkin.transfer``, as the web's Import page does it: an
upload is stored (nothing read), its plan made and shown, then applied only while it is
still the plan reviewed (else 409, and the new plan is stored to be read). An upload is
its uploader's own: anyone else's id is 404, and so is an expired one. Export: the whole
network in a format of ``exporters.EXPORT_FORMATS``, as the web's download."""

from __future__ import annotations

from pathlib import Path as FilePath

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile
from pydantic import Field

from kithkin import transfer
from kithkin.api.auth import grant
from kithkin.api.paging import queried
from kithkin.api.problems import problem
from kithkin.api.responses import reading, writing
from kithkin.errors import NotFound
from kithkin.importers.plan import ImportPlan
from kithkin.importers.records import ImportFileError
from kithkin.models import ImportUpload
from kithkin.schemas.api import FieldError
from kithkin.schemas.base import Clean
from kithkin.schemas.imports import AppliedOut, ImportPlanOut, UploadOut

router = Router(tags=["import and export"])


class UploadForm(Clean):
    """What an upload takes besides the file (multipart form fields)."""

    format: str = Field(
        default="",
        description="One of "
        + ", ".join(transfer.UPLOAD_FORMATS)
        + "; empty: told by the file's name (a CSV must name it).",
    )
    create_people: bool = Field(
        default=False, description="Add people the file names who are not known yet."
    )
    circle: str = Field(default="", description="The circle the people added join.")
    my_addresses: str = Field(
        default="", description="More of my own email addresses, comma-separated (mbox)."
    )


class ExportQuery(Clean):
    version: str = Field(default="", description="One of the format's versions (vCard: 4.0, 3.0).")


def _plan_out(upload: ImportUpload, plan: ImportPlan) -> ImportPlanOut:
    return ImportPlanOut.of(
        plan, upload.format, FilePath(upload.original_name), dry_run=True, applied=False
    )


def _unreadable(exc: ImportFileError) -> HttpResponse:
    error = FieldError(location="body", field="file", detail=exc.message, pointer="#/file")
    return problem(422, str(exc), errors=[error])


@router.post("/imports", response=writing(UploadOut, 201), summary="Upload a file to import")
def upload(
    request: HttpRequest,
    network_id: Path[int],
    file: File[UploadedFile],
    form: Form[UploadForm],
) -> Status[UploadOut]:
    """Keep a file (multipart ``file``) for import; nothing is read yet. Next: its plan."""
    found = grant(request)
    stored = transfer.store_upload(
        found.network,
        found.actor.user,
        name=(file.name or "").replace("\x00", "") or "upload",
        chunks=file.chunks(),
        size=file.size,
        format_name=form.format.strip().lower(),
        create_people=form.create_people,
        circle=form.circle,
        my_addresses=form.my_addresses.split(","),
    )
    return Status(201, UploadOut.of(stored))


@router.get("/imports/{int:upload_id}", response=reading(UploadOut), summary="One upload")
def get_upload(request: HttpRequest, network_id: Path[int], upload_id: int) -> UploadOut:
    found = grant(request)
    return UploadOut.of(transfer.upload_for(found.network, found.actor.user, upload_id))


@router.post(
    "/imports/{int:upload_id}/plan", response=writing(ImportPlanOut), summary="Plan an import"
)
def plan(
    request: HttpRequest, network_id: Path[int], upload_id: int
) -> ImportPlanOut | HttpResponse:
    """Read the upload and match it to the network: who is new, updated, unchanged or
    merged, and every record refused (file, line, field). Nothing is written but the plan,
    which is what apply applies. A file that cannot be read is 422 and the upload deleted."""
    found = grant(request)
    try:
        planned = transfer.plan_upload(found.network, found.actor.user, upload_id)
    except ImportFileError as exc:
        return _unreadable(exc)
    return _plan_out(planned.upload, planned.plan)


@router.get(
    "/imports/{int:upload_id}/plan", response=reading(ImportPlanOut), summary="The stored plan"
)
def stored_plan(request: HttpRequest, network_id: Path[int], upload_id: int) -> ImportPlanOut:
    """The plan last made (after a 409, the new one to review); 404 before any."""
    found = grant(request)
    planned = transfer.stored_plan(found.network, found.actor.user, upload_id)
    return _plan_out(planned.upload, planned.plan)


@router.post(
    "/imports/{int:upload_id}/apply", response=writing(AppliedOut), summary="Apply the plan"
)
def apply(request: HttpRequest, network_id: Path[int], upload_id: int) -> AppliedOut | HttpResponse:
    """Apply the stored plan in one transaction, if planning again now gives the same plan.
    409 when the network changed since: nothing was written, and the new plan is stored
    (``GET …/plan``) to be reviewed before applying again. Applying twice writes once."""
    found = grant(request)
    try:
        done = transfer.apply_upload(found.network, found.actor.user, upload_id)
    except transfer.StalePlan as exc:
        return problem(409, str(exc))
    return AppliedOut.of(done.upload, already_applied=done.already_applied)


@router.delete("/imports/{int:upload_id}", response=writing(None, 204), summary="Discard")
def discard(request: HttpRequest, network_id: Path[int], upload_id: int) -> Status[None]:
    """Delete the upload and its plan."""
    found = grant(request)
    transfer.discard_upload(found.network, found.actor.user, upload_id)
    return Status(204, None)


@router.get(
    "/export/{format_name}",
    response=queried(str),
    summary="Export the network",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment named after the network.",
                "content": {
                    f.content_type: {
                        "schema": {
                            "type": "object" if f.content_type.endswith("json") else "string"
                        }
                    }
                    for f in transfer.EXPORT_FORMATS.values()
                },
            }
        }
    },
)
def export(
    request: HttpRequest, network_id: Path[int], format_name: str, query: Query[ExportQuery]
) -> HttpResponse:
    """The whole network in an export format (vcard, csv, json: see ``GET /api/v1/…``'s
    schema), with the content type and the file name the web's download has; an unknown
    format is 404."""
    if format_name.lower() not in transfer.EXPORT_FORMATS:
        raise NotFound(
            f"No export format {format_name!r}: one of {', '.join(transfer.EXPORT_FORMATS)}."
        )
    found = grant(request)
    made = transfer.export_network(
        found.network, found.actor.user, format_name, version=query.version
    )
    response = HttpResponse(made.body, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response
