"""The backups made of this install: what Settings and `kith doctor` report."""

from __future__ import annotations

from django.db import models

from kithkin.clock import now


class Backup(models.Model):
    """One backup file written by `kith backup` or the worker's schedule. ``verified_at``:
    when it was restored into a temporary place and found whole; ``counts`` what that
    restore counted (people, interactions… per network)."""

    class Method(models.TextChoices):
        SQLITE = "sqlite", "SQLite online backup"
        PG_DUMP = "pg_dump", "pg_dump (custom format)"
        JSON = "json", "Kithkin JSON of every network"

    path = models.TextField()
    method = models.CharField(max_length=10, choices=Method.choices)
    scheduled = models.BooleanField(default=False)
    encrypted = models.BooleanField(default=False)
    size = models.BigIntegerField(default=0)
    made_at = models.DateTimeField(default=now)
    verified_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["-made_at"], name="backup_latest")]

    def __str__(self) -> str:
        return self.path
