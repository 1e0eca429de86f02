"""A record of every practice beyond people, for the outsider sweep: each names the secret,
so an answer that leaks one of them shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin import transfer
from kithkin.models import Network, User
from kithkin.services.message_templates import save_template
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_events import make_event
from tests.factories_ledger import gave
from tests.factories_memberships import make_membership
from tests.factories_mentorships import make_mentorship
from tests.factories_milestones import make_milestone
from tests.factories_opportunities import make_opportunity, make_share

VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera {secret}\r\nEMAIL:vera@example.org\r\nEND:VCARD\r\n"


def vcard_upload(network: Network, user: User, secret: str = "Card") -> int:
    """A planned upload of one vCard, as the API's caller would have made it."""
    body = VCARD.format(secret=secret).encode()
    file = SimpleUploadedFile("contacts.vcf", body, content_type="text/vcard")
    stored = transfer.store_upload(
        network, user, name=file.name, chunks=file.chunks(), size=len(body), create_people=True
    )
    transfer.plan_upload(network, user, stored.pk)
    return stored.pk


def practice_records(network: Network, owner: User, secret: str) -> dict[str, int | str]:
    """The ids the sweep puts in every address of the practices' routes."""
    ada = make_person(network, f"Ada {secret}")
    twin = make_person(network, f"Ada {secret}")
    event = make_event(network, f"Summit {secret}")
    opportunity = make_opportunity(network, f"Job {secret}")
    share = make_share(network, opportunity, ada, note=secret)
    save_template(network, owner, "follow-up", f"Hello {secret}", "Body {first_name}")
    return {
        "person_id": ada.pk,
        "other_id": twin.pk,
        "event_id": event.pk,
        "membership_id": make_membership(network, f"Guild {secret}").pk,
        "mentorship_id": make_mentorship(network, mentor=ada, goals=[secret]).pk,
        "milestone_id": make_milestone(
            network, ada, on=TODAY - dt.timedelta(days=2), note=secret
        ).pk,
        "exchange_id": gave(network, ada, description=secret).pk,
        "opportunity_id": opportunity.pk,
        "share_id": share.pk,
        "kind": "follow-up",
        "upload_id": vcard_upload(network, owner, secret),
        "format_name": "json",
    }


def queries_of(call: Callable[[], Any]) -> int:
    """How many SQL queries ``call`` makes (a list endpoint's must not grow with its rows)."""
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content
    return len(captured)


def items(response: Any) -> list[dict[str, Any]]:
    """A page's rows, checked to be a page."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"items", "next"}
    return body["items"]
