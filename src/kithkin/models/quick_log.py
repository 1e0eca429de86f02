"""Quick logs sent from the phone app (docs/app.md): the key the phone made for each, so a
quick log queued offline and sent again (a retry, a second tab, Background Sync racing the
page) is logged once.

The key is a UUID the phone generates when the user taps Log; it is unique per network and
user in the database, so two replays arriving at once still make one interaction: the
second INSERT fails and reads the first's result. The interaction is kept by reference
(an Undo that deletes it leaves the key, so a late replay does not log it again).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now


class QuickLog(models.Model):
    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="quick_logs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quick_logs"
    )
    key = models.UUIDField()
    interaction = models.ForeignKey(
        "kithkin.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user", "key"], name="quick_log_key_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"quick log {self.key} by {self.user_id} in {self.network_id}"
