from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from kithkin import chat_services, normalize
from kithkin.clock import now

if TYPE_CHECKING:
    from kithkin.models.organizations import Affiliation


class Person(models.Model):
    """A contact, or *me* (``is_self``): exactly one Person per network is the user."""

    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="people")
    is_self = models.BooleanField(default=False)

    full_name = models.CharField(max_length=200)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    nickname = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    # A birthday may be known without its year (most phone contacts).
    birthday_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_day = models.PositiveSmallIntegerField(null=True, blank=True)

    circle = models.ForeignKey(
        "kithkin.Circle", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    # Overrides the circle's cadence when set.
    cadence_days = models.PositiveIntegerField(null=True, blank=True)
    snoozed_until = models.DateField(null=True, blank=True)

    how_we_met = models.TextField(blank=True)
    introduced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="introduced"
    )
    what_matters = models.TextField(blank=True)
    notes = models.TextField(blank=True)  # Markdown
    tags = models.ManyToManyField("kithkin.Tag", blank=True, related_name="people")

    connected_on = models.DateField(null=True, blank=True)  # when the relationship began
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    # Derived state, kept current by kithkin.services.checkins and .search_index so the
    # agenda and search never scan a million interactions. Never set these by hand.
    last_interaction_at = models.DateTimeField(null=True, blank=True)
    check_in_due_on = models.DateField(null=True, blank=True)
    search_text = models.TextField(blank=True, default="")
    # The digest of their Photo ("" when none), set only by services/photos.py with it:
    # lists, Today and the brief show avatars from the row alone, no query per person.
    photo_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    # Their stored relationship strength (models.Strength.score; None: nothing counts),
    # written only by services/strength.py with it, so People sorted by strength walks
    # an index (person_strength, migration 0035) instead of sorting the whole network.
    strength_score = models.SmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network"], condition=Q(is_self=True), name="one_self_per_network"
            ),
            models.CheckConstraint(
                condition=Q(birthday_month__isnull=True)
                | Q(birthday_month__gte=1, birthday_month__lte=12),
                name="birthday_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(birthday_day__isnull=True)
                | Q(birthday_day__gte=1, birthday_day__lte=31),
                name="birthday_day_valid",
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__isnull=True) | Q(cadence_days__gte=1),
                name="cadence_positive",
            ),
        ]
        indexes = [
            # Due dates, and what ranking the check-ins due reads beside them: Today counts
            # and ranks everyone due from this index alone (reading 8,000 person rows at
            # 90,000 people for their cadence and circle cost 25 ms, the index 2 ms).
            models.Index(
                fields=[
                    *("network", "check_in_due_on", "archived_at", "is_self"),
                    *("cadence_days", "circle"),
                ],
                # only the people with a due date: an index over everyone with these
                # columns was the one PostgreSQL chose to read birthdays through
                condition=Q(check_in_due_on__isnull=False),
                name="person_due",
            ),
            # The People list by name, a page of ids at a time: whether a person is
            # listed (not archived, not me) is read from the index too, so no table row
            # is read for the pages before. (It replaces person_name, which SQLite's
            # sampled statistics preferred and which read each skipped row. Not a
            # partial index: one on "not archived, not me" tempts PostgreSQL for any
            # query about the people listed, the agenda's birthdays among them.)
            models.Index(
                fields=["network", "full_name", "id", "archived_at", "is_self"],
                name="person_listed",
            ),
            # The few left out of people counts (archived, me), found without a scan.
            models.Index(
                fields=["network"],
                condition=Q(archived_at__isnull=False) | Q(is_self=True),
                name="person_put_away",
            ),
            # People by recently added, a page at a time, read backwards: without it every
            # person of the network is sorted for each page. (By last talked: the index
            # person_recent, made by migration 0013 because its NULLS LAST is said
            # differently on each database; by strength, person_strength, 0035 likewise.)
            models.Index(fields=["network", "created_at", "id"], name="person_added"),
            # New people per month for the Dashboard (queries.insights.new_people): those
            # connected on a date in the year, and those added in it without one, with
            # what decides their source, read from the index alone.
            models.Index(
                fields=["network", "connected_on", "created_at", "is_self", "introduced_by"],
                name="person_new",
            ),
            # How many people each circle has now (the Dashboard's circles on cadence).
            models.Index(fields=["circle", "archived_at", "is_self"], name="person_in_circle"),
            # Birthdays falling in the next days, for the agenda's Celebrate.
            models.Index(
                fields=["birthday_month", "birthday_day"],
                condition=Q(birthday_month__isnull=False),
                name="person_birthday",
            ),
            # Those still to triage (no circle, no cadence of their own): every page asks
            # whether there are any, and the answer is usually no among thousands.
            models.Index(
                fields=["network"],
                condition=models.Q(
                    circle__isnull=True,
                    cadence_days__isnull=True,
                    archived_at__isnull=True,
                    is_self=False,
                ),
                name="person_untriaged",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def first_name(self) -> str:
        return self.nickname or self.given_name or self.full_name.split(" ", 1)[0]

    @property
    def birthday(self) -> dt.date | None:
        """The birthday as a date when its year is known."""
        if self.birthday_year and self.birthday_month and self.birthday_day:
            return dt.date(self.birthday_year, self.birthday_month, self.birthday_day)
        return None

    @property
    def current_affiliation(self) -> Affiliation | None:
        """Where they are now (a current job, membership...): the first current affiliation,
        read through ``affiliations.all()`` so that a prefetch serves it."""
        return next((a for a in self.affiliations.all() if a.is_current), None)

    @property
    def effective_cadence_days(self) -> int | None:
        if self.cadence_days is not None:
            return self.cadence_days
        return self.circle.cadence_days if self.circle_id and self.circle else None


class ContactPoint(models.Model):
    """A way to reach a person. ``normalized`` is the matching key (E.164, lower-case...).

    A phone whose number could not be read (no country code and no network region, or no
    number at all) is kept as written and *unverified*: its key is not E.164. That rule
    lives in kithkin.normalize and needs no column, so every writer (imports, merges,
    JSON restores) keeps it without knowing about it."""

    class Kind(models.TextChoices):
        EMAIL = "email"
        PHONE = "phone"
        URL = "url"
        SOCIAL = "social", "social profile"
        ADDRESS = "address"
        CHAT = "chat", "chat handle"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # For social profiles: linkedin, github, mastodon, x, bluesky, website...
    service = models.CharField(max_length=30, blank=True)
    label = models.CharField(max_length=40, blank=True)  # work, home, mobile...
    value = models.CharField(max_length=500)  # as shown to the user
    normalized = models.CharField(max_length=500)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "normalized"], name="contact_point_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "normalized"], name="contact_point_key")]

    def __str__(self) -> str:
        return self.value

    @property
    def is_unverified(self) -> bool:
        """A phone kept as written: no number could be read from it."""
        return self.kind == self.Kind.PHONE and not normalize.is_verified_phone(self.normalized)

    @property
    def service_name(self) -> str:
        """The service as people write it: "Skype", "Jabber", "linkedin"..."""
        if self.kind == self.Kind.CHAT:
            return chat_services.display_name(self.service)
        return self.service
