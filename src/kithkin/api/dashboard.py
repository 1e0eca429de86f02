"""The dashboard: what came through the network (``queries.dashboard.report``), as the
web's Dashboard page and `kith opp report` show it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router

from kithkin.api.auth import grant
from kithkin.api.responses import reading
from kithkin.queries.dashboard import report
from kithkin.schemas.opportunities import ReportOut

router = Router(tags=["dashboard"])


@router.get("/dashboard", response=reading(ReportOut), summary="What the network brought")
def get_dashboard(request: HttpRequest, network_id: Path[int]) -> ReportOut:
    """Opportunities by kind and status, split into those someone brought and the rest;
    who brought the most; what the shares led to."""
    return ReportOut.of(report(grant(request).network))
