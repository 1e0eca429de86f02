"""The chat services Kithkin knows, and how vCards write each of them.

A chat handle is stored as a ContactPoint of kind "chat" whose ``service`` is one of the
keys below (or, for a service no table knows, its own name in lower case). vCard writers
disagree on how to say which service a handle is on:

- RFC 4770's ``IMPP`` with a URI scheme (``IMPP:xmpp:ada@example.org``, ``skype:ada``);
  eM Client invents schemes of its own (``google:``, ``gadu:``, ``msn:``).
- Apple names the service in ``X-SERVICE-TYPE`` and may use another service's scheme
  (``IMPP;X-SERVICE-TYPE=ICQ:aim:12345``, ``X-SERVICE-TYPE=QQ:x-apple:...``).
- Older writers (Evolution, Android, iOS for some services, Outlook) use one X- property
  per service: ``X-SKYPE``, ``X-JABBER``, ``X-MS-IMADDRESS``...

The exporter writes ``IMPP;X-SERVICE-TYPE=<name>:<scheme>:<handle>``, which every one of
these readers (and Kithkin) reads back as the same service.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote


@dataclass(frozen=True)
class ChatService:
    key: str  # ContactPoint.service
    name: str  # as people and Apple's X-SERVICE-TYPE write it
    scheme: str  # the IMPP URI scheme Kithkin writes
    x_property: str = ""  # the X- property Android and other vCard 3.0 readers need


SERVICES = (
    ChatService("aim", "AIM", "aim", "X-AIM"),
    ChatService("icq", "ICQ", "icq", "X-ICQ"),
    ChatService("msn", "MSN", "msnim", "X-MSN"),
    ChatService("yahoo", "Yahoo", "ymsgr", "X-YAHOO"),
    ChatService("xmpp", "Jabber", "xmpp", "X-JABBER"),
    ChatService("googletalk", "GoogleTalk", "xmpp", "X-GOOGLE-TALK"),
    ChatService("skype", "Skype", "skype", "X-SKYPE-USERNAME"),
    ChatService("qq", "QQ", "x-apple", "X-QQ"),
    ChatService("gadugadu", "GaduGadu", "gg"),
    ChatService("facebook", "Facebook", "xmpp"),
    ChatService("whatsapp", "WhatsApp", "x-apple"),
    ChatService("irc", "IRC", "irc"),
    ChatService("sip", "SIP", "sip"),
    ChatService("matrix", "Matrix", "matrix"),
    ChatService("groupwise", "GroupWise", "x-apple"),
    ChatService("im", "IM", "im"),  # RFC 3860's im: URI; Outlook's unnamed "IM address"
)
BY_KEY = {service.key: service for service in SERVICES}
# Apple's X-SERVICE-TYPE and other spellings of a service's name, folded (see _fold).
_BY_NAME = {
    **{service.key: service.key for service in SERVICES},
    **{service.name.lower(): service.key for service in SERVICES},
    "jabber": "xmpp",
    "googlechat": "googletalk",
    "gtalk": "googletalk",
    "hangouts": "googletalk",
    "windowslive": "msn",
    "messenger": "facebook",
    "facebookmessenger": "facebook",
}
# IMPP URI schemes, those of RFC 4770 and those real writers use.
_BY_SCHEME = {
    "aim": "aim",
    "icq": "icq",
    "msnim": "msn",
    "msn": "msn",
    "ymsgr": "yahoo",
    "yahoo": "yahoo",
    "xmpp": "xmpp",
    "jabber": "xmpp",
    "google": "googletalk",
    "gtalk": "googletalk",
    "skype": "skype",
    "qq": "qq",
    "gg": "gadugadu",
    "gadu": "gadugadu",
    "irc": "irc",
    "ircs": "irc",
    "sip": "sip",
    "sips": "sip",
    "matrix": "matrix",
    "im": "im",
    "x-apple": "im",  # Apple's scheme for any service; X-SERVICE-TYPE names which
}
# One X- property per service (Evolution, Android, iOS, Outlook, KDE).
BY_X_PROPERTY = {
    "X-AIM": "aim",
    "X-ICQ": "icq",
    "X-MSN": "msn",
    "X-YAHOO": "yahoo",
    "X-JABBER": "xmpp",
    "X-GOOGLE-TALK": "googletalk",
    "X-GTALK": "googletalk",
    "X-SKYPE": "skype",
    "X-SKYPE-USERNAME": "skype",
    "X-QQ": "qq",
    "X-GADUGADU": "gadugadu",
    "X-GROUPWISE": "groupwise",
    "X-MATRIX": "matrix",
    "X-SIP": "sip",
    "X-MS-IMADDRESS": "im",
}
_QUERY_HANDLE = ("screenname=", "contact=", "sendim?", "add?")


def _fold(name: str) -> str:
    return "".join(name.split()).lower()


def service_named(name: str) -> str:
    """The key of a service written by name ("Google Talk", "Jabber"); a name no table
    knows is kept in lower case, one space between words (at most 30 characters)."""
    return _BY_NAME.get(_fold(name)) or " ".join(name.split()).lower()[:30]


def display_name(key: str) -> str:
    """How a service is written in a vCard's X-SERVICE-TYPE and shown to people."""
    known = BY_KEY.get(key)
    return known.name if known else key


def read_impp(value: str, service_type: str = "") -> tuple[str, str] | None:
    """(handle, service) of an IMPP value such as ``xmpp:ada@example.org``,
    ``aim:goim?screenname=ada`` or ``msnim:chat?contact=ada@hotmail.com``; the service
    Apple names in X-SERVICE-TYPE wins over the scheme. None when it has no handle."""
    scheme, colon, rest = value.partition(":")
    if not colon or not scheme or " " in scheme:
        scheme, rest = "", value
    scheme = scheme.lower()
    handle = _handle(rest)
    if not handle:
        return None
    if service_type.strip():
        return handle, service_named(service_type)
    return handle, _BY_SCHEME.get(scheme) or scheme or "im"


def _handle(rest: str) -> str:
    """The handle inside an IMPP URI's remainder: "//" and a query's verb dropped,
    "?screenname=ada" read, percent escapes decoded."""
    text = rest.strip().removeprefix("//")
    lowered = text.lower()
    for marker in _QUERY_HANDLE:
        at = lowered.find(marker)
        if at >= 0:
            text = text[at + len(marker) :].split("&", 1)[0]
            break
    else:
        text = text.split("?", 1)[0]
    return " ".join(unquote(text).split())


def impp_value(handle: str, key: str) -> str:
    """The IMPP URI Kithkin writes for a handle on ``key``."""
    known = BY_KEY.get(key)
    return f"{known.scheme if known else 'x-apple'}:{handle}"
