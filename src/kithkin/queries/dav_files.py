"""Reads of a user's plain WebDAV resources in their address-book home (models/dav_files.py).

Every read is by owner: a path names a resource only among the signed-in user's own, so
another user's files are never found (the DAV views answer 404, as for anything missing).
Listings leave the content out (``defer``): a PROPFIND never loads the files' bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from kithkin.models import DavFile, User


def resource_at(owner: User, path: str) -> DavFile | None:
    """The resource at ``path`` with its content, None when there is none."""
    return DavFile.objects.filter(owner=owner, path=path).first()


def described(owner: User, path: str) -> DavFile | None:
    """The resource at ``path`` without its content (for its properties)."""
    return DavFile.objects.filter(owner=owner, path=path).defer("content").first()


def members(owner: User, path: str) -> list[DavFile]:
    """The resources directly inside the collection ``path`` ("" for the home's top)."""
    return list(DavFile.objects.filter(owner=owner, parent=path).defer("content").order_by("path"))


@dataclass(frozen=True)
class Usage:
    resources: int
    stored_bytes: int


def usage(owner: User) -> Usage:
    """How much of the quota the user's resources take."""
    totals = DavFile.objects.filter(owner=owner).aggregate(n=Count("id"), size=Sum("stored_bytes"))
    return Usage(resources=totals["n"] or 0, stored_bytes=totals["size"] or 0)
