"""A person's contact points, one at a time: add one, remove one, keep one primary per kind.

Values are normalised as add_person does (kithkin.normalize): lower-cased emails, E.164
phones, canonical profile URLs; a URL on a known site becomes a social profile.
"""

from __future__ import annotations

from django.db import transaction

from kithkin import access, normalize
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import ContactPoint, Network, Person, User
from kithkin.services import changes

# What a user adds by hand; social profiles come in as URLs.
KINDS = (ContactPoint.Kind.EMAIL, ContactPoint.Kind.PHONE, ContactPoint.Kind.URL)


def normalize_contact_point(network: Network, kind: str, raw: str) -> tuple[str, str, str, str]:
    """(stored kind, value shown, matching key, service) for ``raw`` typed as an email, a
    phone or a URL; a profile URL on a known site becomes a social profile.
    InvalidInput names ``kind`` as the field."""
    if kind == ContactPoint.Kind.EMAIL:
        return (ContactPoint.Kind.EMAIL, *normalize.email(raw, "email"), "")
    if kind == ContactPoint.Kind.PHONE:
        return (ContactPoint.Kind.PHONE, *normalize.phone(raw, network.phone_region, "phone"), "")
    if kind == ContactPoint.Kind.URL:
        shown, key, service = normalize.url(raw, "url")
        stored = ContactPoint.Kind.URL if service == "website" else ContactPoint.Kind.SOCIAL
        return stored, shown, key, service
    raise InvalidInput("kind", f"{kind!r} is not one of: email, phone, url")


@transaction.atomic
def add_contact_point(
    network: Network, actor: User, person: Person, *, kind: str, value: str, label: str = ""
) -> ContactPoint:
    """Add an email, phone or URL; the first of its kind becomes the primary one."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if kind not in KINDS:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(KINDS)}")
    stored_kind, shown, key, service = normalize_contact_point(network, kind, value)
    limit = ContactPoint._meta.get_field("value").max_length or 500
    if max(len(shown), len(key)) > limit:
        raise InvalidInput(kind, f"is longer than {limit} characters")
    label = label.strip()
    if len(label) > 40:
        raise InvalidInput("label", "is longer than 40 characters")
    same_kind = ContactPoint.objects.filter(person=person, kind=stored_kind)
    if same_kind.filter(normalized=key).exists():
        raise InvalidInput(kind, f"{person.full_name} already has {shown}")
    point = ContactPoint.objects.create(
        person=person,
        kind=stored_kind,
        service=service,
        label=label,
        value=shown,
        normalized=key,
        is_primary=not same_kind.exists(),
    )
    _record(network, actor, person.pk, point.pk)
    return point


def _record(network: Network, actor: User, person_id: int, point_id: int) -> None:
    """A contact point changed: a change of its person (``contact_points`` among its fields)."""
    changes.record(
        network,
        "person.updated",
        actor=actor,
        record_id=person_id,
        person_ids=[person_id],
        data={"fields": ["contact_points"], "contact_point_id": point_id},
    )


@transaction.atomic
def remove_contact_point(network: Network, actor: User, point: ContactPoint) -> None:
    """Remove one; if it was the primary, the oldest other of the same kind takes over."""
    access.require_write(actor, network)
    current = ContactPoint.objects.select_for_update().filter(pk=point.pk).first()
    if current is None:
        raise NotFound(f"No contact point #{point.pk} in {network.name}.")
    access.require_in_network(network, current.person)
    removed = current.pk
    current.delete()
    if current.is_primary:
        successor = (
            ContactPoint.objects.filter(person_id=current.person_id, kind=current.kind)
            .order_by("id")
            .first()
        )
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])
    _record(network, actor, current.person_id, removed)


@transaction.atomic
def remove_contact_value(
    network: Network, actor: User, person: Person, *, kind: str, value: str
) -> ContactPoint:
    """Remove the person's email, phone or URL that ``value`` is, however it is typed
    ('ADA@example.org', '+33 6 12 34 56 78'); InvalidInput if they have no such one."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if kind == ContactPoint.Kind.PHONE:  # an unverified phone is removed as it is written
        stored_kind, (shown, key) = kind, normalize.phone_or_unverified(value, network.phone_region)
    else:
        stored_kind, shown, key, _ = normalize_contact_point(network, kind, value)
    kinds = (
        [stored_kind, ContactPoint.Kind.SOCIAL] if kind == ContactPoint.Kind.URL else [stored_kind]
    )
    point = ContactPoint.objects.filter(person=person, kind__in=kinds, normalized=key).first()
    if point is None:
        raise InvalidInput(kind, f"{person.full_name} has no {kind} {shown}")
    remove_contact_point(network, actor, point)
    return point
