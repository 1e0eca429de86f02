"""Import (upload, see the plan, confirm) and export (download) in the web app: forms in,
pages out; the steps and their rules are ``transfer``'s."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from kithkin import transfer
from kithkin.errors import InvalidInput, NotFound
from kithkin.exporters import EXPORT_FORMATS
from kithkin.importers.plan import ImportPlan
from kithkin.importers.records import ImportFileError
from kithkin.models import Circle, ImportUpload
from kithkin.queries.triage import standing
from kithkin.services.people import joining_circle
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.common import require_write

PLAN_ROWS_SHOWN = 100
_SESSION_KEY = "kithkin_upload"  # the id of the upload waiting for confirmation


def _import_form(request: NetworkRequest, error: str = "") -> dict[str, object]:
    return {
        "formats": transfer.UPLOAD_FORMATS,
        "max_mb": transfer.MAX_UPLOAD_BYTES // 1024 // 1024,
        "circles": Circle.objects.filter(network=request.network),
        "joining": joining_circle(request.network),
        "exports": EXPORT_FORMATS.values(),
        "error": error,
    }


def _pending(request: NetworkRequest) -> int | None:
    stored = request.session.get(_SESSION_KEY)
    return stored if isinstance(stored, int) else None


def _forget(request: NetworkRequest) -> None:
    """Discard the upload waiting for confirmation, if any."""
    upload_id = _pending(request)
    request.session.pop(_SESSION_KEY, None)
    if upload_id is not None:
        with contextlib.suppress(NotFound):  # expired, or of another network: nothing left
            transfer.discard_upload(request.network, request.user, upload_id)


@network_view(form=True)
def import_page(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    if request.method != "POST":
        return render(request, "kithkin/import.html", _import_form(request))
    _forget(request)
    file = request.FILES.get("file")
    format_name = request.POST.get("format", "")
    if format_name not in transfer.UPLOAD_FORMATS or file is None:
        return render(
            request, "kithkin/import.html", _import_form(request, "Choose a format and a file.")
        )
    try:
        upload = transfer.store_upload(
            request.network,
            request.user,
            name=file.name or "",
            chunks=file.chunks(),
            size=file.size,
            format_name=format_name,
            create_people=request.POST.get("create_people") == "on",
            circle=request.POST.get("circle", ""),
        )
    except InvalidInput as exc:
        return render(request, "kithkin/import.html", _import_form(request, exc.message))
    request.session[_SESSION_KEY] = upload.pk
    return redirect("import_preview")


@network_view(form=True)
def import_preview(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    upload_id = _pending(request)
    if upload_id is None:
        messages.error(request, "Upload a file first.")
        return redirect("import")
    if request.method == "POST" and request.POST.get("confirm") != "yes":
        _forget(request)
        return redirect("people")
    try:
        if request.method == "POST":
            return _confirm(request, upload_id)
        planned = transfer.plan_upload(request.network, request.user, upload_id)
    except ImportFileError as exc:
        request.session.pop(_SESSION_KEY, None)
        return render(request, "kithkin/import.html", _import_form(request, str(exc)), status=400)
    except NotFound as exc:
        request.session.pop(_SESSION_KEY, None)
        messages.error(request, str(exc))
        return redirect("import")
    return _plan_page(request, planned.upload, planned.plan)


def _confirm(request: NetworkRequest, upload_id: int) -> HttpResponse:
    upload = transfer.upload_for(request.network, request.user, upload_id)
    if upload.planned_at is None:  # confirmed without the page: this plan is the one seen
        transfer.plan_upload(request.network, request.user, upload_id)
    try:
        applied = transfer.apply_upload(request.network, request.user, upload_id)
    except transfer.StalePlan as stale:
        messages.error(request, str(stale))
        return _plan_page(request, stale.upload, stale.plan)
    except InvalidInput as exc:
        _forget(request)
        messages.error(request, str(exc))
        return redirect("import")
    request.session.pop(_SESSION_KEY, None)
    if applied.summary is None:
        return redirect("people")
    summary = applied.summary
    counts = standing(request.network)
    messages.success(
        request,
        f"Imported {applied.upload.original_name}: {len(summary.created)} new people, "
        f"{len(summary.updated)} updated, {summary.interactions} interactions. "
        f"{counts.with_cadence} people now have a check-in cadence."
        + (
            f" {counts.untriaged} have no circle and will never be due: "
            "choose theirs here, or accept the suggestions."
            if counts.untriaged
            else ""
        ),
    )
    return redirect("triage" if counts.untriaged else "today")


def _plan_page(request: NetworkRequest, upload: ImportUpload, plan: ImportPlan) -> HttpResponse:
    merges = plan.merges
    return render(
        request,
        "kithkin/import_preview.html",
        {
            "plan": plan,
            "summary": plan.summary,
            "name": upload.original_name,
            "format": transfer.UPLOAD_FORMATS[upload.format],
            "shown": [c for c in plan.contacts if c.action != "unchanged"][:PLAN_ROWS_SHOWN],
            "errors": [str(e) for e in plan.errors[:PLAN_ROWS_SHOWN]],
            "more_errors": max(0, len(plan.errors) - PLAN_ROWS_SHOWN),
            "merges": [str(m) for m in merges[:PLAN_ROWS_SHOWN]],
            "more_merges": max(0, len(merges) - PLAN_ROWS_SHOWN),
        },
    )


@network_view()
def export_download(request: NetworkRequest, format_name: str) -> HttpResponse:
    if format_name not in EXPORT_FORMATS:
        raise Http404("No such export format.")
    export = transfer.export_network(request.network, request.user, format_name)
    response = HttpResponse(export.body, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
