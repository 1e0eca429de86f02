"""Signing a test client in to CardDAV with an app password."""

from __future__ import annotations

import base64
from typing import Any

from django.test import Client

from kithkin.models import User
from kithkin.services.app_passwords import create_app_password


class DavClient:
    """A contacts program: every request carries the user's app password."""

    def __init__(self, user: User) -> None:
        self.user = user
        secret = create_app_password(user, "test").secret
        token = base64.b64encode(f"{user.username}:{secret}".encode()).decode()
        self.auth = f"Basic {token}"
        self.client = Client()

    def request(self, method: str, path: str, body: str | bytes = b"", **headers: Any) -> Any:
        content_type = headers.pop("content_type", "application/xml")
        extra = {k if k.startswith("HTTP_") else f"HTTP_{k.upper()}": v for k, v in headers.items()}
        return self.client.generic(
            method,
            path,
            data=body.encode() if isinstance(body, str) else body,
            content_type=content_type,
            HTTP_AUTHORIZATION=self.auth,
            **extra,
        )

    def book(self, network_id: int) -> str:
        return f"/dav/{self.user.pk}/{network_id}/"


PROPFIND_ETAGS = """<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>"""

SYNC = """<?xml version="1.0"?>
<d:sync-collection xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>
<d:prop><d:getetag/><card:address-data/></d:prop></d:sync-collection>"""


def card(uid: str, name: str, *lines: str, version: str = "3.0") -> str:
    body = "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", f"UID:{uid}", f"FN:{name}", *lines])
    return body + "\r\nEND:VCARD\r\n"
