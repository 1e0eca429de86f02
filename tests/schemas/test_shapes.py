"""The shapes themselves: what the CLI does not show (input shapes, how instants and
aliases are written)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from kithkin.models import Person
from kithkin.queries.people import person_card
from kithkin.schemas.followups import FollowUpIn
from kithkin.schemas.interactions import InteractionIn
from kithkin.schemas.people import PersonCardOut, PersonIn
from kithkin.services.people import add_person
from tests.factories import log, make_person

pytestmark = pytest.mark.django_db


def test_person_in_adds_a_person_through_the_service(owner, network):
    shape = PersonIn.model_validate(
        {"full_name": "Ada Lovelace", "emails": ["ADA@example.org"], "circle": "close"}
    )
    person = add_person(network, owner, shape.new_person())
    assert Person.objects.get(pk=person.pk).contact_points.get().normalized == "ada@example.org"
    assert person.circle.name == "close"


@pytest.mark.parametrize(
    ("shape", "data"),
    [
        (PersonIn, {"full_name": ""}),
        (PersonIn, {"full_name": "Ada", "cadence_days": 0}),
        (PersonIn, {"full_name": "Ada", "nickname": "A"}),
        (InteractionIn, {"kind": "call", "people": []}),
        (FollowUpIn, {"title": "Send the paper", "people": [1], "due_on": "soon"}),
    ],
)
def test_input_shapes_refuse_what_the_services_would(shape, data):
    with pytest.raises(ValidationError):
        shape.model_validate(data)


def test_the_card_writes_instants_as_isoformat(network):
    ada = make_person(network, "Ada Lovelace")
    grace = make_person(network, "Grace Hopper")
    log(network, [ada, grace], on=dt.date(2026, 1, 10))
    card = PersonCardOut.of(person_card(network, ada, dt.date(2026, 2, 20)), "Europe/Paris")
    entry = card.data()["timeline"][0]
    assert entry["occurred_at"].endswith("+00:00") and entry["on"] == "2026-01-10"
    assert entry["others"] == ["Grace Hopper"]


def test_event_and_opportunity_in_feed_their_services(owner, network):
    from kithkin.schemas.events import EventIn
    from kithkin.schemas.opportunities import OpportunityIn
    from kithkin.services.events import add_event
    from kithkin.services.opportunities import add_opportunity

    event = add_event(
        network,
        owner,
        EventIn.model_validate(
            {"name": "PyCon US 2027", "starts_on": "2027-05-14", "tags": ["python"]}
        ).fields(),
    )
    assert (event.name, event.starts_on, list(event.tags.values_list("name", flat=True))) == (
        "PyCon US 2027",
        dt.date(2027, 5, 14),
        ["python"],
    )
    grace = make_person(network, "Grace Hopper")
    shape = OpportunityIn.model_validate({"title": "Staff engineer", "source": grace.pk})
    opportunity = add_opportunity(network, owner, shape.new_opportunity(grace))
    assert opportunity.source == grace and opportunity.kind == "job"
