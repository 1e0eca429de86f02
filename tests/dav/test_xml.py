"""The multistatus XML Kithkin writes does not depend on ElementTree's process-wide
prefixes: Radicale (imported by the calendar-sync tests, and by any host that embeds it)
maps DAV: to the default namespace, which put a client's property without a namespace
into DAV: in our answers (litmus's props suite failed on CI once the sync tests had run)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kithkin.dav import xml

CLIENT_PROPS = (
    '<D:prop xmlns:D="DAV:"><nonamespace xmlns="">a &amp; b</nonamespace>'
    '<e:x xmlns:e="urn:example" xml:lang="en" e:a="1">t<e:b/>tail</e:x><D:displayname/>'
    "</D:prop>"
)


@pytest.fixture
def radicale_prefixes():
    saved = dict(ET._namespace_map)  # type: ignore[attr-defined]
    ET.register_namespace("", xml.DAV)  # what radicale.xmlutils does on import
    yield
    ET._namespace_map.clear()  # type: ignore[attr-defined]
    ET._namespace_map.update(saved)  # type: ignore[attr-defined]


def test_properties_keep_their_namespaces_whatever_the_process_registered(radicale_prefixes):
    answer = xml.multistatus(
        [
            xml.Response(
                "/dav/1/f", found={"{}nonamespace": xml.Whole(ET.fromstring(CLIENT_PROPS)[0])}
            )
        ]
    )
    prop = ET.fromstring(answer).find("{DAV:}response/{DAV:}propstat/{DAV:}prop")
    assert prop is not None
    assert [child.tag for child in prop] == ["nonamespace"]
    assert prop[0].text == "a & b"


def test_a_fragment_reads_back_as_it_was_sent(radicale_prefixes):
    sent = ET.fromstring(CLIENT_PROPS)
    back = ET.fromstring(xml.fragment(sent))
    assert [child.tag for child in back] == [
        "nonamespace",
        "{urn:example}x",
        "{DAV:}displayname",
    ]
    extended = back[1]
    assert extended.attrib == {
        "{http://www.w3.org/XML/1998/namespace}lang": "en",
        "{urn:example}a": "1",
    }
    assert (extended.text, extended[0].tag, extended[0].tail) == ("t", "{urn:example}b", "tail")
