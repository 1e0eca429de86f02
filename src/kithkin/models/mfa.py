"""Two-factor sign-in (docs/two-factor.md): recovery codes, and the wrong codes counted.

The authenticator app's secret is django-otp's ``TOTPDevice`` (its ``otp_totp`` plugin).
Recovery codes are a device of Kithkin's own, through django-otp's device interface:
``otp_static`` keeps its codes in plain text (``StaticToken.token``, matched by equality),
and a recovery code is a password. Here only the SHA-256 digest of each code is stored;
a code is 80 random bits, so a fast digest cannot be reversed by guessing (the same
reasoning as API tokens' digests).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_otp.models import Device

from kithkin.clock import now
from kithkin.digests import secret_digest


def code_digest(code: str) -> str:
    """The stored form of a recovery code: SHA-256 of the code as normalised (lower case,
    no spaces or dashes), so it matches however it was typed."""
    typed = "".join(code.split()).replace("-", "").lower()
    return secret_digest(typed)


class RecoveryCodes(Device):
    """A user's set of one-time recovery codes, for when the authenticator app is lost.
    One set per user; regenerating replaces every code."""

    # django-otp's own field, with no reverse accessor on User (the user's codes are
    # reached through the device, never from the user row).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], name="recovery_codes_once_per_user"),
        ]

    def verify_token(self, token: str) -> bool:
        """Whether ``token`` is one of the codes left; it is used up at once. The DELETE
        decides, so two sign-ins racing with the same code cannot both pass."""
        deleted, _ = self.codes.filter(digest=code_digest(token)).delete()
        return deleted > 0


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_once"),
        ]

    def __str__(self) -> str:
        return f"recovery code {self.digest[:8]}… of {self.device_id}"


class CodeFailure(models.Model):
    """A wrong second-factor code typed for a user, kept while it counts (services/mfa.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["user", "at"], name="code_failure_user")]

    def __str__(self) -> str:
        return f"wrong code for {self.user_id} at {self.at:%Y-%m-%d %H:%M}"
