"""Tags: found by the one rule of tag identity (``contact_rules.tag_key``: "Café" is
"cafe"), created when new. Every service that tags people, organizations, events or
opportunities, and the importers, go through here, so no second tag is made for a name the
network already has."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kithkin.models import Network, Tag
from kithkin.services.contact_rules import tag_key, tag_names


def tags_by_key(network: Network) -> dict[str, Tag]:
    """The network's tags by ``tag_key``; the oldest wins if an older rule let two in."""
    found: dict[str, Tag] = {}
    for tag in Tag.objects.filter(network=network).order_by("pk"):
        found.setdefault(tag_key(tag.name), tag)
    return found


def tag_named(network: Network, name: str) -> Tag | None:
    """The tag ``name`` names (case, accents and spacing aside), if the network has it."""
    return tags_by_key(network).get(tag_key(name))


def ensure_tags(network: Network, names: Iterable[str]) -> dict[str, Tag]:
    """Every tag of ``names`` (already cleaned by ``contact_rules.tag_name``), created in
    one statement where missing, by key. For bulk writes."""
    names = list(names)
    if not names:
        return {}
    found = tags_by_key(network)  # a network has hundreds of tags at most
    missing: dict[str, str] = {}
    for name in names:
        key = tag_key(name)
        if key not in found:
            missing.setdefault(key, name)
    if missing:
        Tag.objects.bulk_create([Tag(network=network, name=name) for name in missing.values()])
        found = tags_by_key(network)
    return found


def get_or_create_tags(
    network: Network, names: Sequence[str], field_name: str = "tag"
) -> list[Tag]:
    """The tags ``names`` name, in order and each once, created as needed; InvalidInput
    (naming ``field_name``) for an empty, invisible or too long name, before any write."""
    cleaned = tag_names(names, field_name)
    if not cleaned:
        return []
    found = ensure_tags(network, cleaned)
    return [found[tag_key(name)] for name in cleaned]
