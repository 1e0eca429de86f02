from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from kithkin.clock import now
from kithkin.models.functions import MonthDay


class Organization(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company"
        ASSOCIATION = "association", "professional association"
        SCHOOL = "school"
        COMMUNITY = "community"
        OTHER = "other"

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="organizations"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    website = models.CharField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    tags = models.ManyToManyField("kithkin.Tag", blank=True, related_name="organizations")
    created_at = models.DateTimeField(default=now)
    # The people there now (distinct, with a current tie, not archived, me left out): kept
    # by the database's triggers (kithkin.organization_counts), never written from here.
    people_count = models.IntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "network", name="organization_name_once"),
        ]
        indexes = [
            # The Organizations page: a page of them, the most people first, read in order.
            models.Index(fields=["network", "-people_count", "name"], name="organization_people"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """As Model.save, but an update never writes ``people_count``: the value read
        with the row may be stale by now, and the triggers keep the stored one."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname != "people_count"
            ]
        super().save(*args, **kwargs)


class Affiliation(models.Model):
    """A person's tie to an organization: a job, a membership, a school, volunteering."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment"
        MEMBERSHIP = "membership"
        EDUCATION = "education"
        VOLUNTEERING = "volunteering"

    person = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="affiliations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EMPLOYMENT)
    title = models.CharField(max_length=200, blank=True)
    start_on = models.DateField(null=True, blank=True)
    end_on = models.DateField(null=True, blank=True)  # None: current
    renews_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["end_on", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=models.F("start_on")),
                name="affiliation_ends_after_start",
            )
        ]
        indexes = [
            # Work anniversaries falling in the next days, for the agenda's Celebrate:
            # without it every job of the network is read to find the few dozen.
            models.Index(
                MonthDay("start_on"),
                condition=Q(end_on__isnull=True, kind="employment"),
                name="affiliation_anniversary",
            ),
            # A person's current ties at an organization (end_on IS NULL), found from this
            # index alone: what the triggers keeping Organization.people_count ask on each
            # tie written, and the recount (kithkin.organization_counts). Not a partial
            # index: one on "end_on IS NULL" tempts SQLite to scan it for any query about
            # current ties (the agenda's work anniversaries).
            models.Index(fields=["organization", "end_on", "person"], name="affiliation_current"),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.organization}" if self.title else str(self.organization)

    @property
    def is_current(self) -> bool:
        return self.end_on is None
