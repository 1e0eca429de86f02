"""The plain WebDAV resources a user keeps in their address-book home (docs/carddav.md).

``/dav/<user>/`` holds the user's address books (one per network, never rows here) and,
beside them, collections and files of the user's own: what WebDAV clients and litmus make
with MKCOL and PUT. One row per resource, found by its ``path`` inside the home ("notes",
"notes/todo.txt": no leading or trailing slash), its ``parent``'s path kept beside it so a
collection's members are one indexed lookup. A user's resources are theirs alone: nothing
reads them but requests signed in as ``owner``. ``stored_bytes`` (content and dead
properties) is what counts against the user's quota (``services.dav_files``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now
from kithkin.errors import InvalidInput

MAX_PATH = 1000  # characters; services.dav_files also bounds its UTF-8 bytes


class DavFile(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    path = models.CharField(max_length=MAX_PATH)
    parent = models.CharField(max_length=MAX_PATH, blank=True)  # "" at the home's top
    is_collection = models.BooleanField(default=False)
    content = models.BinaryField(blank=True, default=b"")
    content_type = models.CharField(max_length=255, blank=True)
    length = models.PositiveIntegerField(default=0)  # bytes of content
    etag = models.CharField(max_length=40)  # quoted, as served
    properties = models.JSONField(default=dict)  # "{namespace}name" -> the property's XML
    stored_bytes = models.PositiveIntegerField(default=0)  # content + properties
    created_at = models.DateTimeField(default=now)
    modified_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint("owner", "path", name="davfile_path_once"),
        ]
        indexes = [models.Index(fields=["owner", "parent"], name="davfile_parent")]

    def __str__(self) -> str:
        return f"{self.path} of {self.owner_id}"


MAX_PATH_BYTES = 1000  # UTF-8 bytes: fits a unique index on both engines


def clean_path(path: str) -> str:
    """``path`` (inside the home, slashes at either end ignored) as stored; InvalidInput
    for an empty segment, ``.`` or ``..``, a control character, or a path too long."""
    cleaned = path.strip("/")
    segments = cleaned.split("/")
    if not cleaned or any(segment in ("", ".", "..") for segment in segments):
        raise InvalidInput("path", "not a resource's name")
    if any(ord(char) < 32 or ord(char) == 127 for char in cleaned):
        raise InvalidInput("path", "a name holds no control characters")
    if len(cleaned.encode()) > MAX_PATH_BYTES:
        raise InvalidInput("path", f"at most {MAX_PATH_BYTES} bytes")
    return cleaned


def parent_of(path: str) -> str:
    """The path of the collection holding ``path`` ("" for the home's top)."""
    return path.rpartition("/")[0]
