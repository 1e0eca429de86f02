"""The CardDAV protocol over Kithkin's reads and writes (RFC 4918, 6352, 6578, 6764).

Addresses: ``/dav/`` (the root), ``/dav/<user>/`` (the user's principal and address-book
home), ``/dav/<user>/<network>/`` (one address book per network the user belongs to) and
``/dav/<user>/<network>/<name>.vcf`` (a card); anything else under the home is the user's
own plain collections and files (``files.py``). Every request signs in with HTTP Basic and
an app password (``services.app_passwords``, throttled like signing in); another user's
principal, and a network the user does not belong to, answer 404 as if they did not exist
(``access.grant_for``). Viewers read; writing needs an editor's role (403).
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from kithkin import access
from kithkin.address_books import cards
from kithkin.address_books import writes as card_writes
from kithkin.dav import files, query, xml
from kithkin.dav.xml import CARDDAV, CS, DAV, name
from kithkin.errors import Forbidden, InvalidInput, NotFound, Throttled, WrongPassword
from kithkin.models import Network, User
from kithkin.services.app_passwords import sign_in_with_app_password
from kithkin.services.throttle import client_address

ROOT = "/dav/"
ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, REPORT"
VCARD = "text/vcard; charset=utf-8"
XML = 'application/xml; charset="utf-8"'


_status = files.status  # one plain-text answer for cards and files


def _unauthorized() -> HttpResponse:
    response = _status(401, "Sign in with your username and an app password.\n")
    response["WWW-Authenticate"] = 'Basic realm="Kithkin CardDAV", charset="UTF-8"'
    # Every contacts program asks once without credentials: not worth a warning each time.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _multistatus(body: bytes) -> HttpResponse:
    return HttpResponse(body, status=207, content_type=XML)


def _user(request: HttpRequest) -> User | HttpResponse:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return _unauthorized()
    try:
        username, _, secret = base64.b64decode(encoded.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return _unauthorized()
    ip = client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.TRUSTED_PROXIES,
    )
    try:
        return sign_in_with_app_password(username, secret, ip)
    except Throttled as exc:
        return _status(429, f"{exc}\n", Retry_After="300")
    except WrongPassword:
        return _unauthorized()


Handler = Callable[..., HttpResponse]


def _dav(view: Handler) -> Callable[..., HttpResponse]:
    """Sign in, then answer; a service's refusal becomes its status."""

    @csrf_exempt
    def wrapped(request: HttpRequest, **kwargs: str) -> HttpResponse:
        if request.method == "OPTIONS":
            return _options()
        user = _user(request)
        if isinstance(user, HttpResponse):
            return user
        try:
            return view(request, user, **kwargs)
        except NotFound:
            return _status(404, "Not found.\n")
        except Forbidden as exc:
            return _status(403, f"{exc}\n")
        except (InvalidInput, xml.BadRequest) as exc:
            return _status(400, f"{exc}\n")
        except card_writes.PreconditionFailed as exc:
            return _status(412, f"{exc}\n")

    wrapped.__name__ = view.__name__
    return wrapped


def _options() -> HttpResponse:
    response = _status(200)
    response["DAV"] = "1, 3, addressbook, extended-mkcol"
    response["Allow"] = ALLOW
    return response


@csrf_exempt
def well_known(request: HttpRequest) -> HttpResponse:
    """RFC 6764: /.well-known/carddav points at the root, whatever the method."""
    return _status(301, "", Location=ROOT)


# Paths and properties ---------------------------------------------------------------------


def _home(user: User) -> str:
    return f"{ROOT}{user.pk}/"


def _book(user: User, network: Network) -> str:
    return f"{ROOT}{user.pk}/{network.pk}/"


def _depth(request: HttpRequest) -> int:
    return 0 if request.META.get("HTTP_DEPTH", "infinity").strip() == "0" else 1


def _collection(*kinds: str) -> list[ET.Element]:
    """A <resourcetype>'s children: a collection, of these kinds."""
    return [ET.Element(name(DAV, "collection")), *(ET.Element(kind) for kind in kinds)]


def _privileges(write: bool) -> list[ET.Element]:
    granted = ["read", "read-current-user-privilege-set"]
    if write:
        granted += ["write", "write-content", "bind", "unbind"]
    return [
        xml.element(name(DAV, "privilege"), children=[ET.Element(name(DAV, p))]) for p in granted
    ]


def _principal_values(user: User) -> dict[str, xml.Value]:
    home = _home(user)
    return {
        name(DAV, "current-user-principal"): xml.href(home),
        name(DAV, "principal-URL"): xml.href(home),
        name(DAV, "owner"): xml.href(home),
        name(CARDDAV, "addressbook-home-set"): xml.href(home),
        name(DAV, "principal-collection-set"): xml.href(ROOT),
        name(DAV, "displayname"): user.get_full_name() or user.username,
        name(DAV, "current-user-privilege-set"): _privileges(False),
    }


def _root_values(user: User) -> dict[str, xml.Value]:
    return {
        name(DAV, "resourcetype"): _collection(),
        name(DAV, "current-user-principal"): xml.href(_home(user)),
        name(DAV, "principal-collection-set"): xml.href(ROOT),
        name(CARDDAV, "addressbook-home-set"): xml.href(_home(user)),
    }


def _home_values(user: User) -> dict[str, xml.Value]:
    return {
        name(DAV, "resourcetype"): _collection(name(DAV, "principal")),
        **_principal_values(user),
    }


def _supported_reports() -> list[ET.Element]:
    reports = [
        name(CARDDAV, "addressbook-multiget"),
        name(CARDDAV, "addressbook-query"),
        name(DAV, "sync-collection"),
    ]
    return [
        xml.element(
            name(DAV, "supported-report"),
            children=[xml.element(name(DAV, "report"), children=[ET.Element(r)])],
        )
        for r in reports
    ]


def _address_data_types() -> list[ET.Element]:
    types = []
    for version in ("3.0", "4.0"):
        node = ET.Element(name(CARDDAV, "address-data-type"))
        node.set("content-type", "text/vcard")
        node.set("version", version)
        types.append(node)
    return types


def _book_values(grant: access.Grant, position: cards.Position) -> dict[str, xml.Value]:
    user = grant.actor.user
    token = position.token
    return {
        name(DAV, "resourcetype"): _collection(name(CARDDAV, "addressbook")),
        name(DAV, "displayname"): grant.network.name,
        name(CARDDAV, "addressbook-description"): f"Kithkin: {grant.network.name}",
        name(CARDDAV, "supported-address-data"): _address_data_types(),
        name(CARDDAV, "max-resource-size"): str(card_writes.MAX_CARD_BYTES),
        name(DAV, "supported-report-set"): _supported_reports(),
        name(DAV, "sync-token"): token,
        name(CS, "getctag"): token,
        name(DAV, "getetag"): f'"{token.rsplit("/", 1)[-1]}"',
        name(DAV, "owner"): xml.href(_home(user)),
        name(DAV, "current-user-principal"): xml.href(_home(user)),
        name(DAV, "current-user-privilege-set"): _privileges(grant.can_write),
    }


def _version(asked: ET.Element | None, accept: str = "") -> str:
    """The vCard version asked for: <address-data version=…> or Accept's version=…."""
    if asked is not None and asked.get("version") in cards.VERSIONS:
        return str(asked.get("version"))
    for part in accept.split(","):
        if "vcard" in part and "version=4.0" in part.replace(" ", "").replace('"', ""):
            return "4.0"
    return cards.DEFAULT_VERSION


def _card_values(card: cards.Resource, asked: xml.PropRequest) -> dict[str, xml.Value]:
    values: dict[str, xml.Value] = {
        name(DAV, "getetag"): card.etag,
        name(DAV, "getcontenttype"): "text/vcard; charset=utf-8",
        name(DAV, "resourcetype"): [],
    }
    wanted = asked.all or name(CARDDAV, "address-data") in asked.names
    if wanted and not asked.names_only:
        values[name(CARDDAV, "address-data")] = card.text(_version(asked.address_data))
    return values


def _every_card(network: Network, path: str, asked: xml.PropRequest) -> list[xml.Response]:
    """A response for every card: from the stored ETags (``cards.listing``) unless the
    cards' text is asked for."""
    if asked.all or name(CARDDAV, "address-data") in asked.names:
        return [
            xml.answer(path + card.href, _card_values(card, asked), asked)
            for card in cards.resources(network)
        ]
    return [
        xml.answer(
            path + listed.href,
            {
                name(DAV, "getetag"): listed.etag,
                name(DAV, "getcontenttype"): "text/vcard; charset=utf-8",
                name(DAV, "resourcetype"): [],
            },
            asked,
        )
        for listed in cards.listing(network)
    ]


# Views ------------------------------------------------------------------------------------


def _not_allowed() -> HttpResponse:
    return _status(405, "Not allowed here.\n", Allow=ALLOW)


@_dav
def root(request: HttpRequest, user: User) -> HttpResponse:
    if request.method != "PROPFIND":
        return (
            _status(200, "Kithkin CardDAV\n")
            if request.method in ("GET", "HEAD")
            else _not_allowed()
        )
    asked = xml.prop_request(xml.parse(request.body))
    responses = [xml.answer(ROOT, _root_values(user), asked)]
    if _depth(request):
        responses.append(xml.answer(_home(user), _home_values(user), asked))
    return _multistatus(xml.multistatus(responses))


def _own(user: User, user_id: str) -> None:
    if str(user.pk) != user_id:
        raise NotFound("No such principal.")


@_dav
def home(request: HttpRequest, user: User, user_id: str) -> HttpResponse:
    _own(user, user_id)
    if request.method != "PROPFIND":
        return _not_allowed() if request.method not in ("GET", "HEAD") else _status(200)
    asked = xml.prop_request(xml.parse(request.body))
    responses = [xml.answer(_home(user), _home_values(user), asked)]
    if _depth(request):
        for grant in access.grants_of(user):
            values = _book_values(grant, cards.current_position(grant.network))
            responses.append(xml.answer(_book(user, grant.network), values, asked))
        responses += files.home_members(user, asked)
    return _multistatus(xml.multistatus(responses))


@_dav
def home_file(request: HttpRequest, user: User, user_id: str, path: str) -> HttpResponse:
    """A plain collection or file of the user's own, beside the address books (``files``)."""
    _own(user, user_id)
    return files.answer(request, user, path)


def _grant(user: User, user_id: str, network_id: str, *, write: bool = False) -> access.Grant:
    _own(user, user_id)
    return access.grant_for(user, int(network_id), write=write)


@_dav
def address_book(request: HttpRequest, user: User, user_id: str, network_id: str) -> HttpResponse:
    if request.method in ("MKCOL", "PUT"):  # the same answer, whether the network is yours
        _own(user, user_id)
        return _status(403, "Names of digits in the home are the address books'.\n")
    grant = _grant(user, user_id, network_id)
    if request.method == "PROPFIND":
        return _propfind_book(request, grant)
    if request.method == "REPORT":
        return _report(request, grant)
    if request.method == "PROPPATCH":
        return _proppatch(request, _book(user, grant.network))
    if request.method in ("GET", "HEAD"):
        return _status(200, f"{grant.network.name}\n")
    if request.method in ("PUT", "DELETE", "MKCOL", "COPY", "MOVE"):
        return _status(
            403, "An address book is the network's: it is not created, moved or deleted here.\n"
        )
    return _not_allowed()


def _propfind_book(request: HttpRequest, grant: access.Grant) -> HttpResponse:
    asked = xml.prop_request(xml.parse(request.body))
    path = _book(grant.actor.user, grant.network)
    responses = [
        xml.answer(path, _book_values(grant, cards.current_position(grant.network)), asked)
    ]
    if _depth(request):
        responses += _every_card(grant.network, path, asked)
    return _multistatus(xml.multistatus(responses))


def _proppatch(request: HttpRequest, path: str) -> HttpResponse:
    """Nothing of an address book is set from a contacts program: each property 403."""
    root_element = xml.parse(request.body)
    tags = (
        []
        if root_element is None
        else [prop.tag for holder in root_element.iter(name(DAV, "prop")) for prop in holder]
    )
    node = ET.Element(name(DAV, "multistatus"))
    entry = ET.SubElement(node, name(DAV, "response"))
    entry.append(xml.href(path))
    propstat = ET.SubElement(entry, name(DAV, "propstat"))
    ET.SubElement(propstat, name(DAV, "prop")).extend(ET.Element(tag) for tag in tags)
    ET.SubElement(propstat, name(DAV, "status")).text = "HTTP/1.1 403 Forbidden"
    return _multistatus(xml.document(node))


def _report(request: HttpRequest, grant: access.Grant) -> HttpResponse:
    root_element = xml.parse(request.body)
    if root_element is None:
        raise xml.BadRequest("a REPORT needs a body")
    asked = xml.prop_request(root_element)
    path = _book(grant.actor.user, grant.network)
    if root_element.tag == name(CARDDAV, "addressbook-multiget"):
        hrefs = [node.text or "" for node in root_element.iter(name(DAV, "href"))]
        return _multiget(grant.network, path, hrefs, asked)
    if root_element.tag == name(CARDDAV, "addressbook-query"):
        return _query(grant.network, path, root_element, asked)
    if root_element.tag == name(DAV, "sync-collection"):
        return _sync(grant.network, path, root_element, asked)
    return _status(403, "Unsupported report.\n")


def _query(
    network: Network, path: str, root_element: ET.Element, asked: xml.PropRequest
) -> HttpResponse:
    """The cards the REPORT's filter matches (``dav.query``), at most its limit."""
    try:
        wanted = query.parse_query(root_element)
    except query.UnsupportedCollation:
        error = xml.error(name(CARDDAV, "supported-collation"))
        return HttpResponse(error, status=403, content_type=XML)
    if not wanted.filters and wanted.limit is None:
        return _multistatus(xml.multistatus(_every_card(network, path, asked)))
    responses: list[xml.Response] = []
    for card in cards.resources(network):
        if wanted.limit is not None and len(responses) >= wanted.limit:
            break
        if wanted.matches(card.text()):
            responses.append(xml.answer(path + card.href, _card_values(card, asked), asked))
    return _multistatus(xml.multistatus(responses))


def _names(path: str, hrefs: Iterable[str]) -> dict[str, str]:
    """Each asked address's card name, when the address is inside this address book."""
    from urllib.parse import unquote, urlsplit

    found = {}
    for given in hrefs:
        full = unquote(urlsplit(given.strip()).path)
        if full.startswith(path) and "/" not in full[len(path) :] and full != path:
            found[given.strip()] = full[len(path) :]
    return found


def _multiget(
    network: Network, path: str, hrefs: list[str], asked: xml.PropRequest
) -> HttpResponse:
    named = _names(path, hrefs)
    by_name: dict[str, cards.Resource] = {}
    if _version(asked.address_data) == "3.0":  # the stored cards, rendered once
        by_name.update(cards.stored_cards(network, named.values()))
    by_name.update(cards.resources_at(network, set(named.values()) - set(by_name)))
    responses = []
    for given in hrefs:
        card = by_name.get(named.get(given.strip(), ""))
        if card is None:
            responses.append(xml.Response(given.strip(), status="HTTP/1.1 404 Not Found"))
        else:
            responses.append(xml.answer(path + card.href, _card_values(card, asked), asked))
    return _multistatus(xml.multistatus(responses))


def _sync(
    network: Network, path: str, root_element: ET.Element, asked: xml.PropRequest
) -> HttpResponse:
    token = (root_element.findtext(name(DAV, "sync-token")) or "").strip()
    if not token:
        position = cards.current_position(network)
        responses = _every_card(network, path, asked)
        return _multistatus(xml.multistatus(responses, position.token))
    try:
        since = cards.position_of(token)
    except cards.InvalidToken:
        return HttpResponse(xml.error(name(DAV, "valid-sync-token")), status=403, content_type=XML)
    people, position = cards.changed_since(network, since)
    present = {card.person.pk: card for card in cards.cards(network, people)}
    responses = []
    for person_id, href in sorted(cards.hrefs_of(network, people).items()):
        card = present.get(person_id)
        if card is None:
            responses.append(xml.Response(path + href, status="HTTP/1.1 404 Not Found"))
        else:
            responses.append(xml.answer(path + card.href, _card_values(card, asked), asked))
    if position != since:  # any change may change a group's members: every group is named
        groups = {group.href: group for group in cards.group_cards(network)}
        for href in cards.group_hrefs(network):
            group = groups.get(href)
            if group is None:
                responses.append(xml.Response(path + href, status="HTTP/1.1 404 Not Found"))
            else:
                responses.append(xml.answer(path + href, _card_values(group, asked), asked))
    return _multistatus(xml.multistatus(responses, position.token))


@_dav
def card(
    request: HttpRequest, user: User, user_id: str, network_id: str, card_name: str
) -> HttpResponse:
    write = request.method in ("PUT", "DELETE")
    grant = _grant(user, user_id, network_id, write=False)
    if write:
        grant.require_write()
    network = grant.network
    pre = card_writes.Preconditions(
        if_match=request.META.get("HTTP_IF_MATCH"),
        if_none_match=request.META.get("HTTP_IF_NONE_MATCH"),
    )
    if request.method in ("GET", "HEAD"):
        found = cards.resource_at(network, card_name)
        if found is None:
            return _status(404, "No such card.\n")
        etag = found.etag
        if pre.if_none_match and etag in card_writes.etags_in(pre.if_none_match):
            return _status(304, ETag=etag)
        text = found.text(_version(None, request.META.get("HTTP_ACCEPT", "")))
        body = b"" if request.method == "HEAD" else text.encode()
        response = HttpResponse(body, content_type=VCARD)
        response["Content-Length"] = str(len(text.encode()))
        response["ETag"] = etag
        return response
    if request.method == "PUT":
        put = card_writes.put_card(network, user, card_name, request.body, pre)
        return _status(201 if put.created else 204)
    if request.method == "DELETE":
        if not card_writes.delete_card(network, user, card_name, pre):
            return _status(404, "No such card.\n")
        return _status(204)
    if request.method == "PROPFIND":
        found = cards.resource_at(network, card_name)
        if found is None:
            return _status(404, "No such card.\n")
        asked = xml.prop_request(xml.parse(request.body))
        path = _book(user, network) + found.href
        return _multistatus(xml.multistatus([xml.answer(path, _card_values(found, asked), asked)]))
    return _not_allowed()


@_dav
def inside(
    request: HttpRequest, user: User, user_id: str, network_id: str, rest: str
) -> HttpResponse:
    """Below an address book there are only cards: a collection is never made there
    (MKCOL 403, RFC 4918 §9.3.1) and nothing else is found."""
    _grant(user, user_id, network_id)
    if request.method == "MKCOL":
        return _status(403, "An address book holds cards, not collections.\n")
    return _status(404, "Not found.\n")
