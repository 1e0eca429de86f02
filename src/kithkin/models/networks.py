from __future__ import annotations

from django.conf import settings
from django.db import models
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
    phone_region = models.CharField(max_length=2, blank=True, default="")
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
