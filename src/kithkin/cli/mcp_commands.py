"""`kith mcp`: Kithkin's tools for a local assistant, over stdio (docs/mcp.md)."""

from __future__ import annotations

from collections.abc import Callable

import typer

from kithkin.cli.context import handle_errors, session


@handle_errors
def mcp() -> None:
    """Serve the MCP tools on stdin/stdout for a local assistant, as you (docs/mcp.md)."""
    from kithkin import access
    from kithkin.mcp.stdio import serve

    ctx = session()
    serve(access.Actor.of(ctx.user))


COMMANDS: dict[str, Callable[..., None]] = {"mcp": mcp}
GROUPS: dict[str, typer.Typer] = {}
