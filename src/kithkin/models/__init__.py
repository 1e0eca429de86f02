"""Kithkin's domain model, one module per aggregate (DESIGN.md §2)."""

from kithkin.models.accounts import LoginFailure, User
from kithkin.models.duplicates import DismissedDuplicate
from kithkin.models.followups import FollowUp
from kithkin.models.interactions import Interaction, InteractionParticipant
from kithkin.models.networks import Circle, Invitation, Membership, Network, Role
from kithkin.models.organizations import Affiliation, Organization
from kithkin.models.people import ContactPoint, Person
from kithkin.models.relationships import Relationship
from kithkin.models.tags import Tag

__all__ = [
    "Affiliation",
    "Circle",
    "ContactPoint",
    "DismissedDuplicate",
    "FollowUp",
    "Interaction",
    "InteractionParticipant",
    "Invitation",
    "LoginFailure",
    "Membership",
    "Network",
    "Organization",
    "Person",
    "Relationship",
    "Role",
    "Tag",
    "User",
]
