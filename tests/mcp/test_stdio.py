"""`kith mcp` as an assistant runs it: a real process on a fresh data directory, driven by
the SDK's stdio client; what each tool wrote is read back from the SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import anyio
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.once]  # its processes run on SQLite

KITH = str(Path(sys.executable).parent / "kith")
EVERY_TOOL = {
    "networks",
    "today",
    "find_people",
    "brief",
    "match_opportunity",
    "log_interaction",
    "add_follow_up",
    "complete_follow_up",
    "record_value",
}


@pytest.fixture
def data_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(tmp_path / "data")}

    def kith(*args: str) -> str:
        done = subprocess.run(
            [KITH, *args], env=env, input="", capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    kith("init", "--name", "Sam Writer", "--username", "sam", "--time-zone", "Europe/Paris")
    kith("add", "Ada Lovelace", "--email", "ada@example.org", "--tag", "compilers")
    kith("follow-up", "Ada", "Send the paper", "--due", "today")
    kith("opp", "add", "Compiler engineer", "--tag", "compilers")
    return env, kith


def _run(env: dict[str, str], work):
    from mcp.client.stdio import stdio_client

    from mcp import ClientSession, StdioServerParameters

    async def main():
        server = StdioServerParameters(command=KITH, args=["mcp"], env=env)
        async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return await work(session)

    return anyio.run(main)


def test_kith_mcp_lists_and_calls_every_tool_as_the_local_user(data_env, tmp_path):
    env, kith = data_env
    agenda = json.loads(kith("today", "--json"))
    follow_up_id = agenda["follow_ups"][0]["id"]
    opportunity_id = json.loads(kith("opp", "list", "--json"))[0]["id"]

    async def work(session):
        listed = await session.list_tools()
        calls = {
            "networks": {},
            "today": {},
            "find_people": {"query": "compilers"},
            "brief": {"person": "ada@example.org"},
            "match_opportunity": {"opportunity": opportunity_id},
            "log_interaction": {"kind": "meeting", "people": ["Ada"], "summary": "Coffee"},
            "add_follow_up": {"person": "Ada", "title": "Send the notes", "due": "2026-12-24"},
            "complete_follow_up": {"follow_up": follow_up_id},
            "record_value": {"person": "Ada", "direction": "given", "kind": "introduction"},
        }
        results = {}
        for name, arguments in calls.items():
            result = await session.call_tool(name, arguments)
            assert not result.isError, (name, result.content)
            results[name] = result
        missing = await session.call_tool("brief", {"person": "Nobody Known"})
        return {tool.name for tool in listed.tools}, results, missing

    names, results, missing = _run(env, work)

    assert names == EVERY_TOOL
    assert results["today"].structuredContent["follow_ups"][0]["title"] == "Send the paper"
    assert results["find_people"].structuredContent["people"][0]["name"] == "Ada Lovelace"
    assert results["brief"].structuredContent["person"]["name"] == "Ada Lovelace"
    assert results["match_opportunity"].structuredContent["matches"][0]["person"]["name"] == (
        "Ada Lovelace"
    )
    assert missing.isError and missing.content[0].text == "No one called 'Nobody Known'."

    db = sqlite3.connect(tmp_path / "data" / "kithkin.sqlite3")
    assert db.execute(
        "SELECT kind FROM kithkin_interaction WHERE summary = 'Coffee'"
    ).fetchall() == [("meeting",)]
    assert db.execute(
        "SELECT done_at IS NOT NULL FROM kithkin_followup WHERE id = ?", (follow_up_id,)
    ).fetchone() == (1,)
    assert db.execute(
        "SELECT due_on FROM kithkin_followup WHERE title = 'Send the notes'"
    ).fetchone() == ("2026-12-24",)
    assert db.execute(
        "SELECT kind, weight FROM kithkin_valueexchange WHERE source = 'manual'"
    ).fetchall() == [("introduction", 2)]


def test_kith_mcp_writes_nothing_but_the_protocol_to_stdout(data_env):
    """A client reads stdout as JSON-RPC: one line per message, no banner before them."""
    env, _ = data_env
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"},
        },
    }
    done = subprocess.run(
        [KITH, "mcp"],
        env=env,
        input=json.dumps(initialize) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["result"]["serverInfo"]["name"] == "kithkin"
