"""WebDAV's XML: reading PROPFIND and REPORT bodies, writing multistatus answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
# Prefixes of our own, used by ``document``/``fragment`` alone: ElementTree's map is the
# whole process's, and a library in it may change it (Radicale maps DAV: to the default
# namespace, which put a client's no-namespace property into DAV: in our answers).
XML_NS = "http://www.w3.org/XML/1998/namespace"  # xml:lang and the like: bound already
PREFIXES = {DAV: "d", CARDDAV: "card", CS: "cs", XML_NS: "xml"}

MAX_BODY = 2_000_000


def name(namespace: str, local: str) -> str:
    return f"{{{namespace}}}{local}"


class BadRequest(ValueError):
    pass


def document(root: ET.Element) -> bytes:
    """``root`` as a UTF-8 XML document, its namespaces declared on it with our prefixes."""
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + fragment(root).encode()


def fragment(root: ET.Element) -> str:
    """``root`` as XML text whatever ElementTree's process-wide prefixes are: namespaced
    names get a prefix (ours, else ns0, ns1…) declared on ``root``; a name without a
    namespace is written bare, and no default namespace is ever declared, so it stays
    in none."""
    uris: dict[str, str] = {}
    for node in root.iter():
        for qualified in (node.tag, *node.attrib):
            if isinstance(qualified, str) and qualified.startswith("{"):
                uri = qualified[1:].partition("}")[0]
                if uri and uri not in uris:
                    uris[uri] = PREFIXES.get(uri) or f"ns{len(uris)}"
    declared = "".join(
        f" xmlns:{prefix}={quoteattr(uri)}" for uri, prefix in uris.items() if uri != XML_NS
    )
    parts: list[str] = []
    _write(root, uris, parts, declared)
    return "".join(parts)


def _qualified(qualified: str, uris: dict[str, str]) -> str:
    if not qualified.startswith("{"):
        return qualified
    uri, _, local = qualified[1:].partition("}")
    return f"{uris[uri]}:{local}" if uri else local


def _write(node: ET.Element, uris: dict[str, str], parts: list[str], declared: str = "") -> None:
    if not isinstance(node.tag, str):  # a comment or a processing instruction: left out
        return
    tag = _qualified(node.tag, uris)
    attributes = "".join(
        f" {_qualified(key, uris)}={quoteattr(value)}" for key, value in node.attrib.items()
    )
    parts.append(f"<{tag}{declared}{attributes}")
    if node.text is None and len(node) == 0:
        parts.append(" />")
    else:
        parts.append(">" + escape(node.text or ""))
        for child in node:
            _write(child, uris, parts)
            parts.append(escape(child.tail or ""))
        parts.append(f"</{tag}>")


def parse(body: bytes) -> ET.Element | None:
    """The request's XML root, None for an empty body; BadRequest when it is not XML."""
    if not body.strip():
        return None
    if len(body) > MAX_BODY or b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        raise BadRequest("refused XML body")
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise BadRequest(f"not XML: {exc}") from exc


@dataclass
class PropRequest:
    """What a PROPFIND or REPORT asks for: named properties, or all of them, or names."""

    names: list[str] = field(default_factory=list)
    all: bool = False
    names_only: bool = False
    address_data: ET.Element | None = None  # the <address-data> element asked for


def prop_request(root: ET.Element | None) -> PropRequest:
    if root is None:
        return PropRequest(all=True)
    if root.find(name(DAV, "allprop")) is not None:
        return PropRequest(all=True)
    if root.find(name(DAV, "propname")) is not None:
        return PropRequest(names_only=True)
    prop = root.find(name(DAV, "prop"))
    if prop is None:
        return PropRequest(all=True)
    asked = PropRequest(names=[child.tag for child in prop])
    asked.address_data = prop.find(name(CARDDAV, "address-data"))
    return asked


@dataclass(frozen=True)
class Whole:
    """A property given whole: its own element, as a client set it (a dead property:
    its attributes, text, children and their namespaces kept)."""

    element: ET.Element


Value = str | ET.Element | list[ET.Element] | Whole | None


def element(tag: str, text: str | None = None, children: Iterable[ET.Element] = ()) -> ET.Element:
    node = ET.Element(tag)
    if text is not None:
        node.text = text
    node.extend(children)
    return node


def href(path: str) -> ET.Element:
    return element(name(DAV, "href"), path)


@dataclass
class Response:
    """One <response>: an address and its properties found (tag -> value) and not found,
    or only a status (a card gone, in a sync report)."""

    path: str
    found: dict[str, Value] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    status: str | None = None


def _propstat(props: dict[str, Value] | list[str], status: str) -> ET.Element:
    prop = ET.Element(name(DAV, "prop"))
    items = props.items() if isinstance(props, dict) else ((tag, None) for tag in props)
    for tag, value in items:
        if isinstance(value, Whole):
            prop.append(value.element)
            continue
        node = ET.SubElement(prop, tag)
        if isinstance(value, str):
            node.text = value
        elif isinstance(value, ET.Element):
            node.append(value)
        elif isinstance(value, list):
            node.extend(value)
    return element(name(DAV, "propstat"), children=[prop, element(name(DAV, "status"), status)])


def multistatus(responses: Iterable[Response], sync_token: str | None = None) -> bytes:
    root = ET.Element(name(DAV, "multistatus"))
    for found in responses:
        node = ET.SubElement(root, name(DAV, "response"))
        node.append(href(found.path))
        if found.status is not None:
            node.append(element(name(DAV, "status"), found.status))
            continue
        if found.found or not found.missing:
            node.append(_propstat(found.found, "HTTP/1.1 200 OK"))
        if found.missing:
            node.append(_propstat(found.missing, "HTTP/1.1 404 Not Found"))
    if sync_token is not None:
        root.append(element(name(DAV, "sync-token"), sync_token))
    return document(root)


def answer(path: str, values: dict[str, Value], asked: PropRequest) -> Response:
    """A PROPFIND's <response> for one resource: the properties asked for, found or not."""
    if asked.all or asked.names_only:
        found = {tag: (None if asked.names_only else v) for tag, v in values.items()}
        return Response(path, found=found)
    response = Response(path)
    for tag in asked.names:
        if tag in values:
            response.found[tag] = values[tag]
        else:
            response.missing.append(tag)
    return response


def error(condition: str) -> bytes:
    root = element(name(DAV, "error"), children=[ET.Element(condition)])
    return document(root)
