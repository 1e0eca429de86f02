"""Message templates: the network's wording of each kind of draft (follow-up, thank-you,
congratulations, check-in, offer-help, opportunity), as Settings → Message templates edits
them (``services.message_templates``). A template is addressed by its kind; deleting one
goes back to the default that ships."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Status

from kithkin.api.auth import grant
from kithkin.api.responses import reading, writing
from kithkin.errors import NotFound
from kithkin.models import Network
from kithkin.schemas.messages import MessageTemplateChange, MessageTemplateEntryOut
from kithkin.services.message_templates import (
    TemplateEntry,
    reset_template,
    save_template,
    templates_of,
)

router = Router(tags=["message templates"])


def _entry(network: Network, kind: str) -> TemplateEntry:
    for entry in templates_of(network):
        if entry.kind == kind:
            return entry
    raise NotFound(f"No message template {kind!r}.")


@router.get(
    "/message-templates",
    response=reading(list[MessageTemplateEntryOut]),
    summary="Message templates",
)
def list_templates(request: HttpRequest, network_id: Path[int]) -> list[MessageTemplateEntryOut]:
    """Every kind of draft (a fixed, short list), with the network's wording or the default."""
    return [MessageTemplateEntryOut.of(entry) for entry in templates_of(grant(request).network)]


@router.get(
    "/message-templates/{kind}",
    response=reading(MessageTemplateEntryOut),
    summary="One message template",
)
def get_template(request: HttpRequest, network_id: Path[int], kind: str) -> MessageTemplateEntryOut:
    return MessageTemplateEntryOut.of(_entry(grant(request).network, kind))


@router.patch(
    "/message-templates/{kind}",
    response=writing(MessageTemplateEntryOut),
    summary="Change a message template",
)
def change_template(
    request: HttpRequest, network_id: Path[int], kind: str, change: MessageTemplateChange
) -> MessageTemplateEntryOut:
    """Save the network's wording; a subject or body left out stays as it is."""
    found = grant(request)
    current = _entry(found.network, kind).template
    save_template(
        found.network,
        found.actor.user,
        kind,
        current.subject if change.subject is None else change.subject,
        current.body if change.body is None else change.body,
    )
    return MessageTemplateEntryOut.of(_entry(found.network, kind))


@router.delete(
    "/message-templates/{kind}", response=writing(None, 204), summary="Back to the default"
)
def reset(request: HttpRequest, network_id: Path[int], kind: str) -> Status[None]:
    """Forget the network's wording: drafts use the default that ships again."""
    found = grant(request)
    _entry(found.network, kind)
    reset_template(found.network, found.actor.user, kind)
    return Status(204, None)
