"""The tools in-process, as either transport calls them: the errors a caller meets, as one
line and no data, and nothing written."""

from __future__ import annotations

from tests import factories

from kithkin.access import Actor
from kithkin.mcp.tools import call_tool, tools_for
from kithkin.models import FollowUp, Interaction, Scope


def test_a_name_that_matches_several_people_lists_them(owner, network):
    factories.make_person(network, "Ada Lovelace")
    factories.make_person(network, "Ada Byron")

    outcome = call_tool(Actor.of(owner), "brief", {"person": "Ada"})

    assert outcome.is_error and outcome.structured is None
    assert "Ada Lovelace" in outcome.text and "Ada Byron" in outcome.text


def test_a_viewer_with_a_write_scope_lists_the_writing_tools_but_cannot_write(viewer, network):
    factories.make_person(network, "Ada Lovelace")
    actor = Actor(user=viewer, scope=Scope.WRITE)

    assert "log_interaction" in {tool.name for tool in tools_for(actor)}
    outcome = call_tool(
        actor, "log_interaction", {"kind": "call", "people": ["Ada"], "network": network.pk}
    )

    assert outcome.is_error and "may view" in outcome.text
    assert not Interaction.objects.exists()


def test_a_value_the_service_refuses_is_an_error_naming_the_argument(owner, network):
    factories.make_person(network, "Ada Lovelace")

    future = call_tool(
        Actor.of(owner), "log_interaction", {"kind": "call", "people": ["Ada"], "on": "+3d"}
    )
    unknown_kind = call_tool(
        Actor.of(owner), "log_interaction", {"kind": "telepathy", "people": ["Ada"]}
    )
    bad_date = call_tool(
        Actor.of(owner), "add_follow_up", {"person": "Ada", "title": "Write", "due": "someday"}
    )

    assert future.is_error and future.text.startswith("on: ")
    assert unknown_kind.is_error and unknown_kind.structured is None
    assert bad_date.is_error and bad_date.text.startswith("due: ")
    assert not Interaction.objects.exists() and not FollowUp.objects.exists()


def test_a_person_given_by_id_goes_through_access(owner, network, outsider):
    theirs = factories.make_person(factories.network_of(outsider), "Their Contact")

    outcome = call_tool(Actor.of(owner), "brief", {"person": theirs.pk})

    assert outcome.is_error and "Their Contact" not in outcome.text
