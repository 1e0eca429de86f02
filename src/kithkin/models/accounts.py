from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from kithkin.clock import now


def default_time_zone() -> str:
    return str(settings.DEFAULT_TIME_ZONE)


class User(AbstractUser):
    """A login. What a user sees depends on their Memberships, never on this row alone."""

    time_zone = models.CharField(max_length=64, default=default_time_zone)
    # The network the CLI and the web app open by default; switching networks changes it.
    current_network = models.ForeignKey(
        "kithkin.Network", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "kithkin_user"


class Attempt(models.Model):
    """Something slowed down when repeated too fast, kept a day: a failed sign-in (password
    guessing), a sign-up (accounts made in bulk)."""

    class Kind(models.TextChoices):
        FAILED_LOGIN = "failed_login", "failed sign-in"
        SIGN_UP = "sign_up", "sign-up"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FAILED_LOGIN)
    username = models.CharField(max_length=150)  # lower-cased, as typed
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "username", "at"], name="attempt_username"),
            models.Index(fields=["kind", "ip", "at"], name="attempt_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.username} from {self.ip or '?'} at {self.at:%Y-%m-%d %H:%M}"
