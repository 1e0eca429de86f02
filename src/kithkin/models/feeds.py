"""Calendar feeds: a secret URL per user and network that a calendar program subscribes to
(docs/feeds.md).

The URL holds a secret of 32 random bytes, shown once, when the feed is made or made
again; only its SHA-256 digest is stored, as for ``AccessToken`` (and with the same helper,
``digests.secret_digest``). A user has at most one live feed per network: making it
again revokes the one before (its URL stops working), revoking leaves none.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kithkin.clock import now


class FeedToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="feed_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, hex
    # Only what to do and when: no notes, what matters, drafts, places or reasons.
    titles_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "user",
                "network",
                condition=Q(revoked_at__isnull=True),
                name="feed_token_live_once",
            ),
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id} in {self.network_id}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
