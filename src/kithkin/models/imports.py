from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now


class ImportUpload(models.Model):
    """A file uploaded for import into a network, waiting for its plan to be reviewed and
    applied (``transfer``). The bytes and the plan live in the uploads folder
    (``services.uploads``) under ``stored_name``; the row says whose they are, what was
    planned (``plan_digest``: the plan applied must be the one stored) and what was applied.
    Deleted with its files once ``uploads.ABANDONED_AFTER`` old."""

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="import_uploads"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_uploads"
    )
    format = models.CharField(max_length=20)  # a key of importers.formats.FORMATS
    original_name = models.CharField(max_length=255)  # as the user's file was named
    stored_name = models.CharField(max_length=64, unique=True)  # in the uploads folder
    size = models.PositiveBigIntegerField()
    create_people = models.BooleanField(default=False)
    circle = models.CharField(max_length=40, blank=True, default="")  # the new people join
    my_addresses = models.JSONField(default=list)  # more of my own addresses (`--me`)
    created_at = models.DateTimeField(default=now)
    planned_at = models.DateTimeField(null=True, blank=True)
    plan_digest = models.CharField(max_length=64, blank=True, default="")  # sha256
    plan_summary = models.JSONField(null=True, blank=True)  # ImportPlan.summary
    applied_at = models.DateTimeField(null=True, blank=True)
    applied = models.JSONField(null=True, blank=True)  # what the apply wrote, counted

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="import_upload_age")]

    def __str__(self) -> str:
        return self.original_name
