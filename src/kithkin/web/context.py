"""What every page's frame needs: the user's networks, the current one, their role; and
whether the background worker runs, and which of the user's synced accounts fail."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kithkin.models import Membership, SyncAccount
from kithkin.queries.sync_accounts import failing_accounts
from kithkin.queries.triage import has_untriaged
from kithkin.queries.worker_status import WorkerStatus, worker_status


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    if not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user=user).select_related("network").order_by("network__name")
    )
    current = getattr(request, "network", None)
    if current is None:
        current = next(
            (m.network for m in memberships if m.network_id == user.current_network_id),
            memberships[0].network if memberships else None,
        )
    role = next((m.role for m in memberships if current and m.network_id == current.pk), None)
    return {
        # People without a circle are never due: the nav offers to triage them.
        "nav_untriaged": current is not None and has_untriaged(current),
        "nav_memberships": memberships,
        "nav_network": current,
        "nav_role": role,
        "can_write": role in {"owner", "editor"},
    }


def worker(request: HttpRequest) -> dict[str, Any]:
    """``worker_status`` for the banner every page shows when background work is not
    running (and Settings' line): the latest beat, read only if the page asks, at most
    once per request (one query on an index)."""
    user: Any = request.user
    if not user.is_authenticated:
        return {}

    def status() -> WorkerStatus:
        cached: WorkerStatus | None = getattr(request, "_kithkin_worker_status", None)
        if cached is None:
            cached = worker_status()
            request._kithkin_worker_status = cached  # type: ignore[attr-defined]
        return cached

    def failing() -> list[SyncAccount]:
        return failing_accounts(user)

    # The user's synced accounts whose last run failed: a banner too (a sync never stops
    # silently); read only by the frame, once.
    return {
        "worker_status": SimpleLazyObject(status),
        "failing_accounts": SimpleLazyObject(failing),
    }
