from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kithkin.clock import now


class Interaction(models.Model):
    """One touchpoint with one or more people. Any interaction resets their check-in."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "meeting"
        CALL = "call", "call"
        VIDEO = "video", "video call"
        EMAIL = "email", "email"
        MESSAGE = "message", "message"
        EVENT = "event", "event conversation"
        SOCIAL = "social", "social media"
        NOTE = "note", "note"

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", "I reached out"
        INBOUND = "inbound", "they reached out"
        MUTUAL = "mutual", "mutual"

    class Source(models.TextChoices):
        MANUAL = "manual"
        CALENDAR = "calendar"
        EMAIL = "email"
        LINKEDIN = "linkedin"
        IMPORT = "import"
        DEMO = "demo"

    # Every single-column index here is maintained on each of an import's hundreds of
    # thousands of inserts (five of them cost ~30% of the insert), so only the ones a read
    # needs exist: the network's interactions are found by ``interaction_when`` (network
    # first); the event, mentorship and milestone, nearly always empty, by partial indexes
    # of the rows that have one (Meta.indexes).
    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.MUTUAL)
    summary = models.TextField(blank=True)
    learned = models.TextField(blank=True)  # what I learned
    next_questions = models.TextField(blank=True)  # what to ask next time
    participants = models.ManyToManyField(
        "kithkin.Person", through="InteractionParticipant", related_name="interactions"
    )
    # Answered when a later interaction with the same people is logged.
    questions_answered_at = models.DateTimeField(null=True, blank=True)
    event = models.ForeignKey(
        "kithkin.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
        db_index=False,
    )
    mentorship = models.ForeignKey(  # a mentoring session
        "kithkin.Mentorship",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        db_index=False,
    )
    milestone = models.ForeignKey(  # celebrating it, or helping through it
        "kithkin.Milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
        db_index=False,
    )
    # The occasion it marked, so a yearly one is celebrated once a year:
    # "birthday:2026", "anniversary:<affiliation id>:2026", "milestone:<id>:2026".
    occasion = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    # The id in the source system, so a re-import finds the row instead of duplicating it.
    # NULL (not "") so the partial unique constraint below ignores rows without one.
    external_id = models.CharField(max_length=500, null=True, blank=True)  # noqa: DJ001
    # No index: nothing reads interactions by their author; deleting a user (rare) scans.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="interaction_external_id_once",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "occurred_at"], name="interaction_when"),
            # The few interactions that celebrated an occasion, for the agenda's Celebrate
            # section: without it, a thousand birthdays walk every interaction of everyone.
            models.Index(
                fields=["occasion"], condition=~Q(occasion=""), name="interaction_occasion"
            ),
            # The few conversations at an event, newest first, for the agenda's "Follow up
            # after meeting": without it, 14 days of every interaction are walked.
            models.Index(
                fields=["network", "occurred_at"],
                condition=Q(event__isnull=False),
                name="interaction_at_event",
            ),
            # The event page, a mentorship's sessions, whether a milestone was marked, and
            # SET NULL when one is deleted: a condition on the column implies NOT NULL, so
            # both databases use these.
            models.Index(
                fields=["event"], condition=Q(event__isnull=False), name="interaction_event"
            ),
            models.Index(
                fields=["mentorship"],
                condition=Q(mentorship__isnull=False),
                name="interaction_mentorship",
            ),
            models.Index(
                fields=["milestone"],
                condition=Q(milestone__isnull=False),
                name="interaction_milestone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_at:%Y-%m-%d}"


# Kinds of interaction as triage and the tallies count them.
MEETING_KINDS = (
    Interaction.Kind.MEETING,
    Interaction.Kind.CALL,
    Interaction.Kind.VIDEO,
    Interaction.Kind.EVENT,
)
MESSAGE_KINDS = (Interaction.Kind.MESSAGE, Interaction.Kind.EMAIL)


def is_invitation(prefix: str = "") -> Q:
    """A LinkedIn invitation to connect: it says who reached out first, not a conversation.
    ``prefix``: ``interaction__`` for rows joined to an interaction."""
    return Q(**{f"{prefix}source": Interaction.Source.LINKEDIN}) & Q(
        **{f"{prefix}external_id__startswith": "invitation/"}
    )


class InteractionParticipant(models.Model):
    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE)
    # No index of its own: the unique constraint (person, interaction) serves lookups by
    # person, and one index fewer matters on million-row imports.
    person = models.ForeignKey("kithkin.Person", on_delete=models.CASCADE, db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "interaction"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.interaction_id}"


class InteractionTally(models.Model):
    """What one person's interactions add up to, for triage: counted once when they change
    (``kithkin.services.checkins.refresh_check_ins``) instead of grouping a million
    participant rows each time the Triage page opens. Derived state: never set by hand.
    A person with no interaction has no tally."""

    person = models.OneToOneField(
        "kithkin.Person", primary_key=True, on_delete=models.CASCADE, related_name="tally"
    )
    talks = models.PositiveIntegerField(default=0)  # interactions, invitations not counted
    messages = models.PositiveIntegerField(default=0)
    meetings = models.PositiveIntegerField(default=0)
    inbound = models.PositiveIntegerField(default=0)  # talks they started
    outbound = models.PositiveIntegerField(default=0)  # talks I started
    last_talk_at = models.DateTimeField(null=True, blank=True)
    last_meeting_at = models.DateTimeField(null=True, blank=True)
    they_invited = models.BooleanField(default=False)
    i_invited = models.BooleanField(default=False)

    FIELDS = (
        "talks",
        "messages",
        "meetings",
        "inbound",
        "outbound",
        "last_talk_at",
        "last_meeting_at",
        "they_invited",
        "i_invited",
    )

    def __str__(self) -> str:
        return f"{self.person_id}: {self.talks} talks, {self.meetings} meetings"
