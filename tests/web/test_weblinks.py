"""One rule for every stored URL (http, https, mailto), and templates that never emit
another scheme (issue 18: a javascript: link rendered on the opportunity page from a
restored export)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kithkin import weblinks
from kithkin.errors import InvalidInput
from kithkin.exporters.kithkin_json import export_json
from kithkin.importers.kithkin_json import restore
from kithkin.importers.records import ImportFileError
from kithkin.models import Event, Opportunity, Organization
from kithkin.services.accounts import create_network
from tests.factories import make_person
from tests.factories_events import make_event
from tests.factories_opportunities import make_opportunity

pytestmark = pytest.mark.django_db

# Read as "https://" + value, this is a web address on x.com; stored as written and
# rendered as an href, a browser runs it: "%2F%2F" decodes to "//", commenting out "@x.com".
SCRIPT = "javascript:alert(document.domain)%2F%2F@x.com"
TEMPLATES = Path(weblinks.__file__).parent / "web" / "templates"


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://example.org", "https"),
        ("MAILTO:ada@example.org", "mailto"),
        (SCRIPT, "javascript"),
        ("  JavaScript:alert(1)", "javascript"),
        ("\tjava\nscript:alert(1)", "javascript"),  # browsers drop tabs and newlines
        ("\x01javascript:alert(1)", "javascript"),  # and leading control characters
        ("data:text/html,<script>", "data"),
        ("/people/7/", None),
    ],
)
def test_the_scheme_is_read_as_a_browser_reads_it(url, scheme):
    assert weblinks.scheme_of(url) == scheme
    assert weblinks.is_safe(url) is (scheme in {"http", "https", "mailto"})


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://example.org/jobs?id=4", "https://example.org/jobs?id=4"),
        (" http://example.org ", "http://example.org"),
        ("example.org/jobs", "https://example.org/jobs"),
        ("www.example.org:8080/x", "https://www.example.org:8080/x"),
        ("mailto:jobs@example.org", "mailto:jobs@example.org"),
        ("", ""),
    ],
)
def test_a_web_link_is_stored_with_its_scheme(typed, stored):
    assert weblinks.web_link(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        SCRIPT,
        "javascript:alert(1)",
        "JAVASCRIPT://example.org/%0Aalert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://files.example.org",
        "java\tscript:alert(1)",
        "https://",
        "mailto:nobody",
        "https://" + "x" * 500 + ".org",
    ],
)
def test_anything_else_is_refused_naming_the_field(typed):
    with pytest.raises(InvalidInput) as refused:
        weblinks.web_link(typed, "url")
    assert refused.value.field == "url"


@pytest.fixture
def exported(network, owner):
    make_person(network, "Ada Lovelace", urls=["https://ada.example.org"])
    make_opportunity(network, "Staff engineer", url="https://jobs.example.org/1")
    make_event(network, "PyCon", url="https://pycon.example.org")
    Organization.objects.create(network=network, name="Babbage", website="https://b.example")
    return json.loads(export_json(network))


def _ada_url(document):
    ada = next(p for p in document["people"] if p["full_name"] == "Ada Lovelace")
    return next(c for c in ada["contact_points"] if c["kind"] == "url")


@pytest.mark.parametrize(
    ("spoil", "where"),
    [
        (lambda d: d["opportunities"][0].update(url=SCRIPT), "opportunities[0].url"),
        (lambda d: d["events"][0].update(url=SCRIPT), "events[0].url"),
        (lambda d: d["organizations"][0].update(website=SCRIPT), "organizations[0].website"),
        (lambda d: _ada_url(d).update(value=SCRIPT), ".value"),
    ],
)
def test_a_restored_export_with_a_script_link_is_refused(owner, exported, spoil, where):
    spoil(exported)
    empty = create_network(owner, name="Restored")
    with pytest.raises(ImportFileError) as refused:
        restore(empty, owner, exported, "backup.json")
    assert where in str(refused.value)
    assert "not a web address" in str(refused.value)
    assert not Opportunity.objects.filter(network=empty).exists()


def test_a_restored_export_keeps_its_web_links(owner, exported):
    empty = create_network(owner, name="Restored")
    restore(empty, owner, exported, "backup.json")
    assert Opportunity.objects.get(network=empty).url == "https://jobs.example.org/1"
    assert Event.objects.get(network=empty).url == "https://pycon.example.org"


def test_a_script_link_stored_before_the_rule_is_never_rendered(owner_client, network):
    opportunity = make_opportunity(network, "Staff engineer")
    event = make_event(network, "PyCon")
    organization = Organization.objects.create(network=network, name="Babbage")
    Opportunity.objects.filter(pk=opportunity.pk).update(url=SCRIPT)
    Event.objects.filter(pk=event.pk).update(url=SCRIPT)
    Organization.objects.filter(pk=organization.pk).update(website=SCRIPT)
    for page in (
        f"/opportunities/{opportunity.pk}/",
        f"/events/{event.pk}/",
        f"/organizations/{organization.pk}/",
    ):
        response = owner_client.get(page)
        assert response.status_code == 200, page
        assert 'href="javascript' not in response.content.decode().lower(), page


# Attributes that hold a URL, when their value starts with a template variable.
_URL_ATTRIBUTE = re.compile(
    r'\b(href|src|action|formaction|hx-get|hx-post|hx-put|hx-delete)="\{\{\s*([^}]*?)\s*\}\}'
)
# URLs the views build with reverse(): never a stored value.
APP_BUILT = {"draft_url", "url", "dismiss", "sent_url"}


def test_templates_render_every_stored_url_through_safe_url():
    unchecked = []
    for template in TEMPLATES.rglob("*.html"):
        for match in _URL_ATTRIBUTE.finditer(template.read_text()):
            expression = match.group(2)
            if "|safe_url" not in expression and expression not in APP_BUILT:
                unchecked.append(f"{template.name}: {match.group(0)}")
    assert unchecked == []
