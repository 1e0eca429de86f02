"""`kith mcp`: the tools over stdio for a local assistant, as the local user.

The SDK's lowlevel ``Server`` speaks the protocol on stdin and stdout (nothing else may
write to stdout). Tools are plain Django code: each call runs in a worker thread, one at a
time (Django's ORM refuses to run inside the event loop, and a local assistant waits for
each answer anyway).
"""

from __future__ import annotations

import functools
from typing import Any

import anyio
import anyio.to_thread
from mcp.server.lowlevel import NotificationOptions, Server
from mcp.server.stdio import stdio_server

from kithkin import access
from kithkin.mcp.protocol import INSTRUCTIONS, SERVER_NAME, SERVER_VERSION, as_result, listed_tools
from kithkin.mcp.tools import call_tool
from mcp import types


def build_server(actor: access.Actor) -> Server[Any, Any]:
    server: Server[Any, Any] = Server(
        SERVER_NAME, version=SERVER_VERSION, instructions=INSTRUCTIONS
    )
    one_at_a_time = anyio.CapacityLimiter(1)

    @server.list_tools()
    async def list_tools() -> list[types.Tool]:
        return await anyio.to_thread.run_sync(listed_tools, actor, limiter=one_at_a_time)

    @server.call_tool(validate_input=False)  # the tool's own model validates, with clear errors
    async def call(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        outcome = await anyio.to_thread.run_sync(
            functools.partial(call_tool, actor, name, arguments), limiter=one_at_a_time
        )
        return as_result(outcome)

    return server


def serve(actor: access.Actor) -> None:
    """Serve the tools on stdin/stdout until the client closes them."""
    server = build_server(actor)

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(
                read_stream,
                write_stream,
                server.create_initialization_options(NotificationOptions()),
            )

    anyio.run(run)
