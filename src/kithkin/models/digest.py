"""When and how each user hears from Kithkin: the daily digest email, the weekly review,
and push (ntfy). One row per user who has set them; no row means no digest."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

# Monday = 0 … Sunday = 6, as ``datetime.date.weekday()`` counts them.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = "0123456"


class DigestPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    enabled = models.BooleanField(default=True)  # the email; off after an unsubscribe
    send_at = models.TimeField(default=dt.time(7, 0))  # local time, in the user's zone
    days = models.CharField(max_length=7, default=EVERY_DAY)  # weekday digits, "01234"
    weekly_review = models.BooleanField(default=True)
    weekly_review_day = models.PositiveSmallIntegerField(default=0)  # Monday
    ntfy_url = models.URLField(max_length=500, blank=True)  # https://ntfy.sh/my-topic
    # What happened last: Settings and `kith doctor` show it.
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_pushed_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure = models.CharField(max_length=500, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "kithkin_digest_preference"

    def __str__(self) -> str:
        return f"digest of user {self.user_id}"

    @property
    def weekdays(self) -> list[int]:
        return sorted({int(day) for day in self.days if day.isdigit() and int(day) < 7})

    def sends_on(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays

    def reviews_on(self, day: dt.date) -> bool:
        return self.weekly_review and day.weekday() == self.weekly_review_day
