"""Demo memberships: my memberships of professional associations, some renewing soon."""

from __future__ import annotations

from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan


def create_memberships(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many rows of the main kind were made."""
    return 0
