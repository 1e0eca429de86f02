"""Demo milestones: milestones and challenges; birthdays come from generate_people."""

from __future__ import annotations

from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan


def create_milestones(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many rows of the main kind were made."""
    return 0
