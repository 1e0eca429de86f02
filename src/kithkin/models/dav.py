"""CardDAV (docs/carddav.md): app passwords, and what a card says that Kithkin keeps apart.

An ``AppPassword`` lets a contacts program (iOS, macOS, DAVx5, Thunderbird) sign in to
``/dav/`` with HTTP Basic: 24 random bytes, shown once; only the digest
(``digests.secret_digest``) is stored; revoking deletes it.

A ``DavCard`` exists for a person a contacts program created or edited: the address
(``href``) and ``uid`` it chose, so the card keeps them (a UID that changed would be a
duplicate on the phone), and the properties Kithkin does not model (``extra``: unfolded
content lines, served back unchanged). People never touched over CardDAV have none: their
address is ``<id>.vcf`` and their UID the exporter's. The row stays when the person is
archived or deleted (a tombstone): a client syncing later still learns the card is gone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now


class AppPassword(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_passwords"
    )
    name = models.CharField(max_length=100)  # "iPhone", "DAVx5 on the tablet"
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, hex
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"app password {self.name} of {self.user_id}"


class DavCard(models.Model):
    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="+")
    # No constraint: the row outlives a person deleted for good (the tombstone).
    person = models.ForeignKey(
        "kithkin.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="dav_cards",
    )
    href = models.CharField(max_length=255)  # the resource's name in the address book
    uid = models.CharField(max_length=255)
    extra = models.TextField(blank=True)  # unmodeled properties, one unfolded line each
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint("network", "href", name="davcard_href_once"),
        ]
        indexes = [
            models.Index(fields=["network", "uid"], name="davcard_uid"),
            models.Index(fields=["person"], name="davcard_person"),
        ]

    def __str__(self) -> str:
        return f"{self.href} in {self.network_id}"


class DavGroup(models.Model):
    """A group card a contacts program made (DAVx5's "groups are separate vCards", Apple's
    groups): a tag, served as a card that lists the people who have it. ``tag`` None: the
    group was deleted (the tombstone)."""

    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(
        "kithkin.Tag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    href = models.CharField(max_length=255)
    uid = models.CharField(max_length=255)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint("network", "href", name="davgroup_href_once"),
        ]

    def __str__(self) -> str:
        return f"group {self.href} in {self.network_id}"


class CardEtag(models.Model):
    """A person's card (vCard 3.0) and its ETag as last rendered, so listing an address
    book (every sync of vdirsyncer, Thunderbird's) and fetching its cards render only the
    cards changed since (``address_books.cards``)."""

    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="+")
    person_id = models.BigIntegerField()
    etag = models.CharField(max_length=40)
    text = models.TextField(blank=True)  # the card, vCard 3.0

    class Meta:
        constraints = [
            models.UniqueConstraint("network", "person_id", name="cardetag_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.etag}"


class CardEtagsAsOf(models.Model):
    """The change (its position in ``services.changes``' order) the network's stored
    ETags are current to."""

    network = models.OneToOneField(
        "kithkin.Network", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    transaction_id = models.BigIntegerField(default=0)
    change_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"ETags of {self.network_id} as of {self.transaction_id}-{self.change_id}"
