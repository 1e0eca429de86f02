"""addressbook-query (RFC 6352 §8.6, §10.5): a REPORT's filter chooses the cards, as a
client searching the server's address book sends it (Thunderbird's autocomplete on a
remote book, the RFC's own examples)."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.dav.helpers import DavClient

QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data/></D:prop>
  {filter}
</C:addressbook-query>"""


@pytest.fixture
def dav(owner):
    return DavClient(owner)


@pytest.fixture
def people(network):
    return {
        "ada": factories.make_person(network, "Ada Lovelace", emails=["ada@analytical.org"]),
        "grace": factories.make_person(network, "Grace Hopper", emails=["grace@navy.mil"]),
        "alan": factories.make_person(network, "Alan Turing"),
    }


def found(dav, network, filter_xml: str) -> set[str]:
    response = dav.request("REPORT", dav.book(network.pk), QUERY.format(filter=filter_xml))
    assert response.status_code == 207, response.content
    return set(re.findall(r"FN:([^\r\n]+)", response.content.decode()))


def test_a_name_search_ignores_case_and_matches_inside(dav, network, people):
    wanted = """<C:filter><C:prop-filter name="FN">
      <C:text-match collation="i;unicode-casemap" match-type="contains">LOVE</C:text-match>
    </C:prop-filter></C:filter>"""
    assert found(dav, network, wanted) == {"Ada Lovelace"}


def test_any_of_two_properties_as_autocomplete_asks(dav, network, people):
    wanted = """<C:filter test="anyof">
      <C:prop-filter name="FN"><C:text-match match-type="starts-with">gra</C:text-match></C:prop-filter>
      <C:prop-filter name="EMAIL"><C:text-match match-type="contains">analytical</C:text-match></C:prop-filter>
    </C:filter>"""
    assert found(dav, network, wanted) == {"Ada Lovelace", "Grace Hopper"}


def test_all_of_and_a_negated_match(dav, network, people):
    wanted = """<C:filter test="allof">
      <C:prop-filter name="EMAIL"/>
      <C:prop-filter name="FN"><C:text-match negate-condition="yes">Grace</C:text-match></C:prop-filter>
    </C:filter>"""
    assert found(dav, network, wanted) == {"Ada Lovelace"}


def test_cards_without_a_property(dav, network, people):
    wanted = '<C:filter><C:prop-filter name="EMAIL"><C:is-not-defined/></C:prop-filter></C:filter>'
    assert found(dav, network, wanted) == {"Alan Turing"}


def test_exact_bytes_and_the_limit(dav, network, people):
    exact = """<C:filter><C:prop-filter name="FN">
      <C:text-match collation="i;octet" match-type="equals">ada lovelace</C:text-match>
    </C:prop-filter></C:filter>"""
    assert found(dav, network, exact) == set()
    limited = "<C:filter/><C:limit><C:nresults>2</C:nresults></C:limit>"
    assert len(found(dav, network, limited)) == 2


def test_an_unknown_collation_is_the_precondition_the_rfc_names(dav, network, people):
    wanted = """<C:filter><C:prop-filter name="FN">
      <C:text-match collation="x;made-up">a</C:text-match></C:prop-filter></C:filter>"""
    response = dav.request("REPORT", dav.book(network.pk), QUERY.format(filter=wanted))
    assert response.status_code == 403
    assert b"supported-collation" in response.content
