from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from kithkin.clock import now


class Event(models.Model):
    """Something I attend (or might): a conference, a meetup, a webinar."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference"
        WORKSHOP = "workshop"
        SEMINAR = "seminar"
        MEETUP = "meetup"
        WEBINAR = "webinar"
        SOCIAL = "social"

    class Status(models.TextChoices):  # mine
        INTERESTED = "interested"
        GOING = "going"
        ATTENDED = "attended"

    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEETUP)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)  # None: a one-day event
    location = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500, blank=True)
    organizer = models.ForeignKey(
        "kithkin.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INTERESTED)
    notes = models.TextField(blank=True)  # Markdown
    tags = models.ManyToManyField("kithkin.Tag", blank=True, related_name="events")
    people = models.ManyToManyField("kithkin.Person", through="Attendance", related_name="events")
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "network", "starts_on", name="event_name_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["network", "starts_on"], name="event_when")]

    def __str__(self) -> str:
        return self.name

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on


class Attendance(models.Model):
    """A person I met (or saw) at an event, with a note on it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="attendances"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.event_id}"
