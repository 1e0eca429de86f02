"""``/mcp/``: the tools over MCP's Streamable HTTP, for an assistant with a personal access
token (``Authorization: Bearer``; a session cookie opens nothing, so no CSRF).

Stateless and JSON-only: every POST carries one JSON-RPC message and gets one JSON answer
(or 202 for a notification), no session id, no SSE stream (GET and DELETE are 405, which
the protocol allows). DNS rebinding is stopped where every request is: Django refuses a
Host outside ALLOWED_HOSTS. So it is an ordinary synchronous Django view: a gunicorn thread
answers it like any page, with its own database connection and no event loop. Messages
are parsed and answered with the SDK's protocol types. A read token lists only the tools
that read and is refused the others; the network of each call goes through access.py.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

if TYPE_CHECKING:
    from kithkin import access


def _bearer(request: HttpRequest) -> access.Actor | None:
    from kithkin.services import tokens

    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return tokens.authenticate(secret)


def _unauthorized() -> HttpResponse:
    response = JsonResponse(
        {"error": "unauthorized", "detail": "Send a personal access token: Bearer kith_…"},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="kithkin"'
    return response


def _error(message_id: Any, code: int, message: str, status: int = 200) -> JsonResponse:
    body = {"jsonrpc": "2.0", "id": message_id, "error": {"code": code, "message": message}}
    return JsonResponse(body, status=status)


@csrf_exempt
def endpoint(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    actor = _bearer(request)
    if actor is None or actor.token_id is None:
        return _unauthorized()
    from kithkin.services import tokens

    allowance = tokens.spend_request(actor.token_id, settings.API_RATE_LIMIT)
    if not allowance.allowed:
        return HttpResponse(status=429, headers={"Retry-After": str(allowance.reset_seconds)})
    from mcp.shared.version import SUPPORTED_PROTOCOL_VERSIONS
    from mcp.types import INVALID_REQUEST

    version = request.headers.get("Mcp-Protocol-Version")
    if version is not None and version not in SUPPORTED_PROTOCOL_VERSIONS:
        return _error(
            None, INVALID_REQUEST, f"Unsupported MCP-Protocol-Version: {version}", status=400
        )
    return _answer(actor, request.body)


def _answer(actor: access.Actor, body: bytes) -> HttpResponse:
    from pydantic import ValidationError

    from mcp import types

    try:
        message = types.JSONRPCMessage.model_validate_json(body).root
    except ValidationError:
        try:
            json.loads(body)
        except ValueError:
            return _error(None, types.PARSE_ERROR, "Parse error", status=400)
        return _error(None, types.INVALID_REQUEST, "Not one JSON-RPC message", status=400)
    if not isinstance(message, types.JSONRPCRequest):
        return HttpResponse(status=202)  # a notification or a response: nothing to answer
    try:
        result = _result(actor, message.method, message.params or {})
    except LookupError:
        return _error(message.id, types.METHOD_NOT_FOUND, f"Method not found: {message.method}")
    except ValidationError as exc:
        return _error(
            message.id, types.INVALID_PARAMS, f"Invalid params: {exc.error_count()} errors"
        )
    answer = types.JSONRPCResponse(jsonrpc="2.0", id=message.id, result=result)
    return JsonResponse(answer.model_dump(by_alias=True, mode="json", exclude_none=True))


def _result(actor: access.Actor, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """The result of one request; LookupError for a method this server does not have."""
    from mcp.shared.version import SUPPORTED_PROTOCOL_VERSIONS

    from kithkin.mcp.protocol import (
        INSTRUCTIONS,
        SERVER_NAME,
        SERVER_VERSION,
        as_result,
        listed_tools,
    )
    from kithkin.mcp.tools import call_tool
    from mcp import types

    result: types.Result
    if method == "initialize":
        asked = types.InitializeRequestParams.model_validate(params)
        version = asked.protocolVersion
        result = types.InitializeResult(
            protocolVersion=(
                version if version in SUPPORTED_PROTOCOL_VERSIONS else types.LATEST_PROTOCOL_VERSION
            ),
            capabilities=types.ServerCapabilities(tools=types.ToolsCapability(listChanged=False)),
            serverInfo=types.Implementation(name=SERVER_NAME, version=SERVER_VERSION),
            instructions=INSTRUCTIONS,
        )
    elif method == "ping":
        result = types.EmptyResult()
    elif method == "tools/list":
        result = types.ListToolsResult(tools=listed_tools(actor))
    elif method == "tools/call":
        asked_call = types.CallToolRequestParams.model_validate(params)
        result = as_result(call_tool(actor, asked_call.name, asked_call.arguments))
    else:
        raise LookupError(method)
    return result.model_dump(by_alias=True, mode="json", exclude_none=True)
