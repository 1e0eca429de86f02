"""Demo ledger: value given and received, some of it not yet thanked."""

from __future__ import annotations

from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan


def create_ledger(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many rows of the main kind were made."""
    return 0
