"""Single sign-on (docs/sso.md): which Kithkin user an OpenID provider's account is."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now


class OidcIdentity(models.Model):
    """An account at an OpenID provider, named by the provider's issuer and its verified
    ``sub`` claim (unique and never reassigned at that issuer, unlike an email address),
    linked to one Kithkin user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # What the provider last said, to show in Settings; never used to find the user.
    email = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer} is user {self.user_id}"
