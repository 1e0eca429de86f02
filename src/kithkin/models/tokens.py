"""Personal access tokens: how another program acts as a user through the API.

The secret is 32 random bytes shown once, when the token is made; only its SHA-256 digest
is stored (a secret that long cannot be guessed from its digest, so a slow password hash
would only cost time on every request). ``prefix`` is the secret's start, kept so a person
can tell their tokens apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from kithkin.clock import now


class Scope(models.TextChoices):
    READ = "read"
    WRITE = "write"


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    # None: every network the user belongs to; else only this one.
    network = models.ForeignKey(
        "kithkin.Network",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=5, choices=Scope.choices)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, hex
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The request count of the current minute (rate limits hold across worker processes).
    rate_window = models.DateTimeField(null=True, blank=True)
    rate_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "user",
                Lower("name"),
                condition=Q(revoked_at__isnull=True),
                name="access_token_name_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        """Not revoked and not expired: the token still opens the API."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now())
