"""Calendar feeds (docs/feeds.md): made (the secret shown once), made again, switched to
titles only, revoked, and opened by their secret on every fetch.

A secret is ``kithcal_`` and 32 random bytes (URL-safe base64); only its SHA-256 digest is
stored, by the helper API tokens use (``digests.secret_digest``). A fetch finds the
feed by its digest and compares in constant time; a feed opens only while its user is
active and still a member of its network (``access.grant_for``: a user who left the
network gets nothing, as an outsider). Last use is written at most once a minute, by one
conditional UPDATE.

Any member may have a feed of a network, a viewer too: a feed only reads.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from kithkin import access, clock
from kithkin.digests import secret_digest
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import FeedToken, Network, Scope, User

SECRET_PREFIX = "kithcal_"
MAX_SECRET_LENGTH = 100
USE_INTERVAL = dt.timedelta(minutes=1)  # last use is written at most this often


@dataclass(frozen=True)
class NewFeed:
    feed: FeedToken
    secret: str  # shown once; never stored


@dataclass(frozen=True)
class OpenFeed:
    """A feed a fetch opened: whose, which network, and the grant that still holds."""

    feed: FeedToken
    grant: access.Grant

    @property
    def user(self) -> User:
        return self.grant.actor.user

    @property
    def network(self) -> Network:
        return self.grant.network


@dataclass(frozen=True)
class FeedSetting:
    """One network of the user and its live feed (None: no feed), as Settings lists them."""

    network: Network
    feed: FeedToken | None


def _live(user: User) -> QuerySet[FeedToken]:
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True)


def feed_of(user: User, network: Network) -> FeedToken | None:
    """The user's live feed of ``network`` (one of their networks), if any."""
    access.grant_for(user, network.pk)
    return _live(user).filter(network=network).first()


def feed_settings(user: User) -> list[FeedSetting]:
    """Every network of the user with its live feed, by network name. Two queries."""
    feeds = {feed.network_id: feed for feed in _live(user)}
    return [
        FeedSetting(network=grant.network, feed=feeds.get(grant.network.pk))
        for grant in access.grants_of(user)
    ]


@transaction.atomic
def make_feed(user: User, network: Network, *, titles_only: bool | None = None) -> NewFeed:
    """A new feed of ``network`` for ``user``, replacing (revoking) the live one: its URL
    stops working. ``titles_only`` None keeps the replaced feed's choice (else full)."""
    access.grant_for(user, network.pk)
    now = clock.now()
    previous = list(_live(user).filter(network=network).select_for_update())
    if titles_only is None:
        titles_only = any(feed.titles_only for feed in previous)
    _live(user).filter(network=network).update(revoked_at=now)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            feed = FeedToken.objects.create(
                user=user,
                network=network,
                digest=secret_digest(secret),
                titles_only=titles_only,
                created_at=now,
            )
    except IntegrityError as exc:  # another request made one at the same moment
        raise InvalidInput("feed", "a feed was just made elsewhere: try again.") from exc
    return NewFeed(feed=feed, secret=secret)


def _require(user: User, network: Network) -> FeedToken:
    feed = feed_of(user, network)
    if feed is None:
        raise NotFound(f"You have no calendar feed of {network.name}.")
    return feed


@transaction.atomic
def set_titles_only(user: User, network: Network, titles_only: bool) -> FeedToken:
    """Switch the live feed between titles only and full; its URL stays the same."""
    feed = _require(user, network)
    if feed.titles_only != titles_only:
        feed.titles_only = titles_only
        feed.save(update_fields=["titles_only"])
    return feed


@transaction.atomic
def revoke_feed(user: User, network: Network) -> FeedToken:
    """Revoke the live feed: its URL opens nothing from now on."""
    feed = _require(user, network)
    feed.revoked_at = clock.now()
    feed.save(update_fields=["revoked_at"])
    return feed


def open_feed(secret: str) -> OpenFeed | None:
    """The feed a fetch's secret opens; None when it is unknown, revoked, its user is
    deactivated or no longer a member of its network. Records its use (at most once a
    minute)."""
    secret = secret.strip()
    if not secret.startswith(SECRET_PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    digest = secret_digest(secret)
    feed = (
        FeedToken.objects.select_related("user")
        .filter(digest=digest, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not hmac.compare_digest(feed.digest, digest):
        return None
    if not feed.user.is_active:
        return None
    try:
        grant = access.grant_for(access.Actor(user=feed.user, scope=Scope.READ), feed.network_id)
    except NotFound:
        return None
    _note_use(feed)
    return OpenFeed(feed=feed, grant=grant)


def _note_use(feed: FeedToken) -> None:
    now = clock.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_INTERVAL)
    if FeedToken.objects.filter(stale, pk=feed.pk).update(last_used_at=now):
        feed.last_used_at = now
