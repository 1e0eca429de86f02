"""A small network to call the tools on: a person who cares about compilers, a follow-up
due, an opportunity that matches her; and the SDK's client over Streamable HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
import httpx
import pytest
from tests import factories
from tests.factories_opportunities import make_opportunity

from kithkin.models import FollowUp, Opportunity, Person

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _http_settings(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


@dataclass
class Seeded:
    ada: Person
    follow_up: FollowUp
    opportunity: Opportunity


@pytest.fixture
def seeded(network) -> Seeded:
    ada = factories.make_person(network, "Ada Lovelace", tags=["compilers"])
    follow_up = factories.make_follow_up(
        network, ada, "Send the paper", due_on=dt.date(2026, 2, 19)
    )
    opportunity = make_opportunity(network, "Compiler engineer", tags=["compilers"])
    return Seeded(ada=ada, follow_up=follow_up, opportunity=opportunity)


def over_http(url: str, secret: str, work: Callable[[Any], Awaitable[T]]) -> T:
    """Open an MCP session on ``url`` with the SDK's Streamable HTTP client, as the token's
    owner, run ``work(session)`` and return what it returns."""
    from mcp.client.streamable_http import streamable_http_client

    from mcp import ClientSession

    async def main() -> T:
        headers = {"Authorization": f"Bearer {secret}"}
        async with (
            httpx.AsyncClient(headers=headers, timeout=30) as http,
            streamable_http_client(url, http_client=http) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return await work(session)

    return anyio.run(main)
