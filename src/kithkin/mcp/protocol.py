"""The tools and their outcomes as the SDK's protocol types, for both transports."""

from __future__ import annotations

import functools

from kithkin import __version__, access
from kithkin.mcp.tools import Outcome, Tool, tools_for
from mcp import types

SERVER_NAME = "kithkin"
SERVER_VERSION = __version__
INSTRUCTIONS = (
    "Kithkin is the user's relationship manager. Start with `today` for what to do, "
    "`find_people` or `brief` before a conversation; log what happened with "
    "`log_interaction`. Every tool takes an optional `network` id (see `networks`)."
)


@functools.cache  # a tool never changes: its schema is built once per process
def as_mcp_tool(tool: Tool) -> types.Tool:
    return types.Tool(
        name=tool.name,
        title=tool.title,
        description=tool.description,
        inputSchema=tool.input_schema(),
        annotations=types.ToolAnnotations(
            title=tool.title,
            readOnlyHint=not tool.writes,
            destructiveHint=False,
            idempotentHint=not tool.writes,
            openWorldHint=False,
        ),
    )


def listed_tools(actor: access.Actor) -> list[types.Tool]:
    return [as_mcp_tool(tool) for tool in tools_for(actor)]


def as_result(outcome: Outcome) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=outcome.text)],
        structuredContent=outcome.structured,
        isError=outcome.is_error,
    )
