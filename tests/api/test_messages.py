"""The API's message templates, addressed by kind."""

from __future__ import annotations

import pytest

from kithkin.models import MessageTemplate
from kithkin.services.drafts import DEFAULT_TEMPLATES

pytestmark = pytest.mark.django_db


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}/message-templates{rest}"


def test_every_kind_with_the_default_until_changed(owner_api, network):
    body = owner_api.get(url(network)).json()
    assert [t["kind"] for t in body] == list(DEFAULT_TEMPLATES)
    assert not any(t["customised"] for t in body)
    assert owner_api.get(url(network, "/no-such-kind")).status_code == 404


def test_changing_a_template_keeps_what_is_left_out_and_resets(teammate_api, network):
    default = DEFAULT_TEMPLATES["thank-you"]
    changed = teammate_api.patch(url(network, "/thank-you"), {"subject": "Merci, {first_name}"})
    assert changed.status_code == 200, changed.content
    assert changed.json() | {"label": ""} == {
        "kind": "thank-you",
        "label": "",
        "subject": "Merci, {first_name}",
        "body": default.body,
        "customised": True,
    }
    unknown = teammate_api.patch(url(network, "/thank-you"), {"body": "Hi {nickname}"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body"
    assert teammate_api.call("DELETE", url(network, "/thank-you")).status_code == 204
    assert not MessageTemplate.objects.filter(network=network).exists()
    assert teammate_api.get(url(network, "/thank-you")).json()["subject"] == default.subject


def test_a_viewer_changes_no_template(viewer_api, network):
    assert viewer_api.patch(url(network, "/thank-you"), {"subject": "Yo"}).status_code == 403
    assert not MessageTemplate.objects.exists()
