"""Web addresses and profiles get the keys kithkin.normalize.url gives them now (issue 11):
percent-escapes decoded, ``www.`` and ``http``/``https`` aside for websites. Without this,
a profile stored percent-encoded would not match the same profile imported again.

The normalisation is copied here as it was written for this migration (a migration never
imports live code). A person who ends up with the same key twice keeps one of them."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_to_bytes, urlsplit

from django.db import migrations

_PROFILE_HOSTS = {
    "linkedin.com": ("linkedin", "www.linkedin.com", "/in/"),
    "github.com": ("github", "github.com", "/"),
    "x.com": ("x", "x.com", "/"),
    "twitter.com": ("x", "x.com", "/"),
    "bsky.app": ("bluesky", "bsky.app", "/profile/"),
}
_HANDLE = re.compile(r"[^/?#]+")
_MASTODON = re.compile(r"^@?(?P<user>[\w.]+)@(?P<host>[\w.-]+\.[a-z]{2,})$", re.IGNORECASE)
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_RESERVED = "/?#%&=+ "


def _decoded(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        try:
            raw = unquote_to_bytes(match.group(0)).decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0).upper()
        return "".join(
            quote(char, safe="") if char in _RESERVED or not char.isprintable() else char
            for char in raw
        )

    return _ESCAPES.sub(decode, text)


def _url(value: str) -> tuple[str, str, str] | None:
    """(display, normalized, service) as kithkin.normalize.url gave them; None if invalid."""
    text = value.strip()
    mastodon = _MASTODON.match(text)
    if mastodon:
        canonical = f"https://{mastodon['host'].lower()}/@{mastodon['user'].lower()}"
        return canonical, canonical, "mastodon"
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not host or "." not in host or " " in text:
        return None
    bare_host = host.removeprefix("www.")
    path, query = _decoded(parts.path), _decoded(parts.query)
    if bare_host.endswith(".linkedin.com"):
        bare_host = "linkedin.com"
    known = _PROFILE_HOSTS.get(bare_host)
    if known:
        service, canonical_host, prefix = known
        if path.lower().startswith(prefix) and len(path) > len(prefix):
            handle = _HANDLE.match(path[len(prefix) :])
            name = handle.group(0).lower().removeprefix("@") if handle else ""
            if name and service in ("x", "github"):
                canonical = f"https://{canonical_host}{prefix}{name}"
                return canonical, canonical, service
            if handle:
                canonical = f"https://{canonical_host}{prefix}{handle.group(0).lower()}"
                return canonical, canonical, service
    if path.startswith("/@") and "/" not in path[2:].rstrip("/"):
        canonical = f"https://{host}{path.rstrip('/').lower()}"
        return canonical, canonical, "mastodon"
    scheme = parts.scheme.lower()
    normalized = f"{'https' if scheme == 'http' else scheme}://{bare_host}{path.rstrip('/')}"
    return text, normalized + (f"?{query}" if query else ""), "website"


def rekey(apps, schema_editor):
    ContactPoint = apps.get_model("kithkin", "ContactPoint")
    points = ContactPoint.objects.filter(kind__in=("url", "social")).order_by(
        "person_id", "kind", "-is_primary", "pk"
    )
    held: set[tuple[int, str, str]] = set()
    changed, duplicates = [], []  # duplicates: ids
    for point in points.iterator(chunk_size=2000):
        found = _url(point.value)
        key = (point.person_id, point.kind, point.normalized)
        if found is not None and found[1] != point.normalized:
            shown, normalized, service = found
            same_kind = (service == "website") == (point.kind == "url")
            if same_kind and len(normalized) <= 500 and len(shown) <= 500:
                key = (point.person_id, point.kind, normalized)
                if key not in held:
                    point.normalized = normalized
                    if point.kind == "social":  # a profile is shown as its canonical URL
                        point.value = shown
                    changed.append(point)
        if key in held:
            duplicates.append(point.pk)
        held.add(key)
    # Duplicates go first: a changed key may be the one a duplicate held before.
    ContactPoint.objects.filter(pk__in=duplicates).delete()
    ContactPoint.objects.bulk_update(changed, ["normalized", "value"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0013_index_people_sorts"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
