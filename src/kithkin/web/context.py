"""What every page's frame needs: the user's networks, the current one, their role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kithkin.models import Membership
from kithkin.queries.triage import has_untriaged


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
