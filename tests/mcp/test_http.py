"""``/mcp/`` driven by the SDK's own Streamable HTTP client against a live server: the
tools a token may list, each tool called, what the database holds afterwards; a read
token, a token of another network and no token at all."""

from __future__ import annotations

import json

import httpx
import pytest
from tests import factories
from tests.mcp.conftest import over_http

from kithkin.mcp.tools import TOOLS
from kithkin.models import FollowUp, Interaction, ValueExchange
from kithkin.services.tokens import create_token

pytestmark = pytest.mark.django_db(transaction=True)

READ_TOOLS = {"networks", "today", "find_people", "brief", "match_opportunity"}
WRITE_TOOLS = {"log_interaction", "add_follow_up", "complete_follow_up", "record_value"}


def _url(live_server) -> str:
    return f"{live_server.url}/mcp/"


def test_a_write_token_lists_every_tool_and_each_call_reaches_the_database(
    live_server, owner, network, seeded
):
    secret = create_token(owner, "assistant", "write").secret
    ada = seeded.ada

    async def work(session):
        listed = await session.list_tools()
        answers = {"tools": {tool.name for tool in listed.tools}}
        calls = {
            "networks": {},
            "today": {},
            "find_people": {"query": "compilers"},
            "brief": {"person": "Ada"},
            "match_opportunity": {"opportunity": f"op{seeded.opportunity.pk}"},
            "log_interaction": {
                "kind": "call",
                "people": [ada.pk],
                "summary": "Talked about the analytical engine",
                "ask": "How is the paper going?",
            },
            "add_follow_up": {"person": "Ada Lovelace", "title": "Send the notes", "due": "+3d"},
            "complete_follow_up": {"follow_up": f"f{seeded.follow_up.pk}"},
            "record_value": {
                "person": f"p{ada.pk}",
                "direction": "received",
                "kind": "advice",
                "description": "How to publish",
                "network": network.pk,
            },
        }
        for name, arguments in calls.items():
            result = await session.call_tool(name, arguments)
            assert not result.isError, (name, result.content)
            answers[name] = result
        return answers

    answers = over_http(_url(live_server), secret, work)

    assert answers["tools"] == READ_TOOLS | WRITE_TOOLS == set(TOOLS)
    assert answers["networks"].structuredContent["networks"][0]["id"] == network.pk
    today = answers["today"].structuredContent
    assert today["network"] == network.name
    assert [item["title"] for item in today["follow_ups"]] == ["Send the paper"]
    found = answers["find_people"].structuredContent["people"]
    assert [person["id"] for person in found] == [ada.pk]
    assert answers["brief"].structuredContent["person"]["id"] == ada.pk
    assert "Ada Lovelace" in answers["brief"].content[0].text
    matches = answers["match_opportunity"].structuredContent["matches"]
    assert [m["person"]["id"] for m in matches] == [ada.pk]

    logged = Interaction.objects.get(network=network, summary="Talked about the analytical engine")
    assert list(logged.participants.all()) == [ada]
    assert answers["log_interaction"].structuredContent["interaction"]["id"] == logged.pk
    added = FollowUp.objects.get(network=network, title="Send the notes")
    assert str(added.due_on) == "2026-02-23" and list(added.people.all()) == [ada]
    seeded.follow_up.refresh_from_db()
    assert seeded.follow_up.done_at is not None
    assert answers["complete_follow_up"].structuredContent["done"]["done"] is True
    value = ValueExchange.objects.get(network=network, description="How to publish")
    assert value.giver == ada and value.kind == "advice" and value.thanked_at is None


def test_a_read_token_sees_only_the_read_tools_and_cannot_write(
    live_server, viewer, network, seeded
):
    secret = create_token(viewer, "reader", "read").secret

    async def work(session):
        listed = await session.list_tools()
        refused = await session.call_tool(
            "log_interaction",
            {"kind": "call", "people": ["Ada Lovelace"], "network": network.pk},
        )
        allowed = await session.call_tool(
            "brief", {"person": "Ada Lovelace", "network": network.pk}
        )
        return {tool.name for tool in listed.tools}, refused, allowed

    names, refused, allowed = over_http(_url(live_server), secret, work)

    assert names == READ_TOOLS
    assert refused.isError and refused.structuredContent is None
    assert "log_interaction" in refused.content[0].text
    assert not Interaction.objects.filter(network=network).exists()
    assert not allowed.isError and allowed.structuredContent["person"]["name"] == "Ada Lovelace"


def test_another_networks_token_gets_an_error_and_no_data(live_server, outsider, network, seeded):
    secret = create_token(outsider, "theirs", "write").secret

    async def work(session):
        return [
            await session.call_tool("find_people", {"query": "Ada", "network": network.pk}),
            await session.call_tool(
                "log_interaction",
                {"kind": "call", "people": [seeded.ada.pk], "network": network.pk},
            ),
            await session.call_tool("brief", {"person": seeded.ada.pk}),  # in their own network
        ]

    answers = over_http(_url(live_server), secret, work)

    for answer in answers:
        assert answer.isError and answer.structuredContent is None
        assert "Ada" not in answer.content[0].text
    assert answers[0].content[0].text == "No such network."
    assert not Interaction.objects.exists()


def test_a_token_limited_to_one_network_reaches_no_other(live_server, owner, network, seeded):
    other = factories.network_of(factories.make_user("second", full_name="Sam Second"))
    factories.make_member(other, "ignored")  # a network with members of its own
    from kithkin.models import Membership

    Membership.objects.create(user=owner, network=other, role="owner")
    secret = create_token(owner, "only this one", "write", network=network).secret

    async def work(session):
        listed = await session.call_tool("networks", {})
        elsewhere = await session.call_tool("today", {"network": other.pk})
        here = await session.call_tool("today", {})
        return listed, elsewhere, here

    listed, elsewhere, here = over_http(_url(live_server), secret, work)

    assert [n["id"] for n in listed.structuredContent["networks"]] == [network.pk]
    assert elsewhere.isError and elsewhere.content[0].text == "No such network."
    assert here.structuredContent["network"] == network.name


def test_without_a_valid_token_the_answer_is_401(live_server, owner):
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "curl", "version": "1"},
        },
    }
    headers = {"Accept": "application/json, text/event-stream"}
    for extra in ({}, {"Authorization": "Bearer kith_not-a-token"}, {"Authorization": "Basic x"}):
        response = httpx.post(_url(live_server), json=initialize, headers=headers | extra)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "result" not in response.json()


def test_the_endpoint_answers_json_rpc_errors_and_refuses_streams(client, owner, seeded):
    secret = create_token(owner, "assistant", "write").secret
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    assert client.get("/mcp/", **auth).status_code == 405
    too_new = client.post(
        "/mcp/",
        json.dumps({"jsonrpc": "2.0", "id": 6, "method": "ping"}),
        content_type="application/json",
        HTTP_MCP_PROTOCOL_VERSION="2099-01-01",
        **auth,
    )
    assert too_new.status_code == 400
    unknown = client.post(
        "/mcp/",
        json.dumps({"jsonrpc": "2.0", "id": 7, "method": "resources/list"}),
        content_type="application/json",
        **auth,
    )
    assert unknown.json()["error"]["code"] == -32601
    garbage = client.post("/mcp/", "{not json", content_type="application/json", **auth)
    assert garbage.status_code == 400 and garbage.json()["error"]["code"] == -32700
    notification = client.post(
        "/mcp/",
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        content_type="application/json",
        **auth,
    )
    assert notification.status_code == 202
    bad_arguments = client.post(
        "/mcp/",
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 8,
                "method": "tools/call",
                "params": {"name": "find_people", "arguments": {"limit": 5}},
            }
        ),
        content_type="application/json",
        **auth,
    )
    result = bad_arguments.json()["result"]
    assert result["isError"] is True
    assert result["content"][0]["text"] == "Invalid arguments: query: Field required"
