"""Personal access tokens as their owner sees them (never the digest; the secret only once,
when the token is made)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Instant, Shape

if TYPE_CHECKING:
    from kithkin.models import AccessToken


class TokenNetworkOut(Shape):
    id: int
    name: str


class TokenOut(Shape):
    """``network`` null: every network its owner belongs to; ``active``: neither revoked nor
    expired."""

    id: int
    name: str
    prefix: str
    scope: str
    network: TokenNetworkOut | None
    created_at: Instant
    expires_at: Instant | None
    last_used_at: Instant | None
    active: bool

    @classmethod
    def of(cls, token: AccessToken) -> Self:
        network = token.network
        return cls(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            scope=token.scope,
            network=TokenNetworkOut(id=network.pk, name=network.name) if network else None,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            active=token.is_active,
        )


class TokenCreatedOut(TokenOut):
    """A token just made, with its ``secret``: printed this once, stored only as a digest."""

    secret: str

    @classmethod
    def made(cls, token: AccessToken, secret: str) -> Self:
        return cls(**TokenOut.of(token).model_dump(), secret=secret)
