from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class Tag(models.Model):
    """A free label on people (and later organizations and opportunities)."""

    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "network", name="tag_name_once"),
        ]

    def __str__(self) -> str:
        return self.name
