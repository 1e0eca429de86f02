"""Plain WebDAV in the address-book home (RFC 4918 class 1; docs/carddav.md).

``/dav/<user>/<path>`` for a path whose first name is not an address book's: collections
and files of the user's own (``services.dav_files`` writes them, ``queries.dav_files``
reads them), with MKCOL, PUT, GET/HEAD, DELETE, COPY, MOVE, PROPFIND (Depth 0 and 1;
infinity is refused as ``DAV:propfind-finite-depth``) and PROPPATCH (dead properties).
No locks: the server is class 1 (and 3), so litmus skips its locks suite. The caller
(``views.home_file``) has signed the user in and checked the home is theirs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from http import HTTPStatus
from urllib.parse import quote, unquote, urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from kithkin.dav import xml
from kithkin.dav.xml import DAV, name
from kithkin.errors import NotFound
from kithkin.models import DavFile, User
from kithkin.models.dav_files import clean_path
from kithkin.queries import dav_files as reads
from kithkin.services import dav_files as writes

XML = 'application/xml; charset="utf-8"'

STATUS_OF: dict[type[writes.FileError], int] = {
    writes.MissingParent: 409,
    writes.AlreadyThere: 405,
    writes.IsCollection: 405,
    writes.PreconditionFailed: 412,
    writes.TooLarge: 413,
    writes.OverQuota: 507,
    writes.Refused: 403,
}


def status(code: int, text: str = "", **headers: str) -> HttpResponse:
    """A plain-text answer with ``headers`` (``Retry_After`` is sent as Retry-After)."""
    response = HttpResponse(text.encode(), status=code, content_type="text/plain; charset=utf-8")
    for header, value in headers.items():
        response[header.replace("_", "-")] = value
    return response


def href(user: User, row: DavFile) -> str:
    """The resource's address, percent-encoded; a collection's ends with a slash."""
    return f"/dav/{user.pk}/{quote(row.path)}{'/' if row.is_collection else ''}"


def _values(row: DavFile) -> dict[str, xml.Value]:
    values: dict[str, xml.Value] = {
        name(DAV, "resourcetype"): [ET.Element(name(DAV, "collection"))]
        if row.is_collection
        else [],
        name(DAV, "getetag"): row.etag,
        name(DAV, "getlastmodified"): http_date(row.modified_at.timestamp()),
        name(DAV, "creationdate"): row.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if not row.is_collection:
        values[name(DAV, "getcontentlength")] = str(row.length)
        values[name(DAV, "getcontenttype")] = row.content_type
    for tag, text in row.properties.items():
        values[tag] = xml.Whole(ET.fromstring(text))
    return values


def responses(user: User, rows: list[DavFile], asked: xml.PropRequest) -> list[xml.Response]:
    return [xml.answer(href(user, row), _values(row), asked) for row in rows]


def home_members(user: User, asked: xml.PropRequest) -> list[xml.Response]:
    """The plain resources at the top of the home, for the home's Depth 1 PROPFIND."""
    return responses(user, reads.members(user, ""), asked)


def _preconditions(request: HttpRequest) -> writes.Preconditions:
    return writes.Preconditions(
        if_match=request.META.get("HTTP_IF_MATCH"),
        if_none_match=request.META.get("HTTP_IF_NONE_MATCH"),
    )


def answer(request: HttpRequest, user: User, path: str) -> HttpResponse:
    """The method's answer for the resource at ``path`` inside the user's home."""
    method = request.method or "GET"
    handler = METHODS.get(method)
    if handler is None:
        return status(405, "Not allowed here.\n", Allow=", ".join(["OPTIONS", *METHODS]))
    try:
        return handler(request, user, clean_path(path))
    except writes.FileError as exc:
        return status(STATUS_OF[type(exc)], f"{exc}\n")


def _get(request: HttpRequest, user: User, path: str) -> HttpResponse:
    row = reads.resource_at(user, path)
    if row is None:
        raise NotFound("Nothing at this address.")
    pre = _preconditions(request)
    if pre.if_none_match and writes.etag_listed(pre.if_none_match, row.etag):
        return status(304, ETag=row.etag)
    writes.check_preconditions(writes.Preconditions(if_match=pre.if_match), row.etag)
    if row.is_collection:
        names = "".join(
            f"{member.path.rpartition('/')[2]}\n" for member in reads.members(user, path)
        )
        body, content_type = names.encode(), "text/plain; charset=utf-8"
    else:
        body, content_type = bytes(row.content), row.content_type
    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=content_type)
    response["Content-Length"] = str(len(body))
    response["ETag"] = row.etag
    response["Last-Modified"] = http_date(row.modified_at.timestamp())
    # a user's file, on the web app's origin: never run as a page, never sniffed as one
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _put(request: HttpRequest, user: User, path: str) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return status(400, "Content-Length is not a number.\n")
    if length > writes.MAX_FILE_BYTES:  # refused before reading it
        return status(413, f"A file is at most {writes.MAX_FILE_BYTES:,} bytes.\n")
    content = request.read(writes.MAX_FILE_BYTES + 1)
    put = writes.put_file(
        user, path, content, request.META.get("CONTENT_TYPE", ""), _preconditions(request)
    )
    location = f"/dav/{user.pk}/{quote(path)}"
    if put.created:
        return status(201, ETag=put.etag, Location=location)
    return status(204, ETag=put.etag)


def _mkcol(request: HttpRequest, user: User, path: str) -> HttpResponse:
    body = request.body
    if body.strip():
        try:
            root = xml.parse(body)
        except xml.BadRequest:
            root = None
        if root is not None and root.tag == name(DAV, "mkcol"):
            return status(403, "Only plain collections are made here (no extended MKCOL).\n")
        return status(415, "MKCOL takes no body.\n")
    writes.make_collection(user, path)
    return status(201, Location=f"/dav/{user.pk}/{quote(path)}/")


def _delete(request: HttpRequest, user: User, path: str) -> HttpResponse:
    if request.META.get("HTTP_DEPTH", "infinity").strip().lower() != "infinity":
        return status(400, "DELETE takes Depth: infinity.\n")
    writes.delete(user, path, _preconditions(request))
    return status(204)


def _destination(request: HttpRequest, user: User) -> str | HttpResponse:
    """The Destination header as a path inside the user's home, or the refusal."""
    given = request.META.get("HTTP_DESTINATION", "").strip()
    if not given:
        return status(400, "COPY and MOVE need a Destination.\n")
    parts = urlsplit(given)
    if parts.netloc and parts.netloc.lower() != request.get_host().lower():
        return status(502, "The Destination is on another server.\n")
    home = f"/dav/{user.pk}/"
    full = unquote(parts.path)
    if not full.startswith(home) or not full[len(home) :].strip("/"):
        return status(403, "Copies and moves stay inside your own home.\n")
    return full[len(home) :]


def _overwrite(request: HttpRequest) -> bool:
    return request.META.get("HTTP_OVERWRITE", "T").strip().upper() != "F"


def _copy(request: HttpRequest, user: User, path: str) -> HttpResponse:
    destination = _destination(request, user)
    if isinstance(destination, HttpResponse):
        return destination
    depth = request.META.get("HTTP_DEPTH", "infinity").strip().lower()
    if depth not in ("0", "infinity"):
        return status(400, "COPY takes Depth: 0 or infinity.\n")
    created = writes.copy(
        user,
        path,
        destination,
        members=depth == "infinity",
        overwrite=_overwrite(request),
        pre=_preconditions(request),
    )
    return status(201 if created else 204)


def _move(request: HttpRequest, user: User, path: str) -> HttpResponse:
    destination = _destination(request, user)
    if isinstance(destination, HttpResponse):
        return destination
    if request.META.get("HTTP_DEPTH", "infinity").strip().lower() != "infinity":
        return status(400, "MOVE takes Depth: infinity.\n")
    created = writes.move(
        user, path, destination, overwrite=_overwrite(request), pre=_preconditions(request)
    )
    return status(201 if created else 204)


def _propfind(request: HttpRequest, user: User, path: str) -> HttpResponse:
    asked = xml.prop_request(xml.parse(request.body))
    row = reads.described(user, path)
    if row is None:
        raise NotFound("Nothing at this address.")
    depth = request.META.get("HTTP_DEPTH", "infinity").strip().lower()
    if row.is_collection and depth not in ("0", "1"):
        error = xml.error(name(DAV, "propfind-finite-depth"))
        return HttpResponse(error, status=403, content_type=XML)
    rows = [row]
    if row.is_collection and depth == "1":
        rows += reads.members(user, path)
    return HttpResponse(xml.multistatus(responses(user, rows, asked)), status=207, content_type=XML)


def _property_changes(root: ET.Element | None) -> list[writes.PropertyChange]:
    if root is None or root.tag != name(DAV, "propertyupdate"):
        raise xml.BadRequest("a PROPPATCH needs a <propertyupdate>")
    changes = []
    for instruction in root:
        setting = instruction.tag == name(DAV, "set")
        if not setting and instruction.tag != name(DAV, "remove"):
            continue
        for holder in instruction.findall(name(DAV, "prop")):
            for prop in holder:
                text = xml.fragment(prop) if setting else None
                changes.append(writes.PropertyChange(tag=prop.tag, xml=text))
    if not changes:
        raise xml.BadRequest("a PROPPATCH changes at least one property")
    return changes


def _proppatch(request: HttpRequest, user: User, path: str) -> HttpResponse:
    changes = _property_changes(xml.parse(request.body))
    statuses = writes.patch_properties(user, path, changes)
    by_status: dict[int, list[str]] = {}
    for tag, code in statuses.items():
        by_status.setdefault(code, []).append(tag)
    root = ET.Element(name(DAV, "multistatus"))
    entry = ET.SubElement(root, name(DAV, "response"))
    row = reads.described(user, path)
    entry.append(xml.href(href(user, row) if row else f"/dav/{user.pk}/{quote(path)}"))
    for code, tags in by_status.items():
        propstat = ET.SubElement(entry, name(DAV, "propstat"))
        ET.SubElement(propstat, name(DAV, "prop")).extend(ET.Element(tag) for tag in tags)
        phrase = HTTPStatus(code).phrase
        ET.SubElement(propstat, name(DAV, "status")).text = f"HTTP/1.1 {code} {phrase}"
    body = xml.document(root)
    return HttpResponse(body, status=207, content_type=XML)


METHODS = {
    "GET": _get,
    "HEAD": _get,
    "PUT": _put,
    "DELETE": _delete,
    "MKCOL": _mkcol,
    "COPY": _copy,
    "MOVE": _move,
    "PROPFIND": _propfind,
    "PROPPATCH": _proppatch,
}
