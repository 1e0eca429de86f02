"""A calendar feed as its owner sees it: never its digest; its URL only when just made."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Instant, Shape

if TYPE_CHECKING:
    from kithkin.models import FeedToken, Network


class FeedNetworkOut(Shape):
    id: int
    name: str


class FeedOut(Shape):
    """``live`` false: revoked (``kith feed revoke``). ``url``: the feed's address, only
    on the answer that made it (it is stored as a digest), else null."""

    network: FeedNetworkOut
    titles_only: bool
    created_at: Instant
    last_used_at: Instant | None
    live: bool
    url: str | None

    @classmethod
    def of(cls, feed: FeedToken, network: Network, url: str | None = None) -> Self:
        return cls(
            network=FeedNetworkOut(id=network.pk, name=network.name),
            titles_only=feed.titles_only,
            created_at=feed.created_at,
            last_used_at=feed.last_used_at,
            live=feed.is_live,
            url=url,
        )
