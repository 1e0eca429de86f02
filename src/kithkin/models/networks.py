from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from kithkin.clock import now
from kithkin.models.accounts import default_time_zone


class Network(models.Model):
    """One shared address book. Every other record belongs to exactly one network."""

    name = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    # How many check-ins the agenda asks for in one day; the rest wait their turn.
    daily_outreach_budget = models.PositiveSmallIntegerField(default=5)
    # ISO 3166 region used to read phone numbers written without a +country code.
    # How many days ahead a membership renewal shows on the agenda.
    renewal_notice_days = models.PositiveSmallIntegerField(default=30)
    # Help received and not thanked within this many days shows under "say thanks".
    thanks_within_days = models.PositiveSmallIntegerField(default=3)
    # How many days ahead birthdays, anniversaries and milestones show under "celebrate".
    celebrate_within_days = models.PositiveSmallIntegerField(default=14)
    phone_region = models.CharField(max_length=2, blank=True, default="")
    # The circle people added without one join (by hand or by an import); None: no circle,
    # so they are never due until triaged.
    new_people_circle = models.ForeignKey(
        "kithkin.Circle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Its owners' choice: every member signs in with a second factor to open it
    # (docs/two-factor.md); members without one are sent to set it up.
    requires_two_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} is {self.role} of {self.network_id}"

    @property
    def can_write(self) -> bool:
        return self.role in {Role.OWNER, Role.EDITOR}


# How long an invitation link stays valid.
INVITATION_LIFETIME = dt.timedelta(days=14)


class Invitation(models.Model):
    """A link that makes whoever opens it a member. Only the SHA-256 of its token is stored:
    the token itself is shown once, to the owner who invites."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.CharField(max_length=254, blank=True)  # whom it was meant for, if said
    role = models.CharField(max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()  # created_at + INVITATION_LIFETIME
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Owners are made by promotion, never by a link that could leak.
            models.CheckConstraint(
                condition=Q(role__in=[Role.EDITOR, Role.VIEWER]), name="invitation_not_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} invitation to {self.network_id}"

    @property
    def is_pending(self) -> bool:
        """Not used yet and not expired: the link still works."""
        return self.accepted_at is None and self.expires_at > now()


class Circle(models.Model):
    """How close a person is, and so how often to check in (the default cadence)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="circles")
    name = models.CharField(max_length=40)
    # 0 is the closest circle; the agenda ranks closer circles first among equals.
    rank = models.PositiveSmallIntegerField()
    # None: people in this circle are never due for a check-in.
    cadence_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "network", name="circle_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


# The circles every new network starts with: (name, cadence in days or None).
DEFAULT_CIRCLES: tuple[tuple[str, int | None], ...] = (
    ("close", 30),
    ("regular", 90),
    ("occasional", 180),
    ("acquaintance", None),
)
