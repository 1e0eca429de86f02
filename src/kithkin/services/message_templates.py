"""A network's own wording for each kind of draft: save it (validated), or go back to the
default that ships (``kithkin.services.drafts.DEFAULT_TEMPLATES``)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import MessageTemplate, Network, User
from kithkin.services import changes
from kithkin.services.drafts import DEFAULT_TEMPLATES, PLACEHOLDERS, Kind, Template

# Written like a placeholder: a name in braces. Anything else in braces is kept as typed.
_NAME_IN_BRACES = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# "Great to meet you{event_suffix}": " at PyCon", or nothing; the line stays either way.
SUBJECT_ONLY = {"event_suffix": '" at" and the event, or nothing (the line is kept)'}
SUBJECT_MAX = 200
BODY_MAX = 10_000


@dataclass(frozen=True)
class TemplateEntry:
    """One kind of draft as the network has it."""

    kind: str
    label: str
    template: Template
    customised: bool


def templates_of(network: Network) -> list[TemplateEntry]:
    """Every kind, in the order they are listed, with the network's wording or the default."""
    own = {row.kind: row for row in MessageTemplate.objects.filter(network=network)}
    return [
        TemplateEntry(
            kind=kind,
            label=label,
            template=Template(subject=own[kind].subject, body=own[kind].body)
            if kind in own
            else DEFAULT_TEMPLATES[kind],
            customised=kind in own,
        )
        for kind, label in Kind.choices
    ]


def unknown_placeholders(text: str, allowed: set[str]) -> list[str]:
    """The ``{names}`` in ``text`` that are not placeholders, each once, in order."""
    found: list[str] = []
    for name in _NAME_IN_BRACES.findall(text):
        if name not in allowed and name not in found:
            found.append(name)
    return found


def _check_placeholders(field: str, text: str, allowed: set[str]) -> None:
    unknown = unknown_placeholders(text, allowed)
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, sorted(allowed), n=1)
        hints.append(f"{{{name}}}" + (f" (did you mean {{{close[0]}}}?)" if close else ""))
    noun = "placeholder" if len(unknown) == 1 else "placeholders"
    raise InvalidInput(field, f"unknown {noun} {', '.join(hints)}")


def validate_template(kind: str, subject: str, body: str) -> Template:
    """The template as it will be stored, or InvalidInput naming the field and the problem."""
    if kind not in Kind.values:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(Kind.values)}")
    subject = subject.strip()
    body = body.replace("\r\n", "\n").strip()
    if not subject:
        raise InvalidInput("subject", "must not be empty")
    if "\n" in subject or "\r" in subject:
        raise InvalidInput("subject", "must be one line")
    if len(subject) > SUBJECT_MAX:
        raise InvalidInput("subject", f"is longer than {SUBJECT_MAX} characters")
    if not body:
        raise InvalidInput("body", "must not be empty")
    if len(body) > BODY_MAX:
        raise InvalidInput("body", f"is longer than {BODY_MAX} characters")
    _check_placeholders("subject", subject, set(PLACEHOLDERS) | set(SUBJECT_ONLY))
    _check_placeholders("body", body, set(PLACEHOLDERS) | set(SUBJECT_ONLY))
    return Template(subject=subject, body=body)


@transaction.atomic
def save_template(
    network: Network, actor: User, kind: str, subject: str, body: str
) -> MessageTemplate:
    """Use this wording for ``kind`` in this network from now on."""
    access.require_write(actor, network)
    template = validate_template(kind, subject, body)
    row, _ = MessageTemplate.objects.update_or_create(
        network=network,
        kind=kind,
        defaults={"subject": template.subject, "body": template.body, "updated_at": clock.now()},
    )
    changes.record(
        network, "message_template.saved", actor=actor, record_id=row.pk, data={"kind": kind}
    )
    return row


@transaction.atomic
def reset_template(network: Network, actor: User, kind: str) -> bool:
    """Go back to the default wording for ``kind``; False when it was the default already."""
    access.require_write(actor, network)
    if kind not in Kind.values:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(Kind.values)}")
    deleted, _ = MessageTemplate.objects.filter(network=network, kind=kind).delete()
    if deleted:
        changes.record(network, "message_template.reset", actor=actor, data={"kind": kind})
    return deleted > 0
