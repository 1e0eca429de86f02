"""Message templates and the drafts filled from them (`kith draft`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Input, Instant, PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.models import FollowUp, MessageTemplate, Person
    from kithkin.services.drafts import Draft
    from kithkin.services.message_templates import TemplateEntry


class MessageTemplateOut(Shape):
    """A network's wording of one kind of draft (``kind``: follow-up, thank-you,
    congratulations, check-in, offer-help, opportunity)."""

    id: int
    kind: str
    subject: str
    body: str
    updated_at: Instant

    @classmethod
    def of(cls, template: MessageTemplate) -> Self:
        return cls(
            id=template.pk,
            kind=template.kind,
            subject=template.subject,
            body=template.body,
            updated_at=template.updated_at,
        )


class DraftOut(Shape):
    """A message ready to copy; ``follow_up`` is the follow-up it settles, or null."""

    person: PersonRef
    kind: str
    follow_up: int | None
    subject: str
    body: str

    @classmethod
    def of(cls, person: Person, draft: Draft, settles: FollowUp | None) -> Self:
        return cls(
            person=PersonRef.of(person),
            kind=draft.kind,
            follow_up=settles.pk if settles else None,
            subject=draft.subject,
            body=draft.body,
        )


class MessageTemplateEntryOut(Shape):
    """One kind of draft as the network words it: its own wording (``customised``) or the
    default that ships."""

    kind: str
    label: str
    subject: str
    body: str
    customised: bool

    @classmethod
    def of(cls, entry: TemplateEntry) -> Self:
        return cls(
            kind=entry.kind,
            label=str(entry.label),
            subject=entry.template.subject,
            body=entry.template.body,
            customised=entry.customised,
        )


class MessageTemplateChange(Input):
    """A new wording (``PATCH``): what is left out stays as it is. Placeholders in braces,
    ``{first_name}``; an unknown one is refused, naming it."""

    subject: str | None = None
    body: str | None = None
