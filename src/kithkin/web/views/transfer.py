"""Import (upload, see the plan, confirm) and export (download) in the web app."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from kithkin import clock
from kithkin.errors import InvalidInput
from kithkin.exporters.csv_export import export_csv
from kithkin.exporters.kithkin_json import export_json
from kithkin.exporters.vcard import export_vcards
from kithkin.importers.apply import apply_plan
from kithkin.importers.formats import FORMATS, ImportContext, context_for
from kithkin.importers.isolated import parse_within
from kithkin.importers.plan import ImportPlan, plan_import
from kithkin.importers.records import ImportFileError
from kithkin.models import Circle
from kithkin.queries.triage import standing
from kithkin.services.people import joining_circle
from kithkin.web import uploads
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.common import require_write

MAX_UPLOAD = 100 * 1024 * 1024
PLAN_ROWS_SHOWN = 100
WEB_FORMATS = {name: label for name, (label, _) in FORMATS.items() if name != "linkedin"} | {
    "linkedin": "LinkedIn: the export ZIP, or Connections.csv"
}
_SESSION_KEY = "kithkin_upload"


def _reading_seconds() -> float:
    """Reading an upload gets half of a request's time; the plan and the apply the rest."""
    return settings.REQUEST_TIMEOUT / 2


def _planning_seconds() -> float:
    """Matching the records to the network gets a quarter; the apply keeps the rest."""
    return settings.REQUEST_TIMEOUT / 4


def _context(request: NetworkRequest) -> ImportContext:
    return context_for(request.network, request.user, until=clock.now())


def _pending(request: NetworkRequest) -> tuple[str, Path, str] | None:
    """The upload waiting for confirmation: (format, file, original name)."""
    stored = request.session.get(_SESSION_KEY)
    if not stored:
        return None
    path = uploads.folder() / stored["file"]
    if stored.get("network") != request.network.pk or not path.is_file():
        return None
    return stored["format"], path, stored["name"]


def _forget(request: NetworkRequest) -> None:
    pending = _pending(request)
    if pending:
        pending[1].unlink(missing_ok=True)
    request.session.pop(_SESSION_KEY, None)


def _plan(request: NetworkRequest, format_name: str, path: Path) -> ImportPlan:
    create_people = bool(request.session.get(_SESSION_KEY, {}).get("create_people"))
    parsed = parse_within(format_name, path, _context(request), seconds=_reading_seconds())
    return plan_import(
        request.network, parsed, create_people=create_people, seconds=_planning_seconds()
    )


@network_view(form=True)
def import_page(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    context: dict[str, object] = {
        "formats": WEB_FORMATS,
        "max_mb": MAX_UPLOAD // 1024 // 1024,
        "circles": Circle.objects.filter(network=request.network),
        "joining": joining_circle(request.network),
    }
    if request.method == "POST":
        _forget(request)
        uploads.sweep_abandoned(clock.now())
        upload = request.FILES.get("file")
        format_name = request.POST.get("format", "")
        if format_name not in WEB_FORMATS or upload is None:
            context["error"] = "Choose a format and a file."
        elif upload.size is not None and upload.size > MAX_UPLOAD:
            context["error"] = f"That file is over {context['max_mb']} MB."
        else:
            stored = uploads.store(upload.chunks(), upload.name or "")
            request.session[_SESSION_KEY] = {
                "file": stored,
                "format": format_name,
                "name": upload.name,
                "network": request.network.pk,
                "create_people": request.POST.get("create_people") == "on",
                "circle": request.POST.get("circle", "")[:40],
            }
            return redirect("import_preview")
    return render(request, "kithkin/import.html", context)


@network_view(form=True)
def import_preview(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    pending = _pending(request)
    if pending is None:
        messages.error(request, "Upload a file first.")
        return redirect("import")
    format_name, path, name = pending
    try:
        plan = _plan(request, format_name, path)
    except ImportFileError as exc:
        _forget(request)
        return render(
            request,
            "kithkin/import.html",
            {
                "formats": WEB_FORMATS,
                "max_mb": MAX_UPLOAD // 1024 // 1024,
                "error": str(exc).replace(str(path), name),
            },
            status=400,
        )
    if request.method == "POST":
        if request.POST.get("confirm") == "yes" and plan.changes_anything:
            circle = str(request.session.get(_SESSION_KEY, {}).get("circle", ""))
            try:
                summary = apply_plan(request.network, request.user, plan, circle=circle)
            except InvalidInput as exc:
                _forget(request)
                messages.error(request, str(exc))
                return redirect("import")
            counts = standing(request.network)
            messages.success(
                request,
                f"Imported {name}: {len(summary.created)} new people, "
                f"{len(summary.updated)} updated, {summary.interactions} interactions. "
                f"{counts.with_cadence} people now have a check-in cadence."
                + (
                    f" {counts.untriaged} have no circle and will never be due: "
                    "choose theirs here, or accept the suggestions."
                    if counts.untriaged
                    else ""
                ),
            )
            _forget(request)
            return redirect("triage" if counts.untriaged else "today")
        _forget(request)
        return redirect("people")
    shown = [c for c in plan.contacts if c.action != "unchanged"][:PLAN_ROWS_SHOWN]
    merges = plan.merges
    return render(
        request,
        "kithkin/import_preview.html",
        {
            "plan": plan,
            "summary": plan.summary,
            "name": name,
            "format": WEB_FORMATS[format_name],
            "shown": shown,
            "errors": [str(e).replace(str(path), name) for e in plan.errors[:PLAN_ROWS_SHOWN]],
            "more_errors": max(0, len(plan.errors) - PLAN_ROWS_SHOWN),
            "merges": [str(m).replace(str(path), name) for m in merges[:PLAN_ROWS_SHOWN]],
            "more_merges": max(0, len(merges) - PLAN_ROWS_SHOWN),
        },
    )


@network_view()
def export_download(request: NetworkRequest, format_name: str) -> HttpResponse:
    stem = slugify(request.network.name) or "kithkin"
    if format_name == "vcard":
        body, kind, name = export_vcards(request.network), "text/vcard", f"{stem}.vcf"
    elif format_name == "csv":
        body, kind, name = export_csv(request.network), "text/csv", f"{stem}.csv"
    elif format_name == "json":
        body, kind, name = export_json(request.network), "application/json", f"{stem}.kithkin.json"
    else:
        from django.http import Http404

        raise Http404("No such export format.")
    response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
